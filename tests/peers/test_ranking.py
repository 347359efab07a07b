"""The ranking of practices for a city's problems, on the fixed network of conftest.py:
the expected orders and scores below are worked out by hand from the README's rules."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from cities.models import City
from mapping.models import CityProblem
from peers import queries, services, tasks
from peers.comparability import CityFacts, compare, population_band
from peers.models import CityComparability


def test_population_bands():
    assert [population_band(n) for n in (None, 99_999, 100_000, 800_000, 1_300_000, 6_000_000)] == [
        None,
        0,
        1,
        2,
        3,
        4,
    ]


def test_compare_adds_up_each_rule():
    quilmes = CityFacts(
        pk=1,
        population=262_379,
        country="AR",
        region="AR-B",
        problems=frozenset({1, 2, 3}),
        indicators={9: Decimal("10")},
    )
    la_plata = CityFacts(
        pk=2,
        population=800_000,
        country="AR",
        region="AR-B",
        problems=frozenset({1, 2}),
        indicators={9: Decimal("20")},
    )
    result = compare(quilmes, la_plata)
    assert result.score == 6  # band +1, country +2, province +1, two problems +2, far +0
    assert (result.same_population_band, result.same_country, result.same_region) == (
        False,
        True,
        True,
    )
    assert result.shared_problems == 2 and result.indicator_closeness == 0
    assert compare(la_plata, quilmes) == result
    rosario = CityFacts(
        pk=3, population=1_300_000, country="AR", region="AR-S", indicators={9: Decimal("11")}
    )
    assert compare(quilmes, rosario).score == 4  # country +2, indicator within 25 % +2
    unknown = CityFacts(pk=4)
    assert compare(quilmes, unknown).score == 0


def test_refresh_stores_every_ordered_pair(network, city_a):
    members = City.objects.members().count()
    assert CityComparability.objects.count() == members * (members - 1)
    scores = dict(CityComparability.objects.filter(city=city_a).values_list("other__slug", "score"))
    assert scores == {"la-plata-ar": 6, "sao-carlos-br": 4, "rosario-ar": 4, "montevideo-uy": 0}


def _ranked(city):
    with translation.override("en"):
        return {
            group.problem.slug: [(s.practice.title, s.score, s.reason) for s in group.suggestions]
            for group in queries.suggestions_for_city(city)
        }


def test_practices_are_ranked_by_comparability_their_ranking_and_recency(network, city_a):
    ranked = _ranked(city_a)
    # only the urgent problems (1 and 2) of the latest year: not unemployment (4) nor the
    # violence of 2021
    assert list(ranked) == ["child-poverty", "housing"]
    assert ranked["child-poverty"] == [
        # 6 + their priority 3 (+1) + published two years ago (+0.5)
        (
            "Mesa de niñez",
            7.5,
            "La Plata, in the same country, also ranks child poverty at priority 3.",
        ),
        # 4 + their priority 1 (+2) + published 100 days ago (+1)
        (
            "Primeira infância",
            7.0,
            "São Carlos, a city of similar size, also ranks child poverty first.",
        ),
        # 4, not in their profile, five years old
        (
            "Rosario crece",
            4.0,
            "Rosario, in the same country, addressed child poverty with this practice.",
        ),
        # Montevideo's (0 + 0 + 1 = 1) is fourth: cut at three per problem; Quilmes's own
        # practice and São Carlos's draft never count
    ]
    assert ranked["housing"] == [
        (
            "Vivienda digna",
            8.5,
            "La Plata, in the same country, also ranks housing shortage first.",
        ),
        ("Techo", 1.0, "Montevideo addressed housing shortage with this practice."),
    ]


def test_reason_is_translated(network, city_a):
    with translation.override("es"):
        groups = queries.suggestions_for_city(city_a)
    assert groups[0].suggestions[1].reason == (
        "São Carlos, una ciudad de tamaño similar, también pone Pobreza infantil en primer lugar."
    )


def test_a_city_without_urgent_problems_gets_no_panel(network, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert queries.suggestions_for_city(network.cities["montevideo"]) == []


def test_the_panel_costs_two_queries_whatever_the_network_size(
    network, city_a, make_practice, django_assert_num_queries
):
    # guards an N+1 over candidate practices (their city, comparability, their priority)
    with django_assert_num_queries(2):
        queries.suggestions_for_city(city_a)
    for n in range(12):
        make_practice(
            title=f"Otra {n}",
            city=network.cities["montevideo"],
            social_problems=[network.problems["child-poverty"]],
        )
    with django_assert_num_queries(2):
        assert len(queries.suggestions_for_city(city_a)[0].suggestions) == 3


def test_refresh_when_stale_runs_only_after_a_profile_change(network, city_a):
    assert not services.comparability_is_stale()
    assert tasks.refresh_comparability_when_stale(timestamp=0) == 0
    CityProblem.objects.filter(city=network.cities["sao-carlos"]).update(year=2020)
    CityProblem.objects.create(
        city=network.cities["montevideo"],
        problem=network.problems["child-poverty"],
        year=2023,
        priority=1,
        source="Survey",
    )
    assert services.comparability_is_stale()
    assert tasks.refresh_comparability_when_stale(timestamp=0) > 0
    row = CityComparability.objects.get(city=city_a, other=network.cities["montevideo"])
    assert row.score == 1 and row.shared_problems == 1


def test_former_members_leave_the_table(network, city_a):
    City.objects.filter(pk=network.cities["rosario"].pk).update(status="former")
    call_command("refresh_peers", stdout=None)
    assert not CityComparability.objects.filter(other=network.cities["rosario"]).exists()
    assert not CityComparability.objects.filter(city=network.cities["rosario"]).exists()


@pytest.mark.parametrize("queued", [False, True])
def test_refresh_peers_command(network, queued, capsys):
    CityComparability.objects.all().delete()
    call_command("refresh_peers", *(["--queue"] if queued else []))
    assert CityComparability.objects.exists()
    assert ("queued" if queued else "pairs") in capsys.readouterr().out
