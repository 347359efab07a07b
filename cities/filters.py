"""Filters of the city directory and of the open-data exports (the same query string)."""

import django_filters
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import queries
from .models import City, UnitRole, WorkingGroup

ROLE_CHOICES = [
    (UnitRole.Role.COORDINATOR, capfirst(UnitRole.Role.COORDINATOR.label)),
    (UnitRole.Role.SUB_COORDINATOR, capfirst(UnitRole.Role.SUB_COORDINATOR.label)),
    (queries.ROLE_MEMBER, capfirst(pgettext_lazy("role in the unit", "member"))),
]
STATUS_CHOICES = [(value, capfirst(label)) for value, label in City.Status.choices]
SORT_CHOICES = [
    ("name", _("Name")),
    ("country", _("Country")),
    ("population", _("Population (largest first)")),
]


def working_group_filter(field_name: str) -> django_filters.ModelChoiceFilter:
    """One working group, by its slug in the query string, matched on `field_name`."""
    return django_filters.ModelChoiceFilter(
        label=_("Working group"),
        field_name=field_name,
        to_field_name="slug",
        queryset=WorkingGroup.objects.all(),
        empty_label=_("All working groups"),
    )


class CityFilter(django_filters.FilterSet):
    """Name search, country, status, working group, role in the unit, and sort order.

    A value that is not on the list (an unknown country, a made-up status) is left out of
    the filtering and reported beside its field; an unknown sort order is simply ignored.
    """

    q = django_filters.CharFilter(
        label=_("Name"),
        method="search",
        max_length=100,
        widget=forms.SearchInput,
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=[], empty_label=_("All countries")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, empty_label=_("All statuses")
    )
    working_group = working_group_filter("working_groups")
    role = django_filters.ChoiceFilter(
        label=_("Role in the unit"),
        choices=ROLE_CHOICES,
        method="filter_role",
        empty_label=_("All roles"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="sort_by", empty_label=None
    )

    class Meta:
        model = City
        fields = ["q", "country", "status", "working_group", "role", "sort"]

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and data.get("sort") not in (None, *dict(SORT_CHOICES)):
            data = data.copy()
            del data["sort"]
        super().__init__(data, *args, **kwargs)
        user = getattr(self.request, "user", None)
        self.countries = queries.countries_present(user)
        self.filters["country"].extra["choices"] = self.countries

    @property
    def is_filtering(self) -> bool:
        """True when the visitor narrowed the list (sorting alone does not count)."""
        return any(self.data.get(name) for name in self.filters if name != "sort")

    def search(self, queryset, name, value):
        return queries.search_by_name(queryset, value)

    def filter_role(self, queryset, name, value):
        return queries.filter_by_role(queryset, value)

    def sort_by(self, queryset, name, value):
        if value == "country":
            return queries.order_by_country(queryset, [code for code, _ in self.countries])
        if value == "population":
            return queries.order_by_population(queryset)
        return queryset
