"""Site-wide search: cities, published practices, social problems, indicators and funding
calls, grouped by kind. Each app is read through its queries (one or two queries per kind);
no input, however odd, makes it fail: words go through parameterised `websearch_to_tsquery`
or `LIKE` lookups, never into SQL text."""

from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from cities import queries as city_queries
from cities.models import City
from core.fulltext import clean_query_text
from events.queries import search_events
from experiences import queries as practice_queries
from funding import queries as funding_queries
from mapping.models import Indicator, SocialProblem

PER_KIND = 20
NAME_FIELDS = ("name_es", "name_pt_br", "name_en")


def _words(text: str) -> str:
    """The query for the accent-folded `contains` matches: letters, digits and spaces."""
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def _cities(text: str) -> list:
    folded = city_queries.fold(text)
    return list(
        City.objects.visible_to(None)
        .alias(
            folded_name=city_queries.folded("name"),
            folded_state=city_queries.folded("state_province"),
        )
        .filter(Q(folded_name__contains=folded) | Q(folded_state__contains=folded))
        .only("name", "slug", "country", "state_province", "status")
        .order_by("sort_name", "pk")[:PER_KIND]
    )


def _vocabulary(model, text: str) -> list:
    # unaccent on both sides: "criancas" finds "Crianças" in any of the three languages
    match = Q()
    for field in NAME_FIELDS:
        match |= Q(**{f"{field}__unaccent__icontains": text})
    return list(model.objects.filter(match).order_by("name_es", "pk")[:PER_KIND])


def _events(text: str) -> list:
    return list(search_events(text, PER_KIND))


@require_safe
def search(request):
    text = clean_query_text(request.GET.get("q", ""))
    words = _words(text)
    groups = []
    if words:
        groups = [
            ("cities", _("Cities"), _cities(words)),
            ("practices", _("Practices"), practice_queries.search_practices(text, PER_KIND)),
            ("funding", _("Funding calls"), funding_queries.search_funding_calls(text, PER_KIND)),
            ("problems", _("Social problems"), _vocabulary(SocialProblem, words)),
            ("indicators", _("Indicators"), _vocabulary(Indicator, words)),
            ("events", _("Events"), _events(text)),
        ]
    found = [(kind, title, items) for kind, title, items in groups if items]
    context = {
        "q": text,
        "searched": bool(words),
        "groups": found,
        "total": sum(len(items) for _kind, _title, items in found),
        "per_kind": PER_KIND,
    }
    return render(request, "pages/search.html", context)
