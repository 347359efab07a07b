"""Remove with a trace (issue 18): a value or problem removed from a city's profile stays in
its history (who, when, what), and the secretariat restores it in the admin."""

from decimal import Decimal

import pytest

from mapping import services
from mapping.models import CityProblem, IndicatorValue

from .factories import CityProblemFactory, IndicatorValueFactory

REMOVED_VALUES = "/en/admin/mapping/historicalindicatorvalue/"
REMOVED_PROBLEMS = "/en/admin/mapping/historicalcityproblem/"


def removal_of(model, pk):
    return model.history.get(id=pk, history_type="-")


def restore(client, url, record):
    return client.post(url, {"action": "restore", "_selected_action": [record.pk]}, follow=True)


def test_a_removed_value_is_listed_and_restored_by_the_secretariat(
    ana, sofia, sofia_client, city_a, unemployment
):
    value = IndicatorValueFactory(
        city=city_a, indicator=unemployment, year=2022, breakdown_id="women", value=Decimal("8.5")
    )
    pk, source = value.pk, value.source
    services.indicator_value_remove(value=value, by=ana)
    assert not IndicatorValue.objects.filter(pk=pk).exists()
    record = removal_of(IndicatorValue, pk)

    listing = sofia_client.get(REMOVED_VALUES)
    assert listing.status_code == 200
    assert "Quilmes" in listing.content.decode()
    # the history page of the removed row answers too (simple_history falls back to it)
    history = sofia_client.get(f"/en/admin/mapping/indicatorvalue/{pk}/history/")
    assert history.status_code == 200
    assert "Version" in history.content.decode()

    response = restore(sofia_client, REMOVED_VALUES, record)
    assert "1 row restored." in response.content.decode()
    restored = IndicatorValue.objects.get(pk=pk)
    assert (restored.breakdown_id, restored.value, restored.source) == (
        "women",
        Decimal("8.5"),
        source,
    )
    latest = IndicatorValue.history.filter(id=pk).latest("history_date")
    assert latest.history_type == "+" and latest.history_user == sofia


def test_a_restore_that_would_replace_a_newer_value_is_refused_and_nothing_is_lost(
    ana, sofia_client, city_a, unemployment
):
    value = IndicatorValueFactory(city=city_a, indicator=unemployment, year=2022, value=1)
    pk = value.pk
    services.indicator_value_remove(value=value, by=ana)
    newer = IndicatorValueFactory(city=city_a, indicator=unemployment, year=2022, value=2)

    response = restore(sofia_client, REMOVED_VALUES, removal_of(IndicatorValue, pk))

    assert "was not restored" in response.content.decode()
    assert list(IndicatorValue.objects.values_list("pk", "value")) == [(newer.pk, 2)]
    assert IndicatorValue.history.filter(id=pk, history_type="-").exists()


def test_a_removed_problem_is_restored_by_the_secretariat(ana, sofia_client, city_a, poverty):
    entry = CityProblemFactory(city=city_a, problem=poverty, year=2024, priority=2)
    pk = entry.pk
    services.city_problem_remove(problem=entry, by=ana)
    record = removal_of(CityProblem, pk)

    assert "Quilmes" in sofia_client.get(REMOVED_PROBLEMS).content.decode()
    restore(sofia_client, REMOVED_PROBLEMS, record)

    assert CityProblem.objects.get(pk=pk).priority == 2


@pytest.mark.parametrize("url", [REMOVED_VALUES, REMOVED_PROBLEMS])
def test_coordinators_cannot_reach_the_removed_rows(ana_client, url):
    assert ana_client.get(url).status_code in (302, 403)


def test_the_trace_cannot_be_deleted_in_the_admin(ana, sofia_client, city_a, unemployment):
    value = IndicatorValueFactory(city=city_a, indicator=unemployment)
    pk = value.pk
    services.indicator_value_remove(value=value, by=ana)
    record = removal_of(IndicatorValue, pk)
    response = sofia_client.post(
        REMOVED_VALUES, {"action": "delete_selected", "_selected_action": [record.pk]}
    )
    assert response.status_code in (200, 302)
    assert IndicatorValue.history.filter(pk=record.pk).exists()
