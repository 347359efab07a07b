"""The open API's lists of the unit's own publications: its news and its work plans."""

from typing import Literal

from ninja import Field, Router

from unit import queries as unit_queries
from unit.filters import NewsFilter

from . import schemas as s
from .listing import ListParams, NoFilters, absolute_url, line_ref, list_operation

router = Router(tags=["unit"])


class NewsParams(ListParams):
    line: str | None = Field(None, description="Slug of a line of work.")
    language: Literal["es", "pt-br", "en"] | None = Field(None, description="Written in.")


@list_operation(
    router,
    "/news",
    s.NewsOut,
    "The unit's news",
    NewsParams,
    lambda: unit_queries.published_news(),
    ("-published_at", "-pk"),
    NewsFilter,
)
def _news(request, item) -> dict:
    """Published news, newest first (never a draft or a scheduled item)."""
    return {
        "slug": item.slug,
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "language": item.language,
        "published_at": item.published_at,
        "lines": [line_ref(line) for line in item.lines.all()],
        "updated_at": item.updated_at,
        "url": absolute_url(request, item),
    }


@list_operation(
    router,
    "/plans",
    s.PlanOut,
    "The unit's work plans and their lines of work",
    NoFilters,
    lambda: unit_queries.plans_with_lines(),
    ("-start_year", "pk"),
)
def _plan(request, plan) -> dict:
    """Latest plan first, each with its lines of work in number order."""
    return {
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "title": plan.title,
        "summary": plan.summary,
        "lines": [
            {
                "slug": line.slug,
                "number": line.number,
                "title": line.title,
                "description": line.description,
            }
            for line in plan.lines.all()
        ],
        "updated_at": plan.updated_at,
        "url": absolute_url(request, plan),
    }
