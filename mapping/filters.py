"""Filters of the open-data exports: cheap, indexed fields only. A malformed value makes the
filter set invalid; the export views answer 400 with the reasons rather than ignore it."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filtering import WholeNumberFilter

from .models import CityProblem, IndicatorValue, SocialProblem


class YearFilter(WholeNumberFilter):
    def __init__(self, **kwargs):
        super().__init__(
            field_name="year", label=_("Year"), min_value=1900, max_value=2100, **kwargs
        )


class IndicatorValueFilter(django_filters.FilterSet):
    city = django_filters.CharFilter(field_name="city__slug", label=_("City (slug)"))
    country = django_filters.CharFilter(
        field_name="city__country", label=_("Country (ISO code)"), method="filter_country"
    )
    indicator = django_filters.CharFilter(field_name="indicator__slug", label=_("Indicator"))
    year = YearFilter()
    breakdown = django_filters.CharFilter(field_name="breakdown", label=_("Breakdown"))

    class Meta:
        model = IndicatorValue
        fields = ["city", "country", "indicator", "year", "breakdown"]

    def filter_country(self, queryset, name, value):
        return queryset.filter(**{name: value.upper()})


class CityProblemFilter(django_filters.FilterSet):
    city = django_filters.CharFilter(field_name="city__slug", label=_("City (slug)"))
    country = django_filters.CharFilter(
        field_name="city__country", label=_("Country (ISO code)"), method="filter_country"
    )
    problem = django_filters.CharFilter(field_name="problem__slug", label=_("Problem"))
    category = django_filters.ChoiceFilter(
        field_name="problem__category", choices=SocialProblem.Category.choices, label=_("Category")
    )
    year = YearFilter()

    class Meta:
        model = CityProblem
        fields = ["city", "country", "problem", "category", "year"]

    def filter_country(self, queryset, name, value):
        return queryset.filter(**{name: value.upper()})
