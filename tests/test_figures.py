"""One source of figures (utds/figures.py): a fixed network whose figures are worked out by
hand below, then read on every page and CSV that shows them — the home page, the
secretariat's dashboard and its CSV files, the review of the work plan (page, printable
report, CSV) and the participation in events. The same thing has the same number
everywhere.

The network (times relative to now, so the test holds on any day of the year but the
first hour of 1 January):
- Quilmes (AR) publishes two practices of line 1 today and keeps a draft; attends the
  meeting that ended this morning; marks its interest in a funding call; is registered
  for the webinar under way (not attended yet).
- Porto Alegre (BR) published a practice 400 days ago; is confirmed for next month's
  summit (not held yet): inactive, its last activity that practice.
- Montevideo (UY) enters an indicator value today; a problem row was last changed 400 days
  ago; it was confirmed for the meeting but the secretariat marked it absent.
- Asunción (PY) was on the waiting list of the meeting and the secretariat marked it
  present; it was confirmed for a cancelled workshop.
- Rosario (AR) has done nothing: inactive, never active.
- Montevideo published today its adaptation of Quilmes's "Mesas de niñez" (a transfer,
  counted under UY); Porto Alegre keeps a draft adaptation of "Huertas urbanas" (nothing).
- A member of Asunción asks Porto Alegre about its practice (a question counted under BR,
  and Asunción's latest activity); a member without a city asks Quilmes (counted under
  AR, nobody's activity).
Two plans: 2012–2013 and last year to next year (line 1; line 2 follows social profiles).
"""

import csv
import datetime
import io

import pytest
from django.utils import timezone, translation

from events.models import Event, Registration
from experiences.models import Practice
from funding.models import FundingInterest
from mapping.models import CityProblem
from peers.models import Question, Transfer
from tests.experiences.conftest import create_practice
from tests.factories import CityFactory, make_funding_call
from tests.http import page_html
from tests.mapping.factories import CityProblemFactory, IndicatorValueFactory
from tests.test_configuration import run_manage
from tests.unit.test_review import make_plan
from utds import figures

pytestmark = pytest.mark.django_db

NOW = timezone.now()
THIS_YEAR = timezone.localdate().year
RECENT = NOW - datetime.timedelta(hours=1)
OLD = NOW - datetime.timedelta(days=400)
OLD_YEAR = timezone.localtime(OLD).year

# --- the figures, by hand ---------------------------------------------------------------------
# this year: two practices of Quilmes; Montevideo's value; Quilmes and Asunción at the
# meeting; Quilmes's interest; one event held (the meeting).
THIS_YEAR_TOTALS = {
    "published": 2,
    "profiles": 1,
    "participation": 2,
    "funding": 1,
    "transfers": 1,
    "questions": 2,
    "events_held": 1,
}
INACTIVE = ["Rosario", "Porto Alegre"]  # never active first, then the longest idle
# member cities, their countries, published practices, upcoming events (the summit and the
# webinar under way; not the cancelled workshop nor the meeting that ended)
HOME = {"cities": 5, "countries": 4, "practices": 3, "upcoming_events": 2}


def make_event(title, *, starts, hours=3, cancelled=False, lines=()):
    event = Event.objects.create(
        title=title,
        slug=title.lower().replace(" ", "-"),
        kind=Event.Kind.MEETING,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=hours),
        time_zone="America/Montevideo",
        cancelled=cancelled,
    )
    event.lines.set(lines)
    return event


def register(event, city, *, waiting=False, attended=None):
    status = Registration.Status.WAITING if waiting else Registration.Status.CONFIRMED
    return Registration.objects.create(
        event=event,
        city=city,
        status=status,
        waiting_position=1 if waiting else None,
        attended=attended,
    )


