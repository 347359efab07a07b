"""The practices list's filters."""

import datetime

import django_filters
from django import forms
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cities.models import City
from core.filtering import WholeNumberFilter, country_filter, strip_nul
from core.fulltext import clean_query_text
from mapping.models import DevelopmentGoal, SocialProblem

from .models import CRCArticle, Practice, Theme
from .vocabulary import (
    FastSelect,
    PreloadedModelChoiceFilter,
    PreloadedModelMultipleChoiceFilter,
    fetch_lists,
)

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
    ).order_by("sort_name", "pk")


def country_choices():
    codes = (
        City.objects.filter(_published_here("city"))
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )
    return sorted(((code, countries.name(code)) for code in codes), key=lambda c: str(c[1]))


def _term_of(field_name, to_field_name="slug", **options):
    """A select of one term of a classification (goal, problem, article), by its slug or
    number in the URL."""
    return PreloadedModelChoiceFilter(
        field_name=field_name, to_field_name=to_field_name, widget=FastSelect, **options
    )


class PracticeFilter(django_filters.FilterSet):
    """The public list's filters: all in the URL, combinable, bad values ignored and shown."""

    q = django_filters.CharFilter(method="filter_search", label=_("Search"), max_length=1000)
    theme = PreloadedModelMultipleChoiceFilter(
        label=_("Themes"),
        queryset=Theme.objects.order_by("position", "name_es"),
        to_field_name="slug",
        method="filter_themes",
        widget=forms.CheckboxSelectMultiple,
    )
    goal = _term_of(
        "goals",
        label=_("Development goal"),
        queryset=DevelopmentGoal.objects.order_by("framework", "number"),
        empty_label=_("Any goal"),
    )
    problem = _term_of(
        "social_problems",
        label=_("Social problem"),
        queryset=SocialProblem.objects.order_by("name_es"),
        empty_label=_("Any problem"),
    )
    crc = _term_of(
        "crc_articles",
        to_field_name="number",
        label=_("Article of the Convention on the Rights of the Child"),
        queryset=CRCArticle.objects.order_by("number"),
        empty_label=_("Any article"),
    )
    country = country_filter(
        _("Country"), country_choices, field_name="city__country", widget=FastSelect
    )
    city = PreloadedModelChoiceFilter(
        label=_("City"),
        queryset=cities_with_practices,
        to_field_name="slug",
        method="filter_city",
        empty_label=_("Any city"),
        widget=FastSelect,
    )
    year_from = WholeNumberFilter(
        label=_("Running from (year)"), method="filter_year_from", **YEAR_LIMITS
    )
    year_to = WholeNumberFilter(
        label=_("Running until (year)"), method="filter_year_to", **YEAR_LIMITS
    )
    language = django_filters.ChoiceFilter(
        label=_("Written in"),
        choices=Practice.Language.choices,
        empty_label=_("Any language"),
        widget=FastSelect,
    )
    featured = django_filters.BooleanFilter(
        label=_("Featured practices only"), method="filter_featured", widget=forms.CheckboxInput
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=SORT_CHOICES,
        method="keep",
        empty_label=None,
        widget=FastSelect,
    )

    class Meta:
        model = Practice
        fields = []

    result_count = None  # set by load_choices

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
        start = datetime.date(value, 1, 1)
        return queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))

    def filter_year_to(self, queryset, name, value):
        return queryset.filter(start_date__lte=datetime.date(value, 12, 31))

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

    def result_counts(self) -> tuple[int, dict[int, int]]:
        """The number of results, and the practices per theme among the results of every
        filter except the theme itself (so each theme says how many practices ticking it
        would add): one statement, which finds the matching practices once."""
        self.form.is_valid()
        try:
            matching = self._without_theme_filter().order_by().values("pk")
            sql, params = matching.query.sql_with_params()
        except EmptyResultSet:
            return 0, {}
        links = connection.ops.quote_name(Practice.themes.through._meta.db_table)
        chosen = [theme.pk for theme in self.form.cleaned_data.get("theme") or []]
        total_filter = ""
        if chosen:  # the total is of the results with the themes ticked
            subquery = f"SELECT practice_id FROM {links} WHERE theme_id = ANY(%s)"  # noqa: S608  # nosec B608
            total_filter = f" WHERE m.id IN ({subquery})"
            params = (*params, chosen)
        # Built from the ORM's own SQL and a quoted table name; every value is a parameter.
        statement = (
            f"WITH m(id) AS MATERIALIZED ({sql}) "  # noqa: S608  # nosec B608
            f"SELECT l.theme_id, COUNT(*) FROM {links} l JOIN m ON m.id = l.practice_id "
            f"GROUP BY l.theme_id UNION ALL SELECT NULL, COUNT(*) FROM m{total_filter}"
        )
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            rows = cursor.fetchall()
        counts = {theme_id: n for theme_id, n in rows if theme_id is not None}
        total = next(n for theme_id, n in rows if theme_id is None)
        return total, counts

    def load_choices(self, **extra) -> dict[str, list]:
        """The choices of every select and checkbox list, read in one query (themes, goals,
        problems, articles, the cities taking part in a published practice, each knowing
        whether it has one of its own), then the number of results (`result_count`) and
        the theme counts in a second (see result_counts). `extra` querysets travel in the
        first query; their rows are returned."""
        fields = self.form.fields
        lists = fetch_lists(
            themes=fields["theme"].queryset,
            goals=fields["goal"].queryset,
            problems=fields["problem"].queryset,
            crc=fields["crc"].queryset,
            cities=cities_with_practices()
            .annotate(has_own=_published_here("city"))
            # the code as a plain column: hundreds of Country objects cost more than the query
            .values("id", "name", "slug", "has_own", country_code=F("country")),
            **extra,
        )
        for name, key in (("goal", "goals"), ("problem", "problems"), ("crc", "crc")):
            fields[name].preload(lists[key])
        cities = lists["cities"]
        fields["city"].preload(cities)
        codes = {city.country_code for city in cities if city.has_own}
        names = sorted(((code, countries.name(code)) for code in codes), key=lambda c: str(c[1]))
        fields["country"].choices = names
        fields["country"].widget.choices = [("", fields["country"].empty_label), *names]
        # the themes validate against the loaded rows; their labels need the counts,
        # which depend on the other filters, now valid without a query of their own
        fields["theme"].preload(lists["themes"])
        self.result_count, counts = self.result_counts()
        fields["theme"].widget.choices = [
            (theme.slug, f"{theme.name} ({counts.get(theme.pk, 0)})") for theme in lists["themes"]
        ]
        return {name: lists[name] for name in extra}

    @property
    def active(self) -> bool:
        """True when the URL asks for any filter (sort order and page aside)."""
        return any(
            value.strip()
            for key in self.data
            if key not in ("sort", "page")
            for value in self.data.getlist(key)
        )
