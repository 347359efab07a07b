"""What the portal pages (home, dashboard, site search, the unit's yearly review) read
from funding calls."""

import datetime

from django.contrib.postgres.search import SearchRank, SearchVector
from django.utils import timezone

from core.fulltext import SEARCH_CONFIGS, headline, search_query
from unit.queries import linked_by_line

from .models import FundingCall


def open_funding_calls(limit: int = 3) -> list[FundingCall]:
    """Calls open today, closing soonest first (no prefetch: the home lists titles only)."""
    return list(FundingCall.objects.open().order_by("closes_on", "pk")[:limit])


def search_funding_calls(q: str, limit: int = 10) -> list[FundingCall]:
    """Funding calls whose title, funder or summary match `q` with the practices' search
    (accent-insensitive, Spanish and Portuguese stems), best first, each with `rank` and
    a highlighted `headline` of its summary."""
    query = search_query(q)
    if query is None:
        return []
    # Calls carry no language column: index them with the Spanish and the Portuguese
    # stemmers so a reader of either language finds them.
    vector = None
    for config in (SEARCH_CONFIGS["es"], SEARCH_CONFIGS["pt-br"]):
        part = SearchVector("title", weight="A", config=config) + SearchVector(
            "funder", "summary", weight="B", config=config
        )
        vector = part if vector is None else vector + part
    return list(
        FundingCall.objects.annotate(document=vector)
        .filter(document=query)
        .annotate(
            rank=SearchRank(vector, query),
            headline=headline(
                "summary", query, config=SEARCH_CONFIGS["es"], max_words=35, min_words=12
            ),
        )
        .order_by("-rank", "-closes_on", "pk")[:limit]
    )


def funding_calls_closing_within(days: int = 60) -> list[FundingCall]:
    """Open calls that close within `days`, soonest first. One query."""
    until = timezone.localdate() + datetime.timedelta(days=days)
    return list(FundingCall.objects.open().filter(closes_on__lte=until).order_by("closes_on", "pk"))


def funding_calls_by_line_in_year(line_ids, year: int) -> dict[int, list[FundingCall]]:
    """line id → the funding calls that name that line of work and were open at some point
    of `year` (opens_on..closes_on overlaps it), by opening date. One query whatever the
    number of lines or calls."""
    return linked_by_line(
        FundingCall,
        line_ids,
        filters={
            "opens_on__lte": datetime.date(year, 12, 31),
            "closes_on__gte": datetime.date(year, 1, 1),
        },
        related="",
        fields=("title", "slug", "funder", "link", "opens_on", "closes_on", "is_sample"),
        order="opens_on",
    )


def public_funding_calls():
    """Every funding call with its themes and lines of work, for the open API (the status
    filter narrows it to the open ones)."""
    return FundingCall.objects.with_card_data().prefetch_related("lines")
