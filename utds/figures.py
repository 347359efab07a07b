"""Every figure the portal shows about the network's activity, computed here and only here.

The home page, the secretariat's dashboard and its CSV files, the review of the work plan
(page, printable report and CSV) and the participation in events all read this module, so
the same thing has the same number everywhere.

What counts as activity of a city, one rule per kind (`Activity`):
- a practice published: a practice of the city with status published, dated when it was
  published;
- a problem or an indicator value updated: a row of the city's social profile created or
  changed, dated by that change (the year of the data itself does not matter);
- an event attended: `Registration.objects.attended()`: the event ended and was not
  cancelled, and the city's registration was confirmed or the secretariat marked it as
  present (its correction wins); dated when the event ended;
- interest in a funding call: the city marked its interest, dated when it did;
- a practice transfer published: the adopting city recorded that it adopted or adapted
  another city's practice and published it, dated when it was published;
- a question asked: a member whose account belongs to a city asked a practice's city (or
  the other cities interested in a funding call) a question, dated when it was asked; it is
  activity of the asking city (a question from a member without a city counts in the
  figures below but is nobody's activity).
An event counts as held once it has ended; an event or an activity belongs to the calendar
year (portal time zone) in which it ended or happened. A city is inactive when it has no
activity of any kind for `settings.INACTIVE_AFTER_MONTHS` months.

The yearly figures count questions one by one under the country of the city asked (the
practice's city; for a question to the cities interested in a funding call, which goes to
several cities, the asking city's), and transfers one by one under the adopting city's.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import CharField, Count, F, Max, Q, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cities import queries as city_queries
from cities.models import City
from core.text import sort_key
from events import queries as event_queries
from events.models import Event, Registration
from experiences import queries as practice_queries
from experiences.models import Practice
from funding import queries as funding_queries
from funding.models import FundingInterest
from mapping import queries as mapping_queries
from mapping.models import CityProblem, IndicatorValue
from peers.models import Question, Transfer


class Activity:
    """The kinds of activity, with the words the pages show for each."""

    PRACTICE = "practice"
    PROBLEM = "problem"
    INDICATOR = "indicator"
    EVENT = "event"
    FUNDING = "funding"
    TRANSFER = "transfer"
    QUESTION = "question"

    LABELS = {
        PRACTICE: _("practice published"),
        PROBLEM: _("social problem updated"),
        INDICATOR: _("indicator value updated"),
        EVENT: _("event attended"),
        FUNDING: _("interest in a funding call"),
        TRANSFER: _("practice transfer published"),
        QUESTION: _("question asked to a city"),
    }


def _sources(now) -> dict:
    """kind → a queryset with `city_id` and `moment` (when the activity happened)."""
    return {
        Activity.PRACTICE: Practice.objects.published()
        .filter(published_at__lte=now)
        .annotate(moment=F("published_at")),
        Activity.PROBLEM: CityProblem.objects.annotate(moment=F("updated_at")),
        Activity.INDICATOR: IndicatorValue.objects.annotate(moment=F("updated_at")),
        Activity.EVENT: Registration.objects.attended(now).annotate(moment=F("event__ends_at")),
        Activity.FUNDING: FundingInterest.objects.annotate(moment=F("created_at")),
        # of a practice still published: the transfer's page links to it
        Activity.TRANSFER: Transfer.objects.published()
        .filter(published_at__lte=now, practice__status=Practice.Status.PUBLISHED)
        .annotate(moment=F("published_at")),
        # city_id: the asking city (None for a member without one: nobody's activity)
        Activity.QUESTION: Question.objects.filter(asked_at__lte=now).annotate(
            moment=F("asked_at"),
            city_id=F("from_city_id"),
            asked_country=Coalesce("practice__city__country", "from_city__country"),
        ),
    }


# --- The last activity of each city and the inactive cities ---------------------------------


@dataclass(frozen=True)
class LastActivity:
    at: datetime.datetime
    kind: str

    @property
    def label(self) -> str:
        return str(Activity.LABELS[self.kind])


def last_activity_by_city(now=None) -> dict[int, LastActivity]:
    """city id → its latest activity of any kind (date and kind). One query."""
    now = now or timezone.now()
    parts = [
        queryset.order_by()
        .values("city_id")
        .annotate(kind=Value(kind, output_field=CharField()), last=Max("moment"))
        .values_list("city_id", "kind", "last")
        for kind, queryset in _sources(now).items()
    ]
    latest: dict[int, LastActivity] = {}
    for city_id, kind, moment in parts[0].union(*parts[1:], all=True):
        if city_id is None or moment is None:
            continue
        if city_id not in latest or moment > latest[city_id].at:
            latest[city_id] = LastActivity(moment, kind)
    return latest


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and time `months` calendar months earlier (the month's last day when
    that month is shorter)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


def active_since(now=None) -> datetime.datetime:
    """The start of the window: a city with any activity after it is active."""
    return months_before(now or timezone.now(), settings.INACTIVE_AFTER_MONTHS)


def inactive_cities(now=None) -> list[City]:
    """Member cities without any activity since `active_since()`, each with
    `last_activity` (a LastActivity, or None when it never did anything), those that never
    did anything first, then the longest idle. Two queries."""
    now = now or timezone.now()
    since = active_since(now)
    latest = last_activity_by_city(now)
    inactive = []
    for city in City.objects.members().order_by("sort_name", "pk"):
        city.last_activity = latest.get(city.pk)
        if city.last_activity is None or city.last_activity.at < since:
            inactive.append(city)
    oldest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    inactive.sort(key=lambda c: c.last_activity.at if c.last_activity else oldest)
    return inactive


# --- Counts by year and country ----------------------------------------------------------------

# measure → (title, what it counts); the dashboard shows one table per measure, in order.
MEASURES = {
    "published": (
        _("Practices published"),
        _("Practices published in the year, by the country of their city."),
    ),
    "profiles": (
        _("Cities that updated their social profile"),
        _("Cities that created or changed problems or indicator values during the year."),
    ),
    "participation": (
        _("Cities that attended events"),
        _(
            "Cities with a confirmed registration (or marked present by the secretariat) at "
            "an event that ended during the year and was not cancelled."
        ),
    ),
    "funding": (
        _("Cities interested in funding calls"),
        _("Cities that marked their interest in a funding call during the year."),
    ),
    "transfers": (
        _("Practice transfers published"),
        _(
            "Transfers of a practice to another city (adopted or adapted) published in the "
            "year, by the country of the adopting city."
        ),
    ),
    "questions": (
        _("Questions asked to cities"),
        _(
            "Questions members sent to a practice's city in the year, by the country of the "
            "city asked; a question to the other cities interested in a funding call counts "
            "once, under the asking city's country."
        ),
    ),
}
# Counted for the review of a year, not shown by country.
EVENTS_HELD = "events_held"
EVENTS_HELD_DEFINITION = _("Events that ended during the year and were not cancelled.")


@dataclass
class Counts:
    """What counts_by_year_and_country found for some years."""

    # measure → {(year, country code) → count}
    by_measure: dict[str, dict[tuple[int, str], int]]
    # year → the cities that updated their social profile, with how many rows, by name
    profile_updates: dict[int, list[mapping_queries.ProfileUpdate]]

    def totals(self, year: int) -> dict[str, int]:
        """measure → the network's total for `year`."""
        return {
            measure: sum(n for (in_year, _country), n in values.items() if in_year == year)
            for measure, values in self.by_measure.items()
        }


