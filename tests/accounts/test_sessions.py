"""Sessions: idle and absolute lifetimes, ending other sessions, the user-sessions page."""

import time

import pytest
from allauth.usersessions.models import UserSession

from accounts import sessions
from tests.http import change_password, log_in, user_of

DASHBOARD = "/en/dashboard/"


@pytest.fixture
def clock(monkeypatch):
    """Move the sessions' clock forward: clock(seconds) jumps that far past now."""
    start = int(time.time())

    def advance(seconds):
        monkeypatch.setattr(sessions, "now", lambda: start + seconds)

    return advance


def test_an_idle_session_ends_with_a_message_and_a_way_back(ana_client, clock, settings):
    assert ana_client.get(DASHBOARD).status_code == 200
    clock(settings.SESSION_IDLE_SECONDS + 1)
    response = ana_client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=/en/dashboard/"
    page = ana_client.get(response["Location"])
    assert "Your session has ended. Log in again to continue." in page.content.decode()
    assert not page.context["user"].is_authenticated


def test_activity_keeps_a_session_alive_until_its_absolute_lifetime(ana_client, clock, settings):
    step = settings.SESSION_IDLE_SECONDS - 60
    for moment in range(step, settings.SESSION_MAX_SECONDS, step):
        clock(moment)
        assert ana_client.get(DASHBOARD).status_code == 200, moment
    clock(settings.SESSION_MAX_SECONDS + 1)
    assert ana_client.get(DASHBOARD).status_code == 302


def test_the_secretariat_has_shorter_sessions(ana_client, sofia_client, clock, settings):
    assert settings.SESSION_IDLE_SECONDS_SECRETARIAT < settings.SESSION_IDLE_SECONDS
    assert settings.SESSION_MAX_SECONDS_SECRETARIAT < settings.SESSION_MAX_SECONDS
    clock(settings.SESSION_IDLE_SECONDS_SECRETARIAT + 1)
    assert ana_client.get(DASHBOARD).status_code == 200
    response = sofia_client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_limits_come_from_the_environment(monkeypatch):
    import importlib

    import utds.settings as portal_settings

    monkeypatch.setenv("SESSION_IDLE_SECONDS", "600")
    monkeypatch.setenv("SESSION_MAX_SECONDS_SECRETARIAT", "3600")
    reloaded = importlib.reload(portal_settings)
    try:
        assert reloaded.SESSION_IDLE_SECONDS == 600
        assert reloaded.SESSION_MAX_SECONDS_SECRETARIAT == 3600
        assert reloaded.SESSION_IDLE_SECONDS_SECRETARIAT == 15 * 60
        assert "accounts.middleware.SessionLifetimeMiddleware" in reloaded.MIDDLEWARE
    finally:
        monkeypatch.undo()
        importlib.reload(portal_settings)


def test_a_quiet_minute_costs_no_session_write(ana_client, clock, django_assert_max_num_queries):
    ana_client.get(DASHBOARD)
    clock(30)
    with django_assert_max_num_queries(12) as captured:
        ana_client.get(DASHBOARD)
    assert not [q for q in captured.captured_queries if q["sql"].startswith("UPDATE")]


def test_a_password_change_ends_the_other_sessions_only(ana, password):
    here, elsewhere = (
        log_in(ana.email, password),
        log_in(ana.email, password, address="198.51.100.2"),
    )
    assert user_of(elsewhere) == ana
    response = change_password(here, password)
    assert response.status_code == 302
    assert user_of(here) == ana
    assert not user_of(elsewhere).is_authenticated


def test_deactivating_an_account_in_the_admin_ends_its_sessions(ana, sofia_client, password):
    browser = log_in(ana.email, password)
    assert UserSession.objects.filter(user=ana).count() == 1
    response = sofia_client.post(
        f"/admin/accounts/user/{ana.pk}/change/",
        {"email": ana.email, "name": ana.name, "language": ana.language, "groups": []},
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    assert not ana.is_active
    assert not UserSession.objects.filter(user=ana).exists()
    assert not user_of(browser).is_authenticated


def test_users_see_their_sessions_and_end_the_others(ana, password):
    here, elsewhere = (
        log_in(ana.email, password),
        log_in(ana.email, password, address="198.51.100.2"),
    )
    profile = here.get("/en/accounts/profile/").content.decode()
    assert 'href="/en/accounts/sessions/"' in profile
    page = here.get("/en/accounts/sessions/")
    html = page.content.decode()
    assert "203.0.113.7" in html and "198.51.100.2" in html
    assert "<caption" in html and 'scope="col"' in html
    # The list only reads; ending the other sessions is asked first, then done by a POST.
    assert here.post("/en/accounts/sessions/").status_code == 405
    assert 'href="/en/accounts/sessions/end-others/"' in html
    assert here.get("/en/accounts/sessions/end-others/").status_code == 200
    assert user_of(elsewhere) == ana
    response = here.post("/en/accounts/sessions/end-others/")
    assert response.status_code == 302
    assert user_of(here) == ana
    assert not user_of(elsewhere).is_authenticated
    assert UserSession.objects.filter(user=ana).count() == 1


def test_activity_is_recorded_at_most_once_a_minute(ana, password, clock):
    browser = log_in(ana.email, password)
    session = UserSession.objects.get(user=ana)
    clock(90)
    browser.get(DASHBOARD)
    session.refresh_from_db()
    assert session.last_seen_at > session.created_at
