"""The fixed cast: `ana` coordinates city A, `bruno` city B, `sofia` is the secretariat,
`visitor` is anonymous. Cities and their links arrive with the cities step."""

import os

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import TEST_PASSWORD, SecretariatFactory, UserFactory


def pytest_configure(config):
    # WhiteNoise warns on every request when STATIC_ROOT does not exist yet.
    from django.conf import settings

    os.makedirs(settings.STATIC_ROOT, exist_ok=True)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    # A test database of its own per run, so two `make test` at once do not collide.
    from django.conf import settings

    settings.DATABASES["default"].setdefault("TEST", {})
    settings.DATABASES["default"]["TEST"]["NAME"] = (
        f"test_{settings.DATABASES['default']['NAME']}_{os.getpid()}"
    )


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Rate-limit counters live in the cache: start every test with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password():
    return TEST_PASSWORD


@pytest.fixture
def ana(db):
    return UserFactory(email="ana@quilmes.example", name="Ana Pereyra")


@pytest.fixture
def bruno(db):
    return UserFactory(email="bruno@portoalegre.example", name="Bruno Carvalho", language="pt-br")


@pytest.fixture
def sofia(db):
    return SecretariatFactory(email="sofia@utds.example", name="Sofía Benítez")


@pytest.fixture
def visitor():
    return Client()


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ana_client(ana):
    return _client_for(ana)


@pytest.fixture
def bruno_client(bruno):
    return _client_for(bruno)


@pytest.fixture
def sofia_client(sofia):
    return _client_for(sofia)
