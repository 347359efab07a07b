"""The open API's list of published practice transfers: which city adopted or adapted which
city's practice, when, what it changed and what came of it. Never the contact nor who
recorded it; never a draft, nor a transfer of a practice that is not published."""

from ninja import Field, Router

from peers import queries as peer_queries
from peers.filters import TransferFilter

from . import schemas as s
from .listing import ListParams, absolute_url, city_ref, list_operation

router = Router(tags=["transfers"])

# The columns a row is built from: the contact and who recorded it are never read.
COLUMNS = (
    *("kind", "started_on", "changes", "results", "published_at", "updated_at"),
    *("city__slug", "city__name", "city__country"),
    *("practice__slug", "practice__title"),
    *("practice__city__slug", "practice__city__name", "practice__city__country"),
)


class TransferParams(ListParams):
    city: str | None = Field(None, description="Slug of the city that took the practice.")
    practice: str | None = Field(None, description="Slug of a published practice.")
    from_city: str | None = Field(None, description="Slug of the practice's own city.")


@list_operation(
    router,
    "/transfers",
    s.TransferOut,
    "Published practice transfers",
    TransferParams,
    lambda: peer_queries.published_transfers().only(*COLUMNS),
    ("-published_at", "-pk"),
    TransferFilter,
)
def _transfer(request, transfer) -> dict:
    """Published transfers of published practices, the latest published first (never the
    contact nor who recorded it)."""
    practice = transfer.practice
    return {
        "id": transfer.pk,
        "practice": {
            "slug": practice.slug,
            "title": practice.title,
            "url": absolute_url(request, practice),
            "city": city_ref(practice.city),
        },
        "city": city_ref(transfer.city),
        "kind": transfer.kind,
        "started_on": transfer.started_on,
        "changes": transfer.changes,
        "results": transfer.results,
        "published_at": transfer.published_at,
        "url": absolute_url(request, transfer),
    }
