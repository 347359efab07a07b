import datetime

import django_filters
from django import forms
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cities.models import City
from mapping.models import DevelopmentGoal, SocialProblem
from utds.filtering import strip_nul

from .models import CRCArticle, Practice, Theme
from .search import clean_query_text

SORT_NEWEST = "newest"
SORT_TITLE = "title"
SORT_RELEVANCE = "relevance"
SORT_CHOICES = (
    (SORT_NEWEST, _("newest first")),
    (SORT_TITLE, _("title (A–Z)")),
    (SORT_RELEVANCE, _("relevance (with a search)")),
)
YEAR_LIMITS = {"min_value": 1990, "max_value": 2100}


def _published_here(field):
    return Exists(Practice.objects.published().filter(**{field: OuterRef("pk")}).values("pk"))


def cities_with_practices(request=None):
    return City.objects.filter(
        _published_here("city") | _published_here("partner_cities")
    ).order_by("name")


def country_choices():
    codes = (
        City.objects.filter(_published_here("city"))
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )
    return sorted(((code, countries.name(code)) for code in codes), key=lambda c: str(c[1]))


class PracticeFilter(django_filters.FilterSet):
    """The public list's filters: all in the URL, combinable, bad values ignored and shown."""

    q = django_filters.CharFilter(method="filter_search", label=_("Search"), max_length=1000)
    theme = django_filters.ModelMultipleChoiceFilter(
        label=_("Themes"),
        queryset=Theme.objects.order_by("position", "name_es"),
        to_field_name="slug",
        method="filter_themes",
        widget=forms.CheckboxSelectMultiple,
    )
    goal = django_filters.ModelChoiceFilter(
        label=_("Development goal"),
        field_name="goals",
        queryset=DevelopmentGoal.objects.order_by("framework", "number"),
        to_field_name="slug",
        empty_label=_("Any goal"),
    )
    problem = django_filters.ModelChoiceFilter(
        label=_("Social problem"),
        field_name="social_problems",
        queryset=SocialProblem.objects.order_by("name_es"),
        to_field_name="slug",
        empty_label=_("Any problem"),
    )
    crc = django_filters.ModelChoiceFilter(
        label=_("Article of the Convention on the Rights of the Child"),
        field_name="crc_articles",
        queryset=CRCArticle.objects.order_by("number"),
        to_field_name="number",
        empty_label=_("Any article"),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        field_name="city__country",
        choices=country_choices,
        empty_label=_("Any country"),
    )
    city = django_filters.ModelChoiceFilter(
        label=_("City"),
        queryset=cities_with_practices,
        to_field_name="slug",
        method="filter_city",
        empty_label=_("Any city"),
    )
    year_from = django_filters.NumberFilter(
        label=_("Running from (year)"), method="filter_year_from", **YEAR_LIMITS
    )
    year_to = django_filters.NumberFilter(
        label=_("Running until (year)"), method="filter_year_to", **YEAR_LIMITS
    )
    language = django_filters.ChoiceFilter(
        label=_("Written in"), choices=Practice.Language.choices, empty_label=_("Any language")
    )
    featured = django_filters.BooleanFilter(
        label=_("Featured practices only"), method="filter_featured", widget=forms.CheckboxInput
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="keep", empty_label=None
    )

    class Meta:
        model = Practice
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(strip_nul(data), *args, **kwargs)
        self.form.fields["sort"].required = False

    # --- filters -------------------------------------------------------------------------

    def filter_search(self, queryset, name, value):
        return queryset.search(value) if clean_query_text(value) else queryset

    def filter_themes(self, queryset, name, value):
        if not value:
            return queryset
        through = Practice.themes.through.objects.filter(theme__in=value)
        return queryset.filter(pk__in=through.values("practice_id"))

    def filter_city(self, queryset, name, value):
        return queryset.for_city(value)

    def filter_year_from(self, queryset, name, value):
        start = datetime.date(int(value), 1, 1)
        return queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))

    def filter_year_to(self, queryset, name, value):
        return queryset.filter(start_date__lte=datetime.date(int(value), 12, 31))

    def filter_featured(self, queryset, name, value):
        return queryset.filter(featured=True) if value else queryset

    def keep(self, queryset, name, value):
        return queryset  # ordering is applied last, in filter_queryset

    # --- ordering and facets -------------------------------------------------------------

    @property
    def searching(self) -> bool:
        return bool(clean_query_text(self.form.cleaned_data.get("q")))

    @property
    def sort_order(self) -> str:
        sort = self.form.cleaned_data.get("sort")
        if sort == SORT_RELEVANCE and not self.searching:
            return SORT_NEWEST
        return sort or (SORT_RELEVANCE if self.searching else SORT_NEWEST)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        order = self.sort_order
        if order == SORT_RELEVANCE:
            return queryset.order_by("-rank", "-published_at", "pk")
        if order == SORT_TITLE:
            return queryset.order_by(Lower("title"), "pk")
        return queryset.order_by("-published_at", "-pk")

    def _without_theme_filter(self):
        """The results of every filter except the theme itself."""
        self.form.is_valid()  # cleaned_data holds the valid values; bad ones are ignored
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name not in ("theme", "sort") and name in self.filters:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def theme_counts(self) -> dict[int, int]:
        """Practices per theme among the results of every filter except the theme itself
        (one query), so each theme says how many practices ticking it would add."""
        rows = (
            Practice.themes.through.objects.filter(
                practice__in=self._without_theme_filter().values("pk")
            )
            .values("theme_id")
            .annotate(n=Count("practice_id"))
        )
        return {row["theme_id"]: row["n"] for row in rows}

    def label_themes_with_counts(self) -> None:
        """Label each theme with its count (see theme_counts): the themes and their counts
        come from one query, whose rows are the field's choices (no second query to list
        the themes when the form is drawn)."""
        field = self.form.fields["theme"]
        matching = self._without_theme_filter().values("pk")
        themes = field.queryset.annotate(
            result_count=Count("practices", filter=Q(practices__in=matching))
        )
        # on the widget: django-filter's field wraps any `choices` it is given in a query
        field.widget.choices = [
            (theme.slug, f"{theme.name} ({theme.result_count})") for theme in themes
        ]

    def load_place_choices(self) -> None:
        """The city and country options from one query: the cities taking part in a
        published practice, each knowing whether it has one of its own (the countries
        offered are those of the cities with their own practices, as country_choices)."""
        cities = list(cities_with_practices().annotate(has_own=_published_here("city")))
        city_field, country_field = self.form.fields["city"], self.form.fields["country"]
        # on the widgets: django-filter's fields wrap any `choices` they are given
        city_field.widget.choices = [
            ("", city_field.empty_label),
            *((city.slug, city_field.label_from_instance(city)) for city in cities),
        ]
        codes = {city.country.code for city in cities if city.has_own}
        names = sorted(((code, countries.name(code)) for code in codes), key=lambda c: str(c[1]))
        country_field.widget.choices = [("", country_field.empty_label), *names]

    @property
    def active(self) -> bool:
        """True when the URL asks for any filter (sort order and page aside)."""
        return any(
            value.strip()
            for key in self.data
            if key not in ("sort", "page")
            for value in self.data.getlist(key)
        )