def counts_by_year_and_country(years, now=None) -> Counts:
    """For `years`: each measure of MEASURES and the events held by year and country (host
    city's country for events, "" without one), and the cities that updated their social
    profile. Practices and events are counted one by one, the other measures count cities
    (once per year). One query, grouped: a row per city (or practice, event) and year."""
    now = now or timezone.now()
    years = list(years)
    sources = _sources(now)
    blank = Value("", output_field=CharField())

    def rows(measure, queryset, key, country="city__country", named=False):
        return (
            queryset.annotate(in_year=ExtractYear("moment"))
            .filter(in_year__in=years)
            .order_by()
            .annotate(
                measure=Value(measure, output_field=CharField()),
                name=F("city__name") if named else blank,
                link=F("city__slug") if named else blank,
            )
            .values_list("measure", "in_year", country, key, "name", "link")
            .annotate(n=Count("pk"))
        )

    held = Event.objects.held(now).annotate(moment=F("ends_at"))
    parts = [
        rows("published", sources[Activity.PRACTICE], "pk"),
        rows("profiles", sources[Activity.PROBLEM], "city_id", named=True),
        rows("profiles", sources[Activity.INDICATOR], "city_id", named=True),
        rows("participation", sources[Activity.EVENT], "city_id"),
        rows("funding", sources[Activity.FUNDING], "city_id"),
        rows("transfers", sources[Activity.TRANSFER], "pk"),
        rows("questions", sources[Activity.QUESTION], "pk", country="asked_country"),
        rows(EVENTS_HELD, held, "pk", country="host_city__country"),
    ]
    seen = set()
    profile_rows: dict[tuple[int, int], int] = defaultdict(int)
    cities: dict[int, City] = {}
    for measure, year, country, key, name, slug, n in parts[0].union(*parts[1:], all=True):
        seen.add((measure, year, country or "", key))
        if measure == "profiles":
            # the problems and values the city changed: its entries of the year
            profile_rows[(year, key)] += n
            cities.setdefault(key, City(pk=key, name=name, slug=slug))
    by_measure: dict[str, dict] = {m: defaultdict(int) for m in [*MEASURES, EVENTS_HELD]}
    for measure, year, country, _key in seen:
        by_measure[measure][(year, country)] += 1
    updates: dict[int, list] = {year: [] for year in years}
    for (year, city_id), n in profile_rows.items():
        updates[year].append(mapping_queries.ProfileUpdate(city=cities[city_id], rows=n))
    for listed in updates.values():
        listed.sort(key=lambda update: (sort_key(update.city.name), update.city.pk))
    return Counts({m: dict(values) for m, values in by_measure.items()}, updates)


