"""The periodic review of the unit's work plan, one year at a time: for each line of work of
the plan in force, the practices, events, funding calls, social-profile updates and (for the
exchange line) practice transfers of that year, with the secretariat's review note, and the
network's figures for the year. Also as a printable report and as CSV. A year no plan covers
says so and still shows its figures.

Every figure comes from utds.figures, which reads each kind of activity for all the lines
at once, so a page runs a fixed number of queries whatever the number of lines.
"""

import csv
from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cities import queries as city_queries
from core.spreadsheet import safe_cell
from core.text import plain_text
from unit import queries as unit_queries
from unit.permissions import can_manage_unit, can_read_document
from utds import figures

# Years before the network existed have nothing to review.
FIRST_YEAR = 1995


@dataclass
class LineReview(figures.LineFigures):
    """One line of work in one year: its activities (utds.figures) and the secretariat's
    review note."""

    note: object | None = None


@dataclass
class PlanReview:
    """A year's review: the plan in force (None when no plan covers the year), the
    coordination, each line's figures and the network's totals for the year."""

    plan: object | None
    year: int
    roles: list
    lines: list[LineReview]
    totals: dict

    @property
    def figures(self) -> list[dict]:
        return figures.year_figure_rows(self.totals)

    @property
    def other_years(self) -> list[int]:
        if self.plan is None:
            return []
        return [year for year in self.plan.review_years() if year != self.year]


def plan_review(year: int) -> PlanReview | None:
    """The review of `year`, or None when the year has not begun or precedes the network.
    A year that no plan covers has a review all the same: no lines, the year's totals."""
    if year > timezone.localdate().year or year < FIRST_YEAR:
        return None
    plan = unit_queries.plan_in_force(year)
    counts = figures.counts_by_year_and_country([year])
    lines = []
    if plan is not None:
        lines = [
            LineReview(
                **vars(item),
                note=item.line.notes_of_year[0] if item.line.notes_of_year else None,
            )
            for item in figures.lines_in_year(plan.lines.all(), year, counts)
        ]
    roles = city_queries.unit_roles_in_year(year)
    return PlanReview(plan=plan, year=year, roles=roles, lines=lines, totals=counts.totals(year))


def _review_or_404(year: int) -> PlanReview:
    review = plan_review(year)
    if review is None:
        raise Http404(_("There is no review for that year."))
    return review


def _context(request, review: PlanReview) -> dict:
    document = review.plan.document if review.plan else None
    return {
        "review": review,
        "plan": review.plan,
        "year": review.year,
        "show_document": document is not None and can_read_document(request.user, document),
        "can_write_notes": can_manage_unit(request.user),
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
    "count",
]


def _local_date(moment, zone=None) -> str:
    return timezone.localtime(moment, zone).date().isoformat() if moment else ""


def _csv_rows(request, review: PlanReview):
    """(activity type, title, cities, date, path) per activity of each line, then its note."""
    page = reverse("unit:plan", kwargs={"year": review.year})
    url = request.build_absolute_uri(page)
    # the network's figures for the year, as on the page and the dashboard
    for figure in review.figures:
        row = [review.year, "", "", f"total_{figure['slug']}", figure["title"], "", "", url]
        yield [safe_cell(value) for value in [*row, figure["value"]]]
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
        rows += [
            (
                "transfer",
                transfer.practice.title,
                f"{transfer.practice.city.name} → {transfer.city.name}",
                _local_date(transfer.published_at),
                transfer.get_absolute_url(),
            )
            for transfer in item.transfers or []
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
            yield [safe_cell(value) for value in [*head, kind, title, cities, date, url, ""]]


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
