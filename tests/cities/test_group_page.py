"""The page of a working group or related thematic unit: its cities (in the one city order)
and its events; an empty one says so; pages and events link to it."""

import datetime

import pytest
from django.utils import timezone

from cities.models import WorkingGroup
from events.models import Event
from tests.factories import CityFactory

URL = "/en/cities/groups/{slug}/"


def _event(title, group, days, **values):
    starts_at = timezone.now() + datetime.timedelta(days=days)
    return Event.objects.create(
        title=title,
        slug=title.lower().replace(" ", "-"),
        kind=Event.Kind.WORKSHOP,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        time_zone="America/Montevideo",
        working_group=group,
        **values,
    )


@pytest.fixture
def migrations(db):
    return WorkingGroup.objects.create(
        slug="migrations",
        name_es="Migraciones",
        name_pt_br="Migrações",
        name_en="Migrations",
        description_en="Cities that receive migrants share what works.",
    )


@pytest.fixture
def youth(db):
    return WorkingGroup.objects.create(
        slug="youth",
        kind=WorkingGroup.Kind.RELATED_UNIT,
        name_es="Juventudes",
        name_pt_br="Juventudes",
        name_en="Youth",
    )


def test_group_page_lists_its_cities_in_spanish_order_and_its_events(visitor, migrations):
    for slug, name in [("o", "Oruro"), ("n", "Ñuñoa"), ("a", "Ávila"), ("b", "bogotá")]:
        migrations.cities.add(CityFactory(name=name, slug=slug))
    CityFactory(name="Outside", slug="outside")
    _event("Past workshop", migrations, days=-30)
    _event("Next workshop", migrations, days=10)
    _event("Other group's workshop", None, days=5)
    response = visitor.get(URL.format(slug="migrations"))
    assert response.status_code == 200
    assert [city.name for city in response.context["cities"]] == [
        "Ávila",
        "bogotá",
        "Ñuñoa",
        "Oruro",
    ]
    assert [event.title for event in response.context["events"]] == [
        "Next workshop",
        "Past workshop",
    ]
    html = response.content.decode()
    assert "<h1>Migrations</h1>" in html
    assert "A working group of the Social Development Thematic Unit." in html
    assert "Cities that receive migrants share what works." in html
    assert 'href="/en/cities/o/"' in html
    assert "Outside" not in html and "Other group" not in html


def test_empty_group_says_it_has_no_city_and_no_event(visitor, youth):
    html = visitor.get(URL.format(slug="youth")).content.decode()
    assert "A related thematic unit of Mercociudades" in html
    assert "No city takes part in it yet." in html
    assert "It has no event on the portal yet." in html


def test_group_page_speaks_each_language(visitor, migrations):
    assert "<h1>Migraciones</h1>" in visitor.get("/cities/groups/migrations/").content.decode()
    html = visitor.get("/pt-br/cities/groups/migrations/").content.decode()
    assert "<h1>Migrações</h1>" in html


def test_unknown_group_is_404(visitor, db):
    assert visitor.get(URL.format(slug="nothing")).status_code == 404


def test_event_page_links_to_its_group(visitor, migrations):
    event = _event("Next workshop", migrations, days=10)
    html = visitor.get(f"/en/events/{event.slug}/").content.decode()
    assert '<a href="/en/cities/groups/migrations/">Migrations</a>' in html


def test_related_unit_on_a_city_page_is_named_as_such(visitor, youth, city_a):
    youth.cities.add(city_a)
    html = visitor.get(city_a.get_absolute_url()).content.decode()
    assert "Working groups and related thematic units" in html
    assert '<a href="/en/cities/groups/youth/">Youth</a> (related thematic unit)' in html


def test_sitemap_lists_the_group_pages_in_every_language(visitor, migrations):
    body = visitor.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/cities/groups/migrations/</loc>" in body
    assert "<loc>http://testserver/pt-br/cities/groups/migrations/</loc>" in body


@pytest.mark.parametrize("size", [1, 12])
def test_group_page_reads_a_fixed_number_of_queries(
    visitor, migrations, size, django_assert_max_num_queries
):
    # guards the N+1 of each event card's host city and each city's country
    for number in range(size):
        city = CityFactory(name=f"Ciudad {number}", slug=f"ciudad-x{number}")
        migrations.cities.add(city)
        _event(f"Workshop {number}", migrations, days=number - 5, host_city=city)
    with django_assert_max_num_queries(4):
        assert visitor.get(URL.format(slug="migrations")).status_code == 200
