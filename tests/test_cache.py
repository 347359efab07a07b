"""The anonymous page cache (core/cache.py): hits, invalidation on every kind of write,
members-only data kept out, one copy per language; run on local memory and on Redis.
Also: hashed static files served compressed with a far-future immutable cache."""

import os

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.contrib import messages
from django.core.cache import cache, caches
from django.core.management import call_command
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, override_settings
from django.urls import include, path
from django.utils import timezone

from cities.models import City
from core import cache as page_cache
from tests.cities.test_edit import form_data
from tests.factories import FocalPointFactory
from tests.test_configuration import run_manage
from unit.models import NewsItem

REDIS_URL = "redis://127.0.0.1:6379/1"
PROFILE = "/en/cities/quilmes-ar/"


BACKENDS = {
    "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "redis": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # Several test runs may share the machine's Redis.
        "KEY_PREFIX": f"utds-test-{os.getpid()}",
    },
}


@pytest.fixture(params=list(BACKENDS))
def cached(request):
    """The page cache switched on (tests run with it off), on each backend. A context
    manager rather than the settings fixture, so the cache is back to the default before
    the shared fixtures clear it (a FLUSHDB on Redis would reach other test runs)."""
    with override_settings(CACHES={"default": BACKENDS[request.param]}, CACHE_PAGES_SECONDS=300):
        # A fresh generation: nothing stored by an earlier test can be found.
        cache.delete(page_cache.GENERATION_KEY)
        yield request.param


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_each_backend_is_really_in_use(cached):
    expected = {"locmem": "LocMemCache", "redis": "RedisCache"}[cached]
    assert type(caches["default"]).__name__ == expected
    cache.set("utds-test-probe", "ok")
    assert cache.get("utds-test-probe") == "ok"