@pytest.fixture
def network(city_a, city_b, city_c):
    make_plan(2012, 2013)
    plan = make_plan(THIS_YEAR - 1, THIS_YEAR + 1)  # line 2 follows the social profiles
    one = plan.lines.get(number=1)
    rosario = CityFactory(name="Rosario", slug="rosario-ar", country="AR")
    asuncion = CityFactory(name="Asunción", slug="asuncion-py", country="PY")

    mesas = create_practice(city_a, "Mesas de niñez", published_at=RECENT, lines=[one])
    huertas = create_practice(city_a, "Huertas urbanas", published_at=RECENT, lines=[one])
    create_practice(city_a, "Borrador", status=Practice.Status.DRAFT, lines=[one])
    orcamento = create_practice(city_b, "Orçamento participativo", published_at=OLD)

    started = timezone.localdate() - datetime.timedelta(days=60)
    published = Transfer.Status.PUBLISHED
    Transfer.objects.create(
        practice=mesas, city=city_c, started_on=started, status=published, published_at=RECENT
    )
    Transfer.objects.create(practice=huertas, city=city_b, started_on=started)
    Question.objects.create(practice=orcamento, from_city=asuncion, message="¿Cómo empezaron?")
    Question.objects.create(practice=mesas, message="Which budget?")

    IndicatorValueFactory(city=city_c, year=THIS_YEAR - 1)
    problem = CityProblemFactory(city=city_c, year=THIS_YEAR - 2)
    CityProblem.objects.filter(pk=problem.pk).update(updated_at=OLD)

    meeting = make_event("Social meeting", starts=NOW - datetime.timedelta(hours=5), lines=[one])
    register(meeting, city_a)
    register(meeting, city_c, attended=False)
    register(meeting, asuncion, waiting=True, attended=True)
    summit = make_event("Summit next month", starts=NOW + datetime.timedelta(days=30), lines=[one])
    register(summit, city_b)
    webinar = make_event("Webinar under way", starts=NOW - datetime.timedelta(hours=1), lines=[one])
    register(webinar, city_a)
    workshop = make_event(
        "Cancelled workshop", starts=NOW - datetime.timedelta(days=3), cancelled=True
    )
    register(workshop, asuncion)

    call = make_funding_call("Cooperation fund")
    FundingInterest.objects.create(call=call, city=city_a)
    return {"rosario": rosario, "asuncion": asuncion}


def csv_rows(response):
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


# --- the module itself -------------------------------------------------------------------------


def test_the_module_computes_the_hand_counted_figures(network):
    counts = figures.counts_by_year_and_country([OLD_YEAR, THIS_YEAR])
    totals = counts.totals(THIS_YEAR)
    assert totals == THIS_YEAR_TOTALS
    by_country = counts.by_measure
    assert by_country["published"][(THIS_YEAR, "AR")] == 2
    assert by_country["participation"] == {(THIS_YEAR, "AR"): 1, (THIS_YEAR, "PY"): 1}
    assert by_country["profiles"][(THIS_YEAR, "UY")] == 1
    assert by_country["transfers"] == {(THIS_YEAR, "UY"): 1}
    assert by_country["questions"] == {(THIS_YEAR, "AR"): 1, (THIS_YEAR, "BR"): 1}
    # the old activities belong to their own year
    assert by_country["published"][(OLD_YEAR, "BR")] == 1
    assert by_country["profiles"][(OLD_YEAR, "UY")] == 1
    assert [u.city.name for u in counts.profile_updates[THIS_YEAR]] == ["Montevideo"]
    assert [city.name for city in figures.inactive_cities()] == INACTIVE


def test_last_activity_gives_the_date_and_kind(network, city_a, city_b, city_c):
    latest = figures.last_activity_by_city()
    assert latest[city_b.pk].kind == "practice" and latest[city_b.pk].at == OLD
    with translation.override("en"):
        assert latest[city_b.pk].label == "practice published"
    # Asunción's member asked a question after the meeting ended
    assert latest[network["asuncion"].pk].kind == "question"
    with translation.override("es"):
        assert latest[network["asuncion"].pk].label == "pregunta a una ciudad"
    assert network["rosario"].pk not in latest
    assert latest[city_c.pk].kind == "indicator"


def test_a_city_active_today_is_never_listed_as_inactive(network, city_b):
    # Porto Alegre publishes today: it leaves the list, whatever else it did not do
    create_practice(city_b, "Nueva práctica")
    assert [city.name for city in figures.inactive_cities()] == ["Rosario"]


def test_the_inactive_window_is_a_setting(network, settings):
    settings.INACTIVE_AFTER_MONTHS = 20  # Porto Alegre's practice is 13 months old
    assert [city.name for city in figures.inactive_cities()] == ["Rosario"]


def test_months_before_keeps_the_day_or_takes_the_months_last():
    moment = datetime.datetime(2026, 3, 31, 12, tzinfo=datetime.UTC)
    assert figures.months_before(moment, 1) == moment.replace(month=2, day=28)
    assert figures.months_before(moment, 12) == moment.replace(year=2025)
    assert figures.months_before(moment, 14).date() == datetime.date(2025, 1, 31)


# --- every page and CSV shows the same numbers -------------------------------------------------


