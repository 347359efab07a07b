"""The public list's filters: kind, working group, host city's country and year.

A value that is not on the list is left out of the filtering and reported beside its field.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cities.filters import working_group_filter
from core.filtering import WholeNumberFilter, strip_nul

from .models import Event


def country_choices():
    codes = (
        Event.objects.filter(host_city__isnull=False)
        .order_by()
        .values_list("host_city__country", flat=True)
        .distinct()
    )
    return sorted(((code, countries.name(code)) for code in codes), key=lambda c: str(c[1]))


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Event.Kind.choices, empty_label=_("All kinds")
    )
    group = working_group_filter("working_group")
    country = django_filters.ChoiceFilter(
        label=_("Country of the host city"),
        field_name="host_city__country",
        choices=country_choices,
        empty_label=_("All countries"),
    )
    year = WholeNumberFilter(
        label=_("Year"), field_name="starts_at", lookup_expr="year", min_value=1995, max_value=2100
    )

    class Meta:
        model = Event
        fields = ["kind", "group", "country", "year"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(strip_nul(data), *args, **kwargs)

    @property
    def is_filtering(self) -> bool:
        return any(self.data.get(name) for name in self.filters)
