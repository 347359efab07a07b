"""/dashboard/ for the secretariat: the network's monitoring and evaluation, and the CSV
export of each of its tables (secretariat only)."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from mapping.models import CityProblem, IndicatorValue
from tests.experiences.conftest import create_practice
from tests.factories import CityCoordinatorFactory, CityFactory, make_application
from tests.http import assert_shows
from tests.pages.test_dashboard import add_problem, add_value, make_event, register

URL = "/en/dashboard/"
THIS_YEAR = timezone.localdate().year


def export_url(table):
    return f"/en/dashboard/export/{table}.csv"


def rows_of(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.fixture
def network(city_a, city_b):
    """Quilmes (AR) publishes, updates its profile and attends an event this year; Porto
    Alegre (BR) published two years ago; Rosario (AR) has done nothing."""
    create_practice(city_a, "Mesas de niñez")
    create_practice(
        city_b,
        "Orçamento participativo",
        published_at=datetime.datetime(
            THIS_YEAR - 2, 6, 15, 12, tzinfo=timezone.get_current_timezone()
        ),
    )
    add_problem(city_a, THIS_YEAR)
    add_value(city_b, THIS_YEAR - 1)
    past = make_event("Summit", days=-3)
    register(past, city_a)
    return CityFactory(name="Rosario", slug="rosario-ar", country="AR")


def test_secretariat_sees_yearly_tables_by_country(sofia_client, network):
    response = sofia_client.get(URL)
    tables = {table["slug"]: table for table in response.context["yearly_tables"]}
    published = tables["published"]
    assert published["years"] == list(range(THIS_YEAR - 4, THIS_YEAR + 1))
    rows = {row["country"]: row["cells"] for row in published["rows"]}
    assert rows["Argentina"] == [0, 0, 0, 0, 1]
    assert rows["Brazil"] == [0, 0, 1, 0, 0]
    profiles = {row["country"]: row["cells"] for row in tables["profiles"]["rows"]}
    assert profiles["Argentina"][-1] == 1
    # entered today, for last year's data: an update of this year, as in the plan review
    assert profiles["Brazil"] == [0, 0, 0, 0, 1]
    participation = {row["country"]: row["cells"] for row in tables["participation"]["rows"]}
    assert participation["Argentina"][-1] == 1
    assert participation["Brazil"][-1] == 0
    assert_shows(
        response.content.decode(),
        "Monitoring and evaluation",
        "Practices published by country and year",
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg"',
        'href="/en/dashboard/export/published.csv"',
    )


def test_secretariat_sees_the_cities_without_recent_activity(sofia_client, network):
    response = sofia_client.get(URL)
    # Quilmes did something within 12 months, Porto Alegre updated its profile (its
    # indicator value was entered today, for last year's data): only Rosario is idle.
    inactive = {city.name: city.last_activity for city in response.context["inactive_cities"]}
    assert inactive == {"Rosario": None}
    html = response.content.decode()
    assert "Cities without recent activity" in html
    assert 'href="/en/cities/rosario-ar/"' in html


def test_old_profile_data_does_not_count_as_recent(sofia_client, city_a):
    problem = add_problem(city_a, THIS_YEAR - 3)
    old = timezone.now() - datetime.timedelta(days=500)
    CityProblem.objects.filter(pk=problem.pk).update(updated_at=old)
    (city,) = sofia_client.get(URL).context["inactive_cities"]
    assert city.last_activity.at == old
    assert city.last_activity.kind == "problem"
    assert "Social problem updated" in sofia_client.get(URL).content.decode()


def test_secretariat_sees_pending_applications_with_a_link_to_the_admin(sofia_client, db):
    make_application()
    response = sofia_client.get(URL)
    assert response.context["participation"]["pending_applications"] == 1
    assert 'href="/en/admin/cities/membershipapplication/?pending=yes"' in (
        response.content.decode()
    )


def test_secretariat_sees_the_review_queue(sofia_client, city_a):
    waiting = create_practice(city_a, "En revisión", status="in_review")
    create_practice(city_a, "Borrador", status="draft")
    response = sofia_client.get(URL)
    assert [p.pk for p in response.context["in_progress"]] == [waiting.pk]
    assert "Practices waiting for review" in response.content.decode()


# --- CSV exports -------------------------------------------------------------------------


@pytest.mark.parametrize("table", ["published", "profiles", "participation", "funding", "inactive"])
def test_visitor_is_sent_to_log_in_for_exports(visitor, db, table):
    response = visitor.get(export_url(table))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("table", ["published", "profiles", "participation", "funding", "inactive"])
def test_coordinator_gets_403_for_exports(ana_client, table):
    assert ana_client.get(export_url(table)).status_code == 403


def test_unknown_export_is_404(sofia_client):
    assert sofia_client.get(export_url("secrets")).status_code == 404


def test_published_export_has_a_row_per_country_and_a_total(sofia_client, network):
    response = sofia_client.get(export_url("published"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[0] == ["Country", *[str(y) for y in range(THIS_YEAR - 4, THIS_YEAR + 1)]]
    assert ["Argentina", "0", "0", "0", "0", "1"] in rows
    assert ["Brazil", "0", "0", "1", "0", "0"] in rows
    assert rows[-1] == ["Total", "0", "0", "1", "0", "1"]


def test_participation_export_counts_cities_with_confirmed_registrations(sofia_client, network):
    rows = rows_of(sofia_client.get(export_url("participation")))
    assert ["Argentina", "0", "0", "0", "0", "1"] in rows


def test_inactive_export_lists_the_cities_and_their_last_activity(sofia_client, network, city_b):
    old = timezone.now() - datetime.timedelta(days=400)
    IndicatorValue.objects.filter(city=city_b).update(updated_at=old)
    rows = rows_of(sofia_client.get(export_url("inactive")))
    assert rows[0] == ["City", "Country", "Last activity", "Date of the last activity"]
    # never active first, then the longest idle; the practice of two years ago is older
    assert rows[1] == ["Rosario", "AR", "never", ""]
    assert rows[2] == [
        "Porto Alegre",
        "BR",
        "indicator value updated",
        timezone.localtime(old).date().isoformat(),
    ]
    assert len(rows) == 3


def test_export_neutralises_spreadsheet_formulas(sofia_client, db):
    CityFactory(name="=HYPERLINK(1)", slug="formula-ar")
    rows = rows_of(sofia_client.get(export_url("inactive")))
    assert rows[1][0] == "'=HYPERLINK(1)"


# --- Query budget ----------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 25])
def test_secretariat_dashboard_queries_do_not_grow_with_data(
    sofia_client, count, django_assert_max_num_queries
):
    # Guards the N+1 of computing each city's last publication, profile update and event,
    # and of counting per country and year row by row.
    for number in range(count):
        city = CityFactory(
            name=f"Ciudad {number}", slug=f"ciudad-{number}-ar", country=["AR", "BR"][number % 2]
        )
        CityCoordinatorFactory(city=city)
        create_practice(city, f"Práctica {number}")
        create_practice(city, f"Borrador {number}", status="in_review")
        add_problem(city, THIS_YEAR - number % 5)
        add_value(city, THIS_YEAR)
        register(make_event(f"Event {number}", days=-(number + 1)), city)
    with django_assert_max_num_queries(20):
        response = sofia_client.get(URL)
    assert response.status_code == 200
    assert sum(response.context["yearly_tables"][0]["totals"]) == count


@pytest.mark.parametrize("count", [1, 25])
def test_exports_cost_a_fixed_number_of_queries(sofia_client, count, django_assert_max_num_queries):
    for number in range(count):
        city = CityFactory(name=f"Ciudad {number}", slug=f"ciudad-{number}-ar")
        add_problem(city, THIS_YEAR)
    for table in ("published", "profiles", "participation", "funding", "inactive"):
        with django_assert_max_num_queries(8):
            assert sofia_client.get(export_url(table)).status_code == 200
