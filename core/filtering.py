"""Helpers for the django-filter FilterSets of every app."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _

from core.numbers import page_number, parse_int


def country_filter(label, choices, **options) -> django_filters.ChoiceFilter:
    """A select of one country, by its ISO code in the URL ("Any country" when empty)."""
    return django_filters.ChoiceFilter(
        label=label, choices=choices, empty_label=_("Any country"), **options
    )


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


def filtered_page(request, filterset_class, queryset, per_page):
    """The list page's filterset of `queryset` from the query string, and the page of its
    rows that the query string asks for."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    return filterset, Paginator(filterset.qs, per_page).get_page(page_number(request.GET))
