"""Open data: the published transfers as CSV or JSON (never the contact)."""

from django.utils.translation import gettext_lazy as _

from mapping.exports import Column

from . import queries

COLUMNS = [
    Column("practice_slug", "text", _("Identifier of the practice in the portal's addresses.")),
    Column("practice_title", "text", _("Title of the practice.")),
    Column("practice_city_slug", "text", _("Identifier of the practice's own city.")),
    Column("city_slug", "text", _("Identifier of the city that took the practice.")),
    Column("city_name", "text", _("Name of the city that took the practice.")),
    Column("kind", "text", _("“adopted” (as it was) or “adapted”.")),
    Column("started_on", "text", _("When the city started it (YYYY-MM-DD).")),
    Column("changes", "text", _("What the city changed.")),
    Column("results", "text", _("First results.")),
    Column("published_at", "datetime", _("When the record was published.")),
]


def transfer_records():
    """One dict per published transfer, in COLUMNS' names; the contact is never read."""
    rows = queries.published_transfers().only(
        "kind",
        "started_on",
        "changes",
        "results",
        "published_at",
        "city__slug",
        "city__name",
        "practice__slug",
        "practice__title",
        "practice__city__slug",
    )
    for transfer in rows.iterator(chunk_size=2000):
        yield {
            "practice_slug": transfer.practice.slug,
            "practice_title": transfer.practice.title,
            "practice_city_slug": transfer.practice.city.slug,
            "city_slug": transfer.city.slug,
            "city_name": transfer.city.name,
            "kind": transfer.kind,
            "started_on": transfer.started_on.isoformat(),
            "changes": transfer.changes,
            "results": transfer.results,
            "published_at": transfer.published_at.isoformat(),
        }
