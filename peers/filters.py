"""The filters of the open API's list of published transfers (utds/api/peers.py): by the
city that took the practice, the practice, and the practice's own city, all by slug. A value
that names nothing is refused (the API answers 400 naming the filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from cities.models import City
from core.filtering import strip_nul
from experiences.models import Practice

from .models import Transfer


class TransferFilter(django_filters.FilterSet):
    city = django_filters.ModelChoiceFilter(
        label=_("City that took the practice"),
        queryset=City.objects.all(),
        to_field_name="slug",
        field_name="city",
    )
    practice = django_filters.ModelChoiceFilter(
        label=_("Practice"),
        queryset=Practice.objects.published(),
        to_field_name="slug",
        field_name="practice",
    )
    from_city = django_filters.ModelChoiceFilter(
        label=_("The practice's city"),
        queryset=City.objects.all(),
        to_field_name="slug",
        field_name="practice__city",
    )

    class Meta:
        model = Transfer
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(strip_nul(data), *args, **kwargs)
