"""The filters of the library and the news: all in the URL, combinable. A value that is not
understood is left out of the filtering and reported beside its field (never an error page).
"""

import django_filters
from django.contrib.postgres.search import SearchRank
from django.db.models import F
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.filtering import strip_nul
from core.fulltext import clean_query_text, headline, search_query

from . import queries
from .models import Document, Language, NewsItem


def _line_filter():
    return django_filters.ModelChoiceFilter(
        label=_("Line of work"),
        field_name="lines",
        queryset=queries.line_choices(),
        to_field_name="slug",
        empty_label=_("Any line of work"),
    )


def _language_filter():
    return django_filters.ChoiceFilter(
        label=_("Language"), choices=Language.choices, empty_label=_("Any language")
    )


class _ActiveMixin:
    @property
    def active(self) -> bool:
        """True when the URL asks for any filter (the page number aside)."""
        return any(v.strip() for k in self.data if k != "page" for v in self.data.getlist(k))


class DocumentFilter(_ActiveMixin, django_filters.FilterSet):
    """The library: type, year, language, line of work and words in title or summary.

    With words, the documents come by relevance with a highlighted snippet of the summary
    (`rank`, `headline`); otherwise newest year first, then by title.
    """

    q = django_filters.CharFilter(
        label=_("Words in the title or summary"), method="filter_search", max_length=1000
    )
    kind = django_filters.ChoiceFilter(
        label=_("Type"),
        choices=[(value, capfirst(label)) for value, label in Document.Kind.choices],
        empty_label=_("Any type"),
    )
    year = django_filters.ChoiceFilter(label=_("Year"), choices=[], empty_label=_("Any year"))
    language = _language_filter()
    line = _line_filter()

    class Meta:
        model = Document
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(strip_nul(data), *args, **kwargs)
        # The years of the documents this reader may see (one query, before the form exists).
        years = (
            self.queryset.order_by("-year").values_list("year", flat=True).distinct()
            if self.queryset is not None
            else []
        )
        self.filters["year"].extra["choices"] = [(str(year), str(year)) for year in years]

    def filter_search(self, queryset, name, value):
        query = search_query(value)
        if query is None:
            return queryset
        return queryset.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query), headline=headline("summary", query)
        )

    @property
    def searching(self) -> bool:
        return bool(clean_query_text(self.form.cleaned_data.get("q")))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.searching:
            return queryset.order_by("-rank", "-year", "title", "pk")
        return queryset.order_by("-year", "title", "pk")


class NewsFilter(_ActiveMixin, django_filters.FilterSet):
    """The news: by line of work and language; newest first."""

    line = _line_filter()
    language = _language_filter()

    class Meta:
        model = NewsItem
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(strip_nul(data), *args, **kwargs)
