"""Query budgets of the open API's lists: a fixed number of queries per page whatever the
number of rows (each row's themes, goals, cities and lines come from prefetches, never one
query per row)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import LISTS, api_get

pytestmark = pytest.mark.django_db

# Queries per page with the `world` fixture; a list that needs more has grown an N+1.
BUDGETS = {
    "cities": 2,
    "practices": 1,  # partners and vocabularies are subqueries of the same query
    "transfers": 1,  # the cities and the practice are joined
    "themes": 1,
    "goals": 1,
    "crc-articles": 1,
    "social-problems": 2,
    "indicators": 2,  # the indicators, then their breakdowns (with_breakdowns)
    "city-problems": 1,
    "indicator-values": 1,
    "events": 2,
    "funding-calls": 3,
    "news": 2,
    "plans": 2,
}


def queries_of(client, name) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api_get(client, name).status_code == 200
    return len(queries.captured_queries)


def test_every_list_has_a_budget():
    assert set(BUDGETS) == set(LISTS)


@pytest.mark.parametrize("name", LISTS)
def test_each_list_stays_within_its_budget_with_one_row_and_with_many(
    client, world, make_practice, themes, name
):
    from tests.events.conftest import make_event
    from tests.factories import make_funding_call
    from tests.mapping.factories import IndicatorValueFactory

    assert queries_of(client, name) <= BUDGETS[name]
    line = world["plan"].lines.get()
    for number in range(4):
        make_practice(title=f"Práctica {number}", themes=[themes["migration"]]).lines.set([line])
        make_event(host_city=world["partner"]).lines.set([line])
        make_funding_call(f"Convocatoria {number}").themes.set([themes["migration"]])
        IndicatorValueFactory(city=world["partner"], year=2010 + number)
    assert queries_of(client, name) <= BUDGETS[name]
