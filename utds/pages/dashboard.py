"""The logged-in home. A coordinator sees how complete and current their cities' profiles
are, their practices in progress, events open for registration and funding calls closing
soon; the secretariat also sees the network's monitoring and evaluation, with CSV exports.

Every read goes through the apps' queries.py; the page costs a fixed number of queries.
"""

import csv
import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_countries import countries

from accounts.permissions import is_secretariat
from accounts.security import log_event
from cities import queries as city_queries
from core import charts
from events import queries as event_queries
from experiences import queries as practice_queries
from funding import queries as funding_queries
from mapping import queries as mapping_queries

# A profile, a publication or a participation older than this no longer counts as current.
ACTIVITY_WINDOW = datetime.timedelta(days=365)
FUNDING_HORIZON_DAYS = 60
YEARS_SHOWN = 5
TABLES = ("published", "profiles", "participation", "inactive")


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


def _yearly_table(slug, title, counts, years, member_countries) -> dict:
    """Rows per country (member countries and any other with a count), a cell per year,
    a total row, and a bar chart of the totals."""
    codes = sorted(set(member_countries) | {code for _year, code in counts})
    rows = [
        {
            "country": countries.name(code) or code,
            "cells": [counts.get((y, code), 0) for y in years],
        }
        for code in codes
    ]
    rows.sort(key=lambda row: row["country"])
    totals = [sum(row["cells"][i] for row in rows) for i in range(len(years))]
    chart = charts.bar_chart(
        [{"label": str(year), "value": total} for year, total in zip(years, totals, strict=True)],
        chart_id=f"chart-{slug}",
        title=title,
        description=_("Network totals by year; the table gives the figures by country."),
        decimals=0,
        label_width=70,
        sort=False,
    )
    return {
        "slug": slug,
        "title": title,
        "years": years,
        "rows": rows,
        "totals": totals,
        "chart": chart,
    }


def _inactive_cities() -> list:
    """Member cities that have not published, updated their profile or taken part in an
    event for 12 months (one or more of the three), most gaps first. One query."""
    since = timezone.now() - ACTIVITY_WINDOW
    cities = city_queries.member_cities_with(
        last_published=practice_queries.last_published_expression(),
        last_profile_update=mapping_queries.last_profile_update_expression(),
        last_attended=event_queries.last_attended_expression(),
    )
    inactive = []
    for city in cities:
        dates = (city.last_published, city.last_profile_update, city.last_attended)
        city.gaps = sum(1 for moment in dates if moment is None or moment < since)
        if city.gaps:
            inactive.append(city)
    inactive.sort(key=lambda city: (-city.gaps, city.name))
    return inactive


def monitoring_table(slug: str, member_countries=None):
    """One table of the secretariat's monitoring, by its slug (1–2 queries)."""
    years = _years()
    if slug == "inactive":
        return _inactive_cities()
    if slug == "published":
        counts = practice_queries.published_count_by_year_and_country(years)
        title = _("Practices published")
    elif slug == "profiles":
        counts = mapping_queries.profile_city_count_by_year_and_country(years)
        title = _("Cities with a current social profile")
    else:
        counts = event_queries.participating_city_count_by_year_and_country(years)
        title = _("Cities taking part in events")
    if member_countries is None:
        member_countries = {city.country.code for city in city_queries.member_cities_with()}
    return _yearly_table(slug, title, counts, years, member_countries)


def secretariat_panel() -> dict:
    """The network's monitoring and evaluation (8 queries)."""
    inactive = monitoring_table("inactive")
    members = city_queries.member_cities_with()
    member_countries = {city.country.code for city in members}
    return {
        "participation": city_queries.participation_figures(),
        "yearly_tables": [
            monitoring_table(slug, member_countries)
            for slug in ("published", "profiles", "participation")
        ],
        "inactive_cities": inactive,
        "activity_since": timezone.localdate() - ACTIVITY_WINDOW,
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


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _date(moment) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


@login_required
@require_safe
def export_csv(request, table):
    """One of the monitoring tables as CSV, for the secretariat only."""
    if not is_secretariat(request.user):
        raise PermissionDenied
    if table not in TABLES:
        raise Http404
    log_event("export", request, what=f"dashboard-{table}")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="utds-{table}.csv"'
    writer = csv.writer(response)
    if table == "inactive":
        writer.writerow(
            [
                _("City"),
                _("Country"),
                _("Last practice published"),
                _("Last profile update"),
                _("Last event attended"),
            ]
        )
        for city in monitoring_table(table):
            writer.writerow(
                [
                    _cell(city.name),
                    city.country.code,
                    _date(city.last_published),
                    _date(city.last_profile_update),
                    _date(city.last_attended),
                ]
            )
        return response
    data = monitoring_table(table)
    writer.writerow([_("Country"), *data["years"]])
    for row in data["rows"]:
        writer.writerow([_cell(row["country"]), *row["cells"]])
    writer.writerow([_("Total"), *data["totals"]])
    return response
