"""The secretariat's CSV of registrations: one line per delegate (or per city once the
delegates' data was deleted). Never public: the views and the admin check who asks."""

import csv

from django.http import StreamingHttpResponse

from core.spreadsheet import safe_cell

from .models import Registration

COLUMNS = [
    "event_slug",
    "event_title",
    "city_slug",
    "city_name",
    "country",
    "status",
    "waiting_position",
    "attendees",
    "registered_by",
    "note",
    "registered_at",
    "delegate_name",
    "delegate_position",
    "delegate_email",
]


class _Echo:
    def write(self, value):
        return value


def _rows(events):
    registrations = (
        Registration.objects.filter(event__in=events)
        .with_delegates()
        .select_related("event")
        .order_by("event__starts_at", "event__pk", "status", "waiting_position", "city__sort_name")
    )
    for registration in registrations.iterator(chunk_size=500):
        head = [
            registration.event.slug,
            registration.event.title,
            registration.city.slug,
            registration.city.name,
            registration.city.country.code,
            registration.status,
            registration.waiting_position,
            registration.attendees,
            registration.registered_by.email if registration.registered_by else "",
            registration.note,
            registration.created_at.isoformat(),
        ]
        delegates = list(registration.delegates.all()) or [None]
        for delegate in delegates:
            tail = [delegate.name, delegate.position, delegate.email] if delegate else ["", "", ""]
            yield [safe_cell(cell) for cell in head + tail]


def registrations_csv(events, filename: str) -> StreamingHttpResponse:
    """A streamed CSV of the registrations (with delegates) of `events`."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")

    def lines():
        yield writer.writerow(COLUMNS)
        for row in _rows(events):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
