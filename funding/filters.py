"""The public list of funding calls: filters by theme, country and status, all in the URL.
A value that is not understood is ignored and flagged on the form (never an error page)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from cities.queries import countries_present
from core.filtering import country_filter, strip_nul
from experiences.models import Theme

from .models import FundingCall


def _country_choices(request=None):
    return countries_present()


class FundingCallFilter(django_filters.FilterSet):
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        queryset=Theme.objects.order_by("position", "name_es"),
        to_field_name="slug",
        method="filter_theme",
        empty_label=_("Any theme"),
    )
    country = country_filter(_("Eligible country"), _country_choices, method="filter_country")
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=FundingCall.Status.choices,
        method="filter_status",
        empty_label=_("Any status"),
    )

    class Meta:
        model = FundingCall
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(strip_nul(data), *args, **kwargs)

    def filter_theme(self, queryset, name, value):
        through = FundingCall.themes.through.objects.filter(theme=value)
        return queryset.filter(pk__in=through.values("fundingcall_id"))

    def filter_country(self, queryset, name, value):
        return queryset.for_country(value)

    def filter_status(self, queryset, name, value):
        return getattr(queryset, value)()

    @property
    def active(self) -> bool:
        return any(v.strip() for k in self.data if k != "page" for v in self.data.getlist(k))