def test_home_shows_the_hand_counted_key_figures(visitor, network):
    response = visitor.get("/en/")
    assert response.context["figures"] == HOME
    html = response.content.decode()
    for phrase in (
        "<strong>5</strong> member cities",
        "<strong>4</strong> countries",
        "<strong>3</strong> published practices",
        "<strong>2</strong> upcoming events",
    ):
        assert phrase in " ".join(html.split())


def test_dashboard_tables_and_csvs_show_the_same_numbers(sofia_client, network):
    response = sofia_client.get("/en/dashboard/")
    tables = {table["slug"]: table for table in response.context["yearly_tables"]}
    for measure in figures.MEASURES:
        assert tables[measure]["totals"][-1] == THIS_YEAR_TOTALS[measure], measure
        assert tables[measure]["years"][-1] == THIS_YEAR
        rows = csv_rows(sofia_client.get(f"/en/dashboard/export/{measure}.csv"))
        assert rows[0][-1] == str(THIS_YEAR)
        assert rows[-1] == ["Total", *[str(n) for n in tables[measure]["totals"]]]
        assert rows[-1][-1] == str(THIS_YEAR_TOTALS[measure])
    html = response.content.decode()
    assert html.count("How we count:") >= len(figures.MEASURES) + 1
    assert [city.name for city in response.context["inactive_cities"]] == INACTIVE
    inactive = csv_rows(sofia_client.get("/en/dashboard/export/inactive.csv"))
    assert [row[0] for row in inactive[1:]] == INACTIVE
    assert inactive[2][2:] == ["practice published", timezone.localtime(OLD).date().isoformat()]


def review_figures(html) -> dict[str, int]:
    """slug → value of the review page's table of the network's figures."""
    found = {}
    for slug in THIS_YEAR_TOTALS:
        row = html[html.index(f'id="figure-{slug}"') :]
        row = row[: row.index("</tr>")]
        found[slug] = int(row.split('<td class="numeric">')[1].split("<")[0])
    return found


def test_plan_review_page_report_and_csv_show_the_same_numbers(visitor, sofia_client, network):
    for client in (visitor, sofia_client):
        for suffix in ("", "report/"):
            html = page_html(client, f"/en/unit/plan/{THIS_YEAR}/{suffix}")
            assert review_figures(html) == THIS_YEAR_TOTALS
    rows = list(
        csv.DictReader(
            io.StringIO(visitor.get(f"/en/unit/plan/{THIS_YEAR}/review.csv").content.decode())
        )
    )
    totals = {
        row["activity_type"].removeprefix("total_"): int(row["count"])
        for row in rows
        if row["activity_type"].startswith("total_")
    }
    assert totals == THIS_YEAR_TOTALS
    # line 1: the two practices, the one event held (not the summit, the webinar under way
    # or the cancelled workshop), attended by Asunción and Quilmes (not Montevideo)
    line_one = [row for row in rows if row["line_number"] == "1"]
    assert sorted(row["title"] for row in line_one if row["activity_type"] == "practice") == [
        "Huertas urbanas",
        "Mesas de niñez",
    ]
    (event,) = [row for row in line_one if row["activity_type"] == "event"]
    assert event["title"] == "Social meeting"
    assert event["cities"] == "Asunción; Quilmes"
    # line 2 follows social profiles: the profiles figure's cities
    updates = [row for row in rows if row["activity_type"] == "profile_update"]
    assert [row["cities"] for row in updates] == ["Montevideo"]


def test_the_plan_review_counts_only_its_year(visitor, network):
    html = page_html(visitor, f"/en/unit/plan/{THIS_YEAR - 1}/")
    last_year = review_figures(html)
    expected = figures.counts_by_year_and_country([THIS_YEAR - 1]).totals(THIS_YEAR - 1)
    assert last_year == expected
    assert "Mesas de niñez" not in html and "Social meeting" not in html


def test_participation_page_shows_the_same_attendance(sofia_client, network):
    response = sofia_client.get("/en/events/participation/")
    active = {city.name: (city.last_12, city.last_24) for city in response.context["active"]}
    assert active == {"Quilmes": (1, 1), "Asunción": (1, 1)}
    assert [city.name for city in response.context["inactive_cities"]] == INACTIVE
    html = response.content.decode()
    assert "How we count" in html and "Montevideo" not in html.split('id="inactive-heading"')[0]


# --- the setting -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["twelve", "0", "-3"])
def test_a_bad_inactive_window_stops_the_start_with_one_sentence(value):
    result = run_manage("check", env_overrides={"DEBUG": "1", "INACTIVE_AFTER_MONTHS": value})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "INACTIVE_AFTER_MONTHS must be a whole number" in result.stderr
