"""The logged-in home. A coordinator sees how complete and current their cities' profiles
are, their practices in progress, events open for registration and funding calls closing
soon; the secretariat also sees the network's monitoring and evaluation, with CSV exports.

Every read goes through the apps' queries.py; the page costs a fixed number of queries.
"""

import csv
import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.permissions import is_secretariat
from accounts.security import log_event
from cities import queries as city_queries
from core import charts
from core.spreadsheet import safe_cell
from events import permissions as event_permissions
from events import queries as event_queries
from experiences import queries as practice_queries
from funding import queries as funding_queries
from mapping import queries as mapping_queries
from utds import figures

# A profile older than this no longer counts as current on a coordinator's checklist.
ACTIVITY_WINDOW = datetime.timedelta(days=365)
FUNDING_HORIZON_DAYS = 60
YEARS_SHOWN = 5
# the yearly tables, one per measure of utds.figures.MEASURES (each also as CSV)
TABLES = tuple(figures.MEASURES)


def coordinator_panel(user) -> dict:
    """The user's cities with their profile checks, stale contacts, practices in progress,
    events open for registration and funding calls closing soon (6 queries at most)."""
    since = timezone.now() - ACTIVITY_WINDOW
    cities = city_queries.dashboard_cities(
        user, **mapping_queries.profile_current_expressions(since)
    )
    for city in cities:
        city.checks = [
            (_("Summary written"), bool(city.summary.strip())),
            (_("Problems updated in the last 12 months"), city.problems_current),
            (_("Indicators updated in the last 12 months"), city.indicators_current),
            (_("At least one focal point"), city.focal_point_count > 0),
            (
                _("Focal points confirmed within a year"),
                city.focal_point_count > 0 and city.stale_focal_count == 0,
            ),
        ]
        city.checks_done = sum(done for _label, done in city.checks)
    return {
        "cities": cities,
        "stale_focal_points": city_queries.stale_focal_points(cities),
        "in_progress": practice_queries.in_progress_for(user),
        "open_events": event_queries.open_for_registration_with_cities([c.pk for c in cities]),
        "funding_calls": funding_queries.funding_calls_closing_within(FUNDING_HORIZON_DAYS),
        "funding_horizon": FUNDING_HORIZON_DAYS,
    }


def _years() -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year - YEARS_SHOWN + 1, this_year + 1))


def _with_chart(table: dict) -> dict:
    table["chart"] = charts.bar_chart(
        [
            {"label": str(year), "value": total}
            for year, total in zip(table["years"], table["totals"], strict=True)
        ],
        chart_id=f"chart-{table['slug']}",
        title=table["title"],
        description=_("Network totals by year; the table gives the figures by country."),
        decimals=0,
        label_width=70,
        sort=False,
    )
    return table


def monitoring_tables(slugs=TABLES, member_countries=None) -> list[dict]:
    """The secretariat's yearly tables by country, from utds.figures (2 queries)."""
    years = _years()
    counts = figures.counts_by_year_and_country(years)
    if member_countries is None:
        member_countries = {city.country.code for city in city_queries.member_cities_with()}
    return [
        figures.yearly_table(slug, counts.by_measure[slug], years, member_countries)
        for slug in slugs
    ]


def secretariat_panel() -> dict:
    """The network's monitoring and evaluation."""
    members = city_queries.member_cities_with()
    member_countries = {city.country.code for city in members}
    return {
        "participation": city_queries.participation_figures(),
        "yearly_tables": [_with_chart(t) for t in monitoring_tables(TABLES, member_countries)],
        "inactive_cities": figures.inactive_cities(),
        "activity_since": figures.active_since(),
        "inactive_months": settings.INACTIVE_AFTER_MONTHS,
    }


@login_required
@require_safe
def dashboard(request):
    """Coordinator home; the secretariat also sees the network's monitoring."""
    context = coordinator_panel(request.user)
    context["is_secretariat"] = is_secretariat(request.user)
    if context["is_secretariat"]:
        context.update(secretariat_panel())
    return render(request, "pages/dashboard.html", context)


@require_safe
@login_required
def participation(request):
    """The cities by events attended, and the member cities without any activity (for the
    secretariat), from utds.figures."""
    if not event_permissions.can_see_participation(request.user):
        raise PermissionDenied
    context = {
        "active": figures.participation_by_city(),
        "inactive_cities": figures.inactive_cities(),
        "activity_since": figures.active_since(),
        "inactive_months": settings.INACTIVE_AFTER_MONTHS,
    }
    return render(request, "events/participation_summary.html", context)


def _date(moment) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


@login_required
@require_safe
def export_csv(request, table):
    """One of the monitoring tables as CSV, for the secretariat only."""
    if not is_secretariat(request.user):
        raise PermissionDenied
    if table not in (*TABLES, "inactive"):
        raise Http404
    log_event("export", request, what=f"dashboard-{table}")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="utds-{table}.csv"'
    writer = csv.writer(response)
    if table == "inactive":
        writer.writerow(
            [_("City"), _("Country"), _("Last activity"), _("Date of the last activity")]
        )
        for city in figures.inactive_cities():
            last = city.last_activity
            writer.writerow(
                [
                    safe_cell(city.name),
                    city.country.code,
                    safe_cell(last.label if last else _("never")),
                    _date(last.at if last else None),
                ]
            )
        return response
    (data,) = monitoring_tables([table])
    writer.writerow([_("Country"), *data["years"]])
    for row in data["rows"]:
        writer.writerow([safe_cell(row["country"]), *row["cells"]])
    writer.writerow([_("Total"), *data["totals"]])
    return response