def year_figure_rows(totals: dict) -> list[dict]:
    """The year's totals (Counts.totals) as rows: slug, title, what it counts, value."""
    rows = [
        {"slug": slug, "title": title, "definition": definition, "value": totals[slug]}
        for slug, (title, definition) in MEASURES.items()
    ]
    rows.append(
        {
            "slug": EVENTS_HELD,
            "title": _("Events held"),
            "definition": EVENTS_HELD_DEFINITION,
            "value": totals[EVENTS_HELD],
        }
    )
    return rows


def yearly_table(measure: str, counts: dict, years, member_countries) -> dict:
    """Rows per country (member countries and any other with a count), a cell per year, and
    a total row, for one measure of MEASURES."""
    codes = sorted(set(member_countries) | {code for _year, code in counts})
    rows = [
        {
            "country": countries.name(code) or code,
            "cells": [counts.get((y, code), 0) for y in years],
        }
        for code in codes
    ]
    rows.sort(key=lambda row: row["country"])
    title, definition = MEASURES[measure]
    return {
        "slug": measure,
        "title": title,
        "definition": definition,
        "years": list(years),
        "rows": rows,
        "totals": [sum(row["cells"][i] for row in rows) for i in range(len(years))],
    }


# --- Participation in events -------------------------------------------------------------------


