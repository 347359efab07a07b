"""The scale data of `seed_demo --scale N`: proportional counts, marked as synthetic,
deterministic for a seed, repeatable without duplicates, search vectors filled.

Run at a tiny scale (0.005: 2 cities, 100 practices); the benchmark runs the real sizes.
"""

import io

import pytest
from django.core.management import call_command

from cities.models import City
from events.models import Event, Registration
from experiences.models import Practice
from mapping.models import CityProblem, IndicatorValue
from utds import scale

pytestmark = pytest.mark.django_db

TINY = 0.005


def seed(seed=1):
    # pytest-django runs with DEBUG off, so the command needs --force.
    call_command("seed_demo", scale=TINY, seed=seed, force=True, stdout=io.StringIO())


def synthetic_counts() -> dict[str, int]:
    cities = scale.synthetic_cities()
    events = scale.synthetic_events()
    return {
        "cities": cities.count(),
        "practices": scale.synthetic_practices().count(),
        "city_problems": CityProblem.objects.filter(city__in=cities).count(),
        "indicator_values": IndicatorValue.objects.filter(city__in=cities).count(),
        "events": events.count(),
        "registrations": Registration.objects.filter(event__in=events).count(),
    }


def first_titles(count=5) -> list[str]:
    return list(
        scale.synthetic_practices().order_by("slug").values_list("title", flat=True)[:count]
    )


def test_tiny_scale_creates_proportional_counts():
    seed()

    expected = scale.planned_counts(TINY)
    assert expected == {
        "cities": 2,
        "practices": 100,
        "city_problems": 300,
        "indicator_values": 1200,
        "events": 5,
        "registrations": 50,
    }
    assert synthetic_counts() == expected


def test_synthetic_rows_are_marked_and_linked():
    seed()

    practices = scale.synthetic_practices()
    assert all(
        name.startswith("Synthetic city ")
        for name in scale.synthetic_cities().values_list("name", flat=True)
    )
    assert not practices.filter(is_sample=False).exists()
    assert all(
        title.startswith(("[Sintético]", "[Synthetic]"))
        for title in practices.values_list("title", flat=True)
    )
    # Every practice carries the vocabularies the pages filter on.
    for relation in ("themes", "goals", "social_problems", "lines"):
        assert not practices.filter(**{f"{relation}__isnull": True}).exists(), relation
    assert practices.filter(partner_cities__isnull=False).exists()
    assert practices.published().count() > practices.count() * 0.6
    assert not CityProblem.objects.filter(
        city__in=scale.synthetic_cities(), is_sample=False
    ).exists()


def test_search_vectors_are_filled_with_city_and_theme_words():
    seed()

    practices = scale.synthetic_practices()
    assert not practices.filter(search_vector__isnull=True).exists()
    # "synthetic" is only in the synthetic cities' names: the city words are in the vector.
    in_synthetic_cities = practices.filter(city__in=scale.synthetic_cities()).count()
    assert practices.search("synthetic").count() == in_synthetic_cities > 0


def test_same_seed_gives_same_data_and_a_second_run_does_not_duplicate():
    seed(seed=1)
    titles, counts = first_titles(), synthetic_counts()
    real_cities_before = City.objects.exclude(pk__in=scale.synthetic_cities()).count()
    samples_before = (
        Practice.objects.filter(is_sample=True).exclude(pk__in=scale.synthetic_practices()).count()
    )

    seed(seed=1)

    assert first_titles() == titles
    assert synthetic_counts() == counts
    assert City.objects.exclude(pk__in=scale.synthetic_cities()).count() == real_cities_before
    assert (
        Practice.objects.filter(is_sample=True).exclude(pk__in=scale.synthetic_practices()).count()
        == samples_before
    )
    assert Event.objects.filter(slug__startswith=scale.EVENT_SLUG).count() == counts["events"]


def test_another_seed_gives_other_data():
    seed(seed=1)
    titles = first_titles(20)

    seed(seed=2)

    assert first_titles(20) != titles
    assert synthetic_counts() == scale.planned_counts(TINY)


def test_scale_out_of_bounds_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_demo", scale=0, force=True, stdout=io.StringIO())
    assert not scale.synthetic_cities().exists()
