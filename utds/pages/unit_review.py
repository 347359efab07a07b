"""The periodic review of the unit's work plan, one year at a time: for each line of work of
the plan in force, the practices, events, funding calls and social-profile updates of that
year, with the secretariat's review note. Also as a printable report and as CSV.

Each kind of activity is read for all the lines at once through its app's queries.py, so a
page runs a fixed number of queries whatever the number of lines or activities.
"""

import csv
from dataclasses import dataclass, field

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cities import queries as city_queries
from core.spreadsheet import safe_cell
from core.text import plain_text
from events import queries as event_queries
from experiences import queries as practice_queries
from funding import queries as funding_queries
from mapping import queries as mapping_queries
from unit import queries as unit_queries
from unit.permissions import can_read_document


@dataclass
class LineReview:
    """One line of work in one year: its activities and the secretariat's note."""

    line: object
    note: object | None
    practices: list = field(default_factory=list)
    events: list = field(default_factory=list)
    funding_calls: list = field(default_factory=list)
    # None for the lines that do not follow the cities' social profiles
    profile_updates: list | None = None

    @property
    def activity_count(self) -> int:
        updates = len(self.profile_updates or [])
        return len(self.practices) + len(self.events) + len(self.funding_calls) + updates


@dataclass
class PlanReview:
    plan: object
    year: int
    roles: list
    lines: list[LineReview]

    @property
    def other_years(self) -> list[int]:
        return [year for year in self.plan.review_years() if year != self.year]


def plan_review(year: int) -> PlanReview | None:
    """The review of `year`, or None when no plan covers it or the year has not begun."""
    if year > timezone.localdate().year:
        return None
    plan = unit_queries.plan_for_year(year)
    if plan is None:
        return None
    lines = list(plan.lines.all())
    ids = [line.pk for line in lines]
    practices = practice_queries.published_by_line_in_year(ids, year)
    events = event_queries.held_by_line_in_year(ids, year)
    calls = funding_queries.funding_calls_by_line_in_year(ids, year)
    wants_profiles = any(line.shows_profile_updates for line in lines)
    updates = mapping_queries.profile_updates_in_year(year) if wants_profiles else []
    reviews = [
        LineReview(
            line=line,
            note=line.notes_of_year[0] if line.notes_of_year else None,
            practices=practices[line.pk],
            events=events[line.pk],
            funding_calls=calls[line.pk],
            profile_updates=updates if line.shows_profile_updates else None,
        )
        for line in lines
    ]
    roles = city_queries.unit_roles_in_year(year)
    return PlanReview(plan=plan, year=year, roles=roles, lines=reviews)


def _review_or_404(year: int) -> PlanReview:
    review = plan_review(year)
    if review is None:
        raise Http404(_("There is no work plan to review for that year."))
    return review


def _context(request, review: PlanReview) -> dict:
    document = review.plan.document
    return {
        "review": review,
        "plan": review.plan,
        "year": review.year,
        "show_document": document is not None and can_read_document(request.user, document),
        "generated_on": timezone.localdate(),
    }


@require_safe
def plan_index(request):
    """The current plan's latest reviewable year; otherwise the list of plans, if any."""
    this_year = timezone.localdate().year
    current = unit_queries.plans().covering(this_year).first()
    if current is not None:
        # the plan covers this year, so this year is its latest reviewable one
        return redirect("unit:plan", year=current.review_years()[0])
    return render(request, "unit/plan_index.html", {"plans": list(unit_queries.plans())})


@require_safe
def plan(request, year):
    review = _review_or_404(year)
    return render(request, "unit/plan_review.html", _context(request, review))


@require_safe
def report(request, year):
    review = _review_or_404(year)
    return render(request, "unit/plan_report.html", _context(request, review))


# --- CSV -------------------------------------------------------------------------------------

CSV_COLUMNS = [
    "year",
    "line_number",
    "line_title",
    "activity_type",
    "title",
    "cities",
    "date",
    "url",
]


def _local_date(moment, zone=None) -> str:
    return timezone.localtime(moment, zone).date().isoformat() if moment else ""


def _csv_rows(request, review: PlanReview):
    """(activity type, title, cities, date, path) per activity of each line, then its note."""
    page = reverse("unit:plan", kwargs={"year": review.year})
    for item in review.lines:
        head = [review.year, item.line.number, item.line.title]
        rows = [
            ("practice", p.title, p.city.name, _local_date(p.published_at), p.get_absolute_url())
            for p in item.practices
        ]
        rows += [
            (
                "event",
                event.title,
                "; ".join(city.name for city in event.participating),
                _local_date(event.starts_at, event.tz),
                event.get_absolute_url(),
            )
            for event in item.events
        ]
        rows += [
            (
                "funding_call",
                call.title,
                "",
                f"{call.opens_on.isoformat()}/{call.closes_on.isoformat()}",
                call.get_absolute_url(),
            )
            for call in item.funding_calls
        ]
        rows += [
            (
                "profile_update",
                _("Social profile of %(city)s") % {"city": update.city.name},
                update.city.name,
                "",
                update.city.get_absolute_url(),
            )
            for update in item.profile_updates or []
        ]
        if item.note is not None:
            text = plain_text(item.note.body, limit=len(item.note.body) + 1)
            rows.append(
                (
                    "review_note",
                    text,
                    "",
                    _local_date(item.note.updated_at),
                    f"{page}#line-{item.line.number}",
                )
            )
        for kind, title, cities, date, path in rows:
            url = request.build_absolute_uri(path)
            yield [safe_cell(value) for value in [*head, kind, title, cities, date, url]]


@require_safe
def export_csv(request, year):
    """The year's review as CSV: one row per line and activity, plus each line's note as
    plain text, UTF-8 like the other exports."""
    review = _review_or_404(year)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="utds-review-{review.year}.csv"'
    writer = csv.writer(response, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_rows(request, review))
    return response
