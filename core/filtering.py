"""Helpers for the django-filter FilterSets of every app."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from core.numbers import parse_int


def strip_nul(data):
    """PostgreSQL rejects NUL in text: drop it from every value before any lookup."""
    if data is None:
        return None
    cleaned = data.copy()
    for key in cleaned:
        cleaned.setlist(key, [value.replace("\x00", "") for value in data.getlist(key)])
    return cleaned


class WholeNumberField(forms.IntegerField):
    """An IntegerField that reads ASCII digits only (core.numbers.parse_int): '²', '①' or
    '٢٠٢٢' are invalid like 'abc', where int() would fail with an error or read 2022."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_int(str(value).strip())
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class WholeNumberFilter(django_filters.NumberFilter):
    """A NumberFilter of whole numbers read by WholeNumberField."""

    field_class = WholeNumberField
