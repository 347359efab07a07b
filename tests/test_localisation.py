"""Dates, numbers and country names follow the page's language: the same pages read in
Spanish, Brazilian Portuguese and English show "Brasil" or "Brazil", "10 de marzo de 2027"
or "March 10, 2027", "1.409.351" or "1,409,351"."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from cities.models import City
from mapping.models import Indicator, IndicatorValue
from tests.events.conftest import make_summit
from tests.experiences.conftest import make_practice, themes  # noqa: F401 - shared fixtures
from tests.factories import CityFactory, in_three

LANGUAGES = ["es", "pt-br", "en"]
NEXT_YEAR = timezone.now().year + 1
NBSP = "\xa0"  # Django's Spanish thousands separator (the RAE's space), never broken


def get(client, language: str, path: str) -> str:
    prefix = "" if language == "es" else f"/{language}"
    response = client.get(f"{prefix}{path}")
    assert response.status_code == 200, path
    return response.content.decode()


def text(html: str) -> str:
    """What the page reads, without its tags (a time is split across <time> elements)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.fixture
def cities(city_a, city_b):
    """Quilmes (Argentina), Porto Alegre (Brazil, 1,409,351 people), Asunción, Bogotá."""
    CityFactory(name="Asunción", slug="asuncion-py", country="PY", state_province="Asunción")
    CityFactory(name="Bogotá", slug="bogota-co", country="CO", state_province="Bogotá")
    return city_b


@pytest.fixture
def summit(city_b):
    """10 March next year, 18:00 to 20:00 in Montevideo, hosted by Porto Alegre."""
    return make_summit(host_city=city_b, registration_open=False)


@pytest.fixture
def indicator(city_b):
    """An indicator with one decimal; Porto Alegre's value is 1234.5 people."""
    indicator = Indicator.objects.create(
        slug="people-reached",
        **in_three("name", "Personas alcanzadas", "Pessoas atendidas", "People reached"),
        unit="people",
        decimals=1,
        higher_is_better=True,
    )
    IndicatorValue.objects.create(
        city=city_b, indicator=indicator, year=2020, value=Decimal("1234.5"), source="Censo"
    )
    return indicator


# --- Country names (django-countries, in the page's language) ------------------------------

COUNTRIES = {
    "es": {"BR": "Brasil", "PY": "Paraguay", "CO": "Colombia", "AR": "Argentina"},
    "pt-br": {"BR": "Brasil", "PY": "Paraguai", "CO": "Colômbia", "AR": "Argentina"},
    "en": {"BR": "Brazil", "PY": "Paraguay", "CO": "Colombia", "AR": "Argentina"},
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_city_directory_names_countries_in_the_pages_language(visitor, cities, language):
    html = get(visitor, language, "/cities/")
    for name in COUNTRIES[language].values():
        assert f"<td>{name}</td>" in html  # the country column of the cities' table
    others = {
        name
        for other in LANGUAGES
        for name in COUNTRIES[other].values()
        if name not in COUNTRIES[language].values()
    }
    for name in others:
        assert f"<td>{name}</td>" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_city_profile_names_its_country_in_the_pages_language(visitor, cities, language):
    html = get(visitor, language, "/cities/porto-alegre-br/")
    assert f"<dd>{COUNTRIES[language]['BR']}</dd>" in html


# --- Dates and times ---------------------------------------------------------------------------

EVENT_DATE = {
    "es": f"10 de marzo de {NEXT_YEAR}",
    "pt-br": f"10 de Março de {NEXT_YEAR}",
    "en": f"March 10, {NEXT_YEAR}",
}
EVENT_TIMES = {"es": "18:00 – 20:00", "pt-br": "18:00 – 20:00", "en": "6 p.m. – 8 p.m."}


@pytest.mark.parametrize("language", LANGUAGES)
def test_event_dates_and_times_are_written_the_pages_way(visitor, summit, language):
    for path in ("/events/", "/events/cumbre-social/"):
        html = text(get(visitor, language, path))
        assert EVENT_DATE[language] in html, path
        assert EVENT_TIMES[language] in html, path
        for other in LANGUAGES:
            if EVENT_DATE[other] != EVENT_DATE[language]:
                assert EVENT_DATE[other] not in html, path


PRACTICE_START = {
    "es": "1 de abril de 2015",
    "pt-br": "1 de Abril de 2015",
    "en": "April 1, 2015",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_practice_dates_have_their_month_named_in_the_pages_language(
    visitor,
    make_practice,  # noqa: F811
    city_b,
    language,
):
    make_practice(
        title="Orçamento participativo",
        slug="orcamento-participativo",
        city=city_b,
        start_date=datetime.date(2015, 4, 1),
    )
    html = get(visitor, language, "/practices/orcamento-participativo/")
    assert PRACTICE_START[language] in html
    for other in LANGUAGES:
        if other != language:
            assert PRACTICE_START[other] not in html


# --- Numbers: the locale's thousands and decimal separators -----------------------------------

POPULATION = {"es": f"1{NBSP}409{NBSP}351", "pt-br": "1.409.351", "en": "1,409,351"}
VALUE = {"es": f"1{NBSP}234,5", "pt-br": "1.234,5", "en": "1,234.5"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_city_population_and_indicator_values_use_the_locales_separators(
    visitor, cities, indicator, language
):
    profile = get(visitor, language, "/cities/porto-alegre-br/")
    assert POPULATION[language] in profile
    assert VALUE[language] in profile
    directory = get(visitor, language, "/cities/")
    assert POPULATION[language] in directory
    compared = get(visitor, language, "/mapping/indicators/people-reached/")
    assert VALUE[language] in compared
    for other in LANGUAGES:
        if other != language:
            assert POPULATION[other] not in profile + directory
            assert VALUE[other] not in profile + compared


@pytest.mark.parametrize(
    ("language", "figure"),
    [("es", f"1{NBSP}002"), ("pt-br", "1.002"), ("en", "1,002")],
)
def test_home_page_figures_over_a_thousand_use_the_locales_separator(
    visitor, city_a, city_b, language, figure
):
    City.objects.bulk_create(
        CityFactory.build(name=f"Ciudad {n}", slug=f"ciudad-{n}") for n in range(1000)
    )
    html = get(visitor, language, "/")
    assert f"<strong>{figure}</strong>" in html  # 1,002 member cities