@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        "/en/cities/",
        PROFILE,
        "/en/practices/",
        "/en/practices/?sort=title",
        "/en/funding/",
        "/en/mapping/",
        "/en/mapping/indicators/",
        "/en/events/",
        "/en/unit/",
        "/en/unit/news/",
        "/en/unit/library/",
        "/en/search/?q=quilmes",
    ],
)
def test_second_anonymous_request_is_served_from_the_cache_without_queries(
    cached, visitor, city_a, url, django_assert_num_queries
):
    first = get(visitor, url)
    assert first["X-Page-Cache"] == "miss"
    assert first["Cache-Control"] == "public, max-age=60"
    with django_assert_num_queries(0):
        second = get(visitor, url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    # The outer middleware still answer for the cached copy.
    assert second["Content-Language"] == "en"
    assert "Cookie" in second["Vary"]
    assert second["Cache-Control"] == "public, max-age=60"
    assert second["X-Frame-Options"] == "DENY"


def test_head_is_answered_from_the_copy_stored_by_get(cached, visitor, city_a):
    get(visitor, PROFILE)
    response = visitor.head(PROFILE)
    assert response["X-Page-Cache"] == "hit"


def test_an_edit_through_the_coordinators_form_shows_at_once(cached, visitor, ana_client, city_a):
    get(visitor, PROFILE)
    assert get(visitor, PROFILE)["X-Page-Cache"] == "hit"
    data = form_data(ana_client, city_a)
    data["summary"] = "Quilmes renews its children's councils."
    assert ana_client.post(f"{PROFILE}edit/", data).status_code == 302
    response = get(visitor, PROFILE)
    assert response["X-Page-Cache"] == "miss"
    assert "Quilmes renews its children&#x27;s councils." in response.content.decode()


def test_a_write_that_sends_no_signal_shows_at_once(cached, visitor, city_a):
    # QuerySet.update() and bulk_create() send no model signal; the cache still sees them.
    get(visitor, PROFILE)
    City.objects.filter(pk=city_a.pk).update(summary="Updated in bulk.")
    response = get(visitor, PROFILE)
    assert response["X-Page-Cache"] == "miss"
    assert "Updated in bulk." in response.content.decode()


def test_a_deletion_in_the_admin_shows_at_once(cached, visitor, sofia_client):
    item = NewsItem.objects.create(
        title="The portal opens",
        slug="portal-opens",
        summary="A new portal.",
        body="Text.",
        is_published=True,
        published_at=timezone.now(),
    )
    assert "The portal opens" in get(visitor, "/en/unit/news/").content.decode()
    assert get(visitor, "/en/unit/news/")["X-Page-Cache"] == "hit"
    response = sofia_client.post(f"/en/admin/unit/newsitem/{item.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not NewsItem.objects.exists()
    assert "The portal opens" not in get(visitor, "/en/unit/news/").content.decode()


def test_reading_pages_keeps_the_generation(cached, visitor, city_a):
    get(visitor, PROFILE)
    before = page_cache.generation()
    get(visitor, "/en/cities/")
    assert page_cache.generation() == before


@pytest.fixture
def contact(city_a):
    return FocalPointFactory(city=city_a, name="Marta Gómez", email="marta@quilmes.example")


def test_members_only_contacts_never_reach_the_anonymous_copy(cached, visitor, ana_client, contact):
    members_page = get(ana_client, PROFILE)
    assert "marta@quilmes.example" in members_page.content.decode()
    assert "X-Page-Cache" not in members_page
    assert members_page["Cache-Control"] == "private, no-store"
    for _ in range(2):
        public_page = get(visitor, PROFILE)
        assert "marta@quilmes.example" not in public_page.content.decode()
    assert public_page["X-Page-Cache"] == "hit"


def test_the_anonymous_copy_is_never_served_to_a_coordinator(cached, visitor, ana_client, contact):
    get(visitor, PROFILE)
    assert get(visitor, PROFILE)["X-Page-Cache"] == "hit"
    response = get(ana_client, PROFILE)
    assert "X-Page-Cache" not in response
    html = response.content.decode()
    assert "marta@quilmes.example" in html
    assert "Log out" in html
    assert "public" not in response["Cache-Control"]


def test_language_prefixes_are_cached_separately(cached, visitor, city_a):
    for url in ("/cities/quilmes-ar/", "/pt-br/cities/quilmes-ar/"):
        assert get(visitor, url)["X-Page-Cache"] == "miss"
    english = get(visitor, PROFILE)
    assert english["X-Page-Cache"] == "miss"
    for url, language in (
        ("/cities/quilmes-ar/", "es"),
        ("/pt-br/cities/quilmes-ar/", "pt-br"),
        (PROFILE, "en"),
    ):
        response = get(visitor, url)
        assert response["X-Page-Cache"] == "hit"
        assert response["Content-Language"] == language
        assert f'<html lang="{language}">' in response.content.decode()


def test_a_visitor_with_a_pending_message_is_not_served_the_copy(cached, visitor, city_a):
    get(visitor, PROFILE)
    visitor.cookies["messages"] = "pending"
    assert "X-Page-Cache" not in get(visitor, PROFILE)


def test_pages_off_the_list_and_posts_are_never_cached(cached, visitor, city_a):
    for _ in range(2):
        response = visitor.get("/en/cities/join/")
        assert "X-Page-Cache" not in response
    assert "X-Page-Cache" not in visitor.post("/en/search/?q=quilmes")


def test_off_by_default_with_local_memory_and_on_with_redis():
    show = "from django.conf import settings; print(settings.CACHE_PAGES_SECONDS)"
    unset = ("CACHE_URL", "CACHE_PAGES_SECONDS")
    local = run_manage("shell", "-c", show, env_overrides={"DEBUG": "1"}, drop=unset)
    redis = run_manage(
        "shell", "-c", show, env_overrides={"DEBUG": "1", "CACHE_URL": REDIS_URL}, drop=unset
    )
    assert local.stdout.strip().splitlines()[-1] == "0"
    assert redis.stdout.strip().splitlines()[-1] == "300"


def test_a_malformed_page_cache_setting_names_the_variable():
    result = run_manage("check", env_overrides={"DEBUG": "1", "CACHE_PAGES_SECONDS": "five"})
    assert result.returncode == 1
    assert "CACHE_PAGES_SECONDS" in result.stderr


# --- what is never stored, on pages built for the purpose --------------------------------

calls = []


def _counted(build):
    def view(request, **kwargs):
        calls.append(request.path)
        return build(request)

    return view


def _sets_a_cookie(request):
    response = HttpResponse("cookie")
    response.set_cookie("seen", "1")
    return response


def _holds_a_csrf_token(request):
    return HttpResponse(f"form {get_token(request)}")


def _adds_a_message(request):
    messages.info(request, "Saved.")
    return HttpResponse("message")


def _not_found(request):
    return HttpResponse("gone", status=404)


def _plain(request):
    return HttpResponse("plain")


urlpatterns = i18n_patterns(
    path("", _counted(_plain), name="home"),
    path("search/", _counted(_sets_a_cookie), name="search"),
    path(
        "cities/",
        include(
            (
                [
                    path("", _counted(_holds_a_csrf_token), name="list"),
                    path("<slug:slug>/", _counted(_adds_a_message), name="detail"),
                ],
                "cities",
            )
        ),
    ),
    path("events/", include(([path("", _counted(_not_found), name="list")], "events"))),
    prefix_default_language=False,
)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("url", "stored"),
    [
        ("/en/", True),
        ("/en/search/", False),  # sets a cookie
        ("/en/cities/", False),  # holds a CSRF token
        ("/en/cities/x/", False),  # shows a flash message
        ("/en/events/", False),  # not a 200
    ],
)
def test_only_answers_alike_for_every_visitor_are_stored(cached, url, stored):
    calls.clear()
    for _ in range(2):
        Client().get(url)
    assert len(calls) == (1 if stored else 2)


# --- static files ----------------------------------------------------------------------


@pytest.fixture
def production_static(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    from django.contrib.staticfiles.storage import staticfiles_storage

    return staticfiles_storage


def test_hashed_static_files_are_compressed_and_cached_as_immutable(production_static, db):
    url = production_static.url("css/portal.css")
    assert url != "/static/css/portal.css"  # the name carries the content's hash
    response = Client().get(url, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "immutable"} <= directives
    max_age = next(int(d.split("=")[1]) for d in directives if d.startswith("max-age="))
    assert max_age >= 365 * 24 * 60 * 60
    response.close()


def test_unhashed_static_names_are_not_immutable(production_static, db):
    response = Client().get("/static/css/portal.css")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]
    response.close()


def test_an_unreachable_cache_neither_breaks_pages_nor_writes(visitor, city_a):
    unreachable = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
    }
    with override_settings(CACHES={"default": unreachable}, CACHE_PAGES_SECONDS=300):
        City.objects.filter(pk=city_a.pk).update(summary="Written while the cache is down.")
        response = get(visitor, PROFILE)
    assert "X-Page-Cache" not in response
    assert "Written while the cache is down." in response.content.decode()
