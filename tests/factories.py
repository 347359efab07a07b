"""Deterministic factories for the fixed cast of tests (see tests/conftest.py)."""

import datetime

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone, translation
from django.utils.text import slugify

from accounts.models import SECRETARIAT_GROUP, User
from cities.services import application_submit
from funding.models import FundingCall
from unit.models import NewsItem

TEST_PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Sequence(lambda n: f"User {n}")
    language = "es"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class SecretariatFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def secretariat_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get_or_create(name=SECRETARIAT_GROUP)[0])


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cities.City"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Ciudad {n}")
    slug = factory.Sequence(lambda n: f"ciudad-{n}")
    country = "AR"
    state_province = "Buenos Aires"
    state_code = "AR-B"
    latitude = factory.Sequence(lambda n: f"-34.{n % 1000:03d}")
    longitude = factory.Sequence(lambda n: f"-58.{n % 1000:03d}")
    population = factory.Sequence(lambda n: 100_000 + n)
    population_year = 2022
    status = "member"
    joined_year = 2000


# The cities of the fixed cast (tests/conftest.py: city_a, city_b, city_c), by slug.
CAST_CITIES = {
    "quilmes-ar": {
        "name": "Quilmes",
        "country": "AR",
        "state_province": "Buenos Aires",
        "latitude": "-34.720650",
        "longitude": "-58.254370",
        "population": 262379,
    },
    "porto-alegre-br": {
        "name": "Porto Alegre",
        "country": "BR",
        "state_province": "Rio Grande do Sul",
        "state_code": "BR-RS",
        "latitude": "-30.032830",
        "longitude": "-51.230190",
        "population": 1409351,
        "population_year": 2010,
    },
    "montevideo-uy": {
        "name": "Montevideo",
        "country": "UY",
        "state_province": "Montevideo",
        "state_code": "UY-MO",
        "latitude": "-34.901100",
        "longitude": "-56.164500",
        "population": 1319108,
    },
}


def cast_city(slug):
    """One of the cast's cities (or the existing row: CityFactory gets or creates by slug)."""
    return CityFactory(slug=slug, **CAST_CITIES[slug])


def in_three(field: str, es: str, pt_br: str, en: str) -> dict:
    """A translated field's Spanish, Portuguese and English columns, as keyword arguments:
    `Theme.objects.create(**in_three("name", "Niñez", "Crianças", "Children"))`."""
    return {f"{field}_es": es, f"{field}_pt_br": pt_br, f"{field}_en": en}


def in_each_language(read) -> tuple:
    """What `read()` gives with Spanish, Portuguese and English active, in that order:
    `in_each_language(lambda: theme.name)`."""
    read_in = []
    for language in ("es", "pt-br", "en"):
        with translation.override(language):
            read_in.append(read())
    return tuple(read_in)


def make_news(slug, *, days_ago=1, published=True, **values) -> NewsItem:
    """A news item of the unit dated `days_ago` days back; a draft unless `published`."""
    values.setdefault("title", slug.replace("-", " ").capitalize())
    values.setdefault("summary", f"Summary of {slug}")
    return NewsItem.objects.create(
        slug=slug,
        published_at=timezone.now() - datetime.timedelta(days=days_ago),
        is_published=published,
        **values,
    )


def make_application(**changes):
    """Salto's membership application, submitted the way the join form does (`changes`
    override any field)."""
    fields = {
        "city_name": "Salto",
        "country": "UY",
        "contact_name": "Lucía Fernández",
        "email": "lucia@salto.example",
        "position": "Directora",
        "motivation": "We want to share our social centres.",
        "language": "en",
    }
    return application_submit(**{**fields, **changes})


def make_funding_call(title, *, opened_days_ago=10, closes_in_days=10, **changes):
    """A funding call open today (opened `opened_days_ago` days ago, closing in
    `closes_in_days`), its slug made from its title; `changes` override any field."""
    today = timezone.localdate()
    fields = {
        "funder": "Fondo Sur",
        "title": title,
        "slug": slugify(title),
        "summary": "Fondos.",
        "opens_on": today - datetime.timedelta(days=opened_days_ago),
        "closes_on": today + datetime.timedelta(days=closes_in_days),
        "link": "https://funder.example/call",
    }
    return FundingCall.objects.create(**{**fields, **changes})


class FocalPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cities.FocalPoint"

    city = factory.SubFactory(CityFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    position = "Director of Social Development"
    email = factory.Sequence(lambda n: f"contact{n}@city.example")
    phone = "+54 11 4350 0000"


class CityCoordinatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cities.CityCoordinator"

    user = factory.SubFactory(UserFactory)
    city = factory.SubFactory(CityFactory)