def participation_by_city(now=None) -> list[City]:
    """Cities that attended at least one event in the last 24 months, each with `last_12`,
    `last_24` (events attended in the last 12 and 24 months) and `last_event_at` (the end
    of the last one), most active first. One query."""
    now = now or timezone.now()
    since_12, since_24 = months_before(now, 12), months_before(now, 24)
    attended = Registration.objects.attended(now)

    def attended_since(since):
        return Q(event_registrations__in=attended.filter(event__ends_at__gte=since))

    cities = City.objects.annotate(
        last_12=Count("event_registrations", filter=attended_since(since_12)),
        last_24=Count("event_registrations", filter=attended_since(since_24)),
        last_event_at=Max(
            "event_registrations__event__ends_at",
            filter=Q(event_registrations__in=attended),
        ),
    ).filter(last_24__gt=0)
    return sorted(cities, key=lambda c: (-c.last_12, -c.last_24, c.sort_name))


# --- One year of the work plan -------------------------------------------------------------------


@dataclass
class LineFigures:
    """One line of work in one year: its activities (the counts are their lengths)."""

    line: object
    practices: list = field(default_factory=list)
    events: list = field(default_factory=list)
    funding_calls: list = field(default_factory=list)
    # None for the lines that do not follow the cities' social profiles
    profile_updates: list | None = None
    # None but for the line of exchange of practices (LineOfWork.counts_practice_transfers)
    transfers: list | None = None


def lines_in_year(lines, year: int, counts: Counts, now=None) -> list[LineFigures]:
    """For each line: the practices published in `year`, the events held (ended) in it with
    the cities that attended, the funding calls open during it and, for the lines that
    follow them, the cities that updated their social profile (from `counts`, the year's
    counts_by_year_and_country) and, for the line of exchange of practices, the practice
    transfers published in `year` (the same ones as the yearly "transfers" figure). Three
    queries whatever the number of lines or activities, four with that line."""
    now = now or timezone.now()
    lines = list(lines)
    transfers = None
    if any(line.counts_practice_transfers for line in lines):
        transfers = list(
            _sources(now)[Activity.TRANSFER]
            .annotate(in_year=ExtractYear("moment"))
            .filter(in_year=year)
            .select_related("city", "practice__city")
            .order_by("published_at", "pk")
        )
    ids = [line.pk for line in lines]
    practices = practice_queries.published_by_line_in_year(ids, year)
    events = event_queries.held_by_line_in_year(ids, year, now)
    calls = funding_queries.funding_calls_by_line_in_year(ids, year)
    updates = counts.profile_updates[year]
    return [
        LineFigures(
            line=line,
            practices=practices[line.pk],
            events=events[line.pk],
            funding_calls=calls[line.pk],
            profile_updates=updates if line.shows_profile_updates else None,
            transfers=transfers if line.counts_practice_transfers else None,
        )
        for line in lines
    ]


# --- The home page -------------------------------------------------------------------------------


def headline(members, published_total: int, upcoming: list) -> dict[str, int]:
    """The home page's key figures, from what the page has already loaded (no query):
    member cities (`members`, for its map), their countries, published practices
    (`Practice.objects.published()`, counted with the latest ones) and upcoming events
    (not cancelled, those under way included: `upcoming` carries `upcoming_total`, see
    events.queries.upcoming_events)."""
    return {
        "cities": len(members),
        "countries": len({city.country.code for city in members}),
        "practices": published_total,
        "upcoming_events": upcoming[0].upcoming_total if upcoming else 0,
    }


# --- What waits for the secretariat ---------------------------------------------------------------


def _count(queryset, key: str):
    """One row (key, number of rows of `queryset`), to be united with others."""
    return (
        queryset.order_by()
        .annotate(key=Value(key, output_field=CharField()))
        .values("key")
        .annotate(n=Count("pk"))
        .values_list("key", "n")
    )


def waiting_for_secretariat(user) -> dict[str, int]:
    """Practices in the secretariat's review queue (in review, or with changes waiting for
    approval) and membership applications waiting for a decision, for the page header.
    One query."""
    practices = _count(Practice.objects.in_progress_for(user), "practices")
    applications = _count(city_queries.pending_applications(), "applications")
    return {"practices": 0, "applications": 0, **dict(practices.union(applications, all=True))}
