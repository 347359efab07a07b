"""The open API's list of funding calls, with the funding page's filters."""

from typing import Literal

from ninja import Field, Router

from funding import queries as funding_queries
from funding.filters import FundingCallFilter

from . import schemas as s
from .listing import ListParams, absolute_url, as_float, line_ref, list_operation, term_ref

router = Router(tags=["funding"])


class FundingParams(ListParams):
    theme: str | None = Field(None, description="Slug of a theme.")
    country: str | None = Field(None, description="ISO code of an eligible country.")
    status: Literal["open", "upcoming", "closed"] | None = Field(
        None, description="Today's status; `open` for the calls one may apply to now."
    )


@list_operation(
    router,
    "/funding-calls",
    s.FundingCallOut,
    "Funding calls",
    FundingParams,
    lambda: funding_queries.public_funding_calls(),
    ("closes_on", "pk"),
    FundingCallFilter,
)
def _funding_call(request, call) -> dict:
    """Closing soonest first, with the filters of the funding page; `status=open` gives the
    calls open today."""
    return {
        "slug": call.slug,
        "title": call.title,
        "funder": call.funder,
        "summary": call.summary,
        "status": call.status,
        "opens_on": call.opens_on,
        "closes_on": call.closes_on,
        "amount_min": as_float(call.amount_min),
        "amount_max": as_float(call.amount_max),
        "currency": call.currency,
        "eligible_countries": [country.code for country in call.eligible_countries],
        "themes": [term_ref(theme) for theme in call.themes.all()],
        "lines": [line_ref(line) for line in call.lines.all()],
        "link": call.link,
        "updated_at": call.updated_at,
        "url": absolute_url(request, call),
    }
