"""The fixed cast: `ana` coordinates city A (Quilmes), `bruno` city B (Porto Alegre), city C
(Montevideo) has no coordinator, `sofia` is the secretariat, `visitor` is anonymous."""

import os

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.db.models.signals import post_save
from django.test import Client

from accounts.demo import current_code
from accounts.models import User
from tests.factories import (
    TEST_PASSWORD,
    CityCoordinatorFactory,
    SecretariatFactory,
    UserFactory,
    cast_city,
)


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


@pytest.fixture(scope="session", autouse=True)
def _close_stray_connections(django_db_setup, django_db_blocker):
    """Before the test database is dropped, end the connections that live-server threads
    leave open, so the drop succeeds and no test database is left behind."""
    yield
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Queued tasks (every e-mail) run in the test's process when its transaction commits,
    # so `mailoutbox` holds the mail right after the request; tests/tasks/ run the real
    # queue and worker instead.
    settings.TASKS_EAGER = True
    # Rate-limit counters live in the cache: start every test with none.
    cache.clear()
    yield
    cache.clear()


# Two-factor authentication is required of every account (settings.MFA_REQUIRED = "all"):
# every user a test creates gets an authenticator app with this secret, so the fixed cast
# and the factories' users log in as in production. totp_code() gives the current code.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code() -> str:
    return current_code(TEST_TOTP_SECRET)


def _give_totp(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        Authenticator.objects.create(
            user=instance, type=Authenticator.Type.TOTP, data={"secret": TEST_TOTP_SECRET}
        )


@pytest.fixture(autouse=True)
def _accounts_have_totp():
    post_save.connect(_give_totp, sender=User, dispatch_uid="tests.totp")
    yield
    post_save.disconnect(sender=User, dispatch_uid="tests.totp")


@pytest.fixture(scope="session")
def _zeal_patched():
    """django-zeal patches the ORM's related descriptors to see N+1 queries. It is not in
    INSTALLED_APPS (nothing of it runs in production): the tests apply its patches once."""
    from django.forms.models import BaseModelForm
    from simple_history.models import HistoricalRecords
    from zeal import zeal_ignore
    from zeal.constants import initialize_app_registry
    from zeal.patch import patch

    initialize_app_registry()
    patch()

    # False positive: django-simple-history re-reads the saved row once per many-to-many
    # field of the model (HistoricalRecords.create_historical_record_m2ms asks
    # `history.instance` in its loop), a fixed cost per save whatever the data size.
    write_m2ms = HistoricalRecords.create_historical_record_m2ms

    def create_historical_record_m2ms(self, history_instance, instance):
        with zeal_ignore([{"model": "*", "field": "get()"}]):
            return write_m2ms(self, history_instance, instance)

    HistoricalRecords.create_historical_record_m2ms = create_historical_record_m2ms

    # False positive: ModelForm.save_m2m() reads each many-to-many field of the one object
    # it saves to diff it (.set()); when the form's initial values read the same field
    # earlier in the request, zeal counts two reads of one object's field as an N+1.
    save_m2m = BaseModelForm._save_m2m

    def _save_m2m(self):
        with zeal_ignore([{"model": self._meta.model._meta.label, "field": "*"}]):
            return save_m2m(self)

    BaseModelForm._save_m2m = _save_m2m


# N+1 reports that are not N+1s; each entry says why.
ZEAL_ALLOWLIST = [
    # Django's database session store reads the session row with .get() and, on logout or
    # cycle_key(), deletes it with another .get(): two different queries on one row.
    {"model": "sessions.Session", "field": "get()"},
]


@pytest.fixture(autouse=True)
def _no_n_plus_one(_zeal_patched, settings):
    """An N+1 (the same query repeated per row) raises zeal.NPlusOneError in every request a
    test makes. zeal's middleware, last in MIDDLEWARE, gives each request its own detection
    context, so two requests of one test reading the same row are not taken for an N+1."""
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "zeal.middleware.zeal_middleware"]
    settings.ZEAL_RAISE = True
    settings.ZEAL_ALLOWLIST = ZEAL_ALLOWLIST


@pytest.fixture
def media(settings, tmp_path):
    """Uploads of the test land in a folder of its own, never in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def password():
    return TEST_PASSWORD


@pytest.fixture
def city_a(db):
    return cast_city("quilmes-ar")


@pytest.fixture
def city_b(db):
    return cast_city("porto-alegre-br")


@pytest.fixture
def city_c(db):
    """A third city, in a third country, with no coordinator."""
    return cast_city("montevideo-uy")


@pytest.fixture
def ana(city_a):
    user = UserFactory(email="ana@quilmes.example", name="Ana Pereyra")
    CityCoordinatorFactory(user=user, city=city_a)
    return user


@pytest.fixture
def bruno(city_b):
    user = UserFactory(email="bruno@portoalegre.example", name="Bruno Carvalho", language="pt-br")
    CityCoordinatorFactory(user=user, city=city_b)
    return user


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


@pytest.fixture
def get_within_queries(django_assert_max_num_queries):
    """GETs a path through a client in at most `most` queries and checks it answers 200:
    `response = get_within_queries(client, "/en/cities/", most=12)`."""

    def get(client, path, *, most):
        with django_assert_max_num_queries(most):
            response = client.get(path)
        assert response.status_code == 200
        return response

    return get
