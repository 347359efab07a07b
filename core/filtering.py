"""Helpers for the django-filter FilterSets of every app."""


def strip_nul(data):
    """PostgreSQL rejects NUL in text: drop it from every value before any lookup."""
    if data is None:
        return None
    cleaned = data.copy()
    for key in cleaned:
        cleaned.setlist(key, [value.replace("\x00", "") for value in data.getlist(key)])
    return cleaned
