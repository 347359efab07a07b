"""Login throttling behind a proxy, and the security log."""

import logging

import pytest
from django.test import Client

from tests.conftest import totp_code

LOGIN = "/en/accounts/login/"
PROXY = "10.0.0.1"  # the reverse proxy: every request reaches the portal from it
LOCKED = "Too many failed login attempts"


def from_behind_proxy(client_address, spoofed="198.51.100.99"):
    """A request's headers as the proxy forwards them: whatever X-Forwarded-For the client
    sent (here a forged address), then the address the proxy saw."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{spoofed}, {client_address}"}


def test_five_wrong_passwords_lock_the_account_and_a_forged_address_does_not_help(
    ana, password, settings
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    client = Client()
    for attempt in range(5):
        headers = from_behind_proxy("203.0.113.7", spoofed=f"192.0.2.{attempt}")
        response = client.post(LOGIN, {"login": ana.email, "password": "wrong"}, **headers)
        assert LOCKED not in response.content.decode()
    headers = from_behind_proxy("203.0.113.7", spoofed="192.0.2.200")
    response = client.post(LOGIN, {"login": ana.email, "password": password}, **headers)
    assert response.status_code == 200
    assert LOCKED in response.content.decode()


def test_the_address_limit_follows_the_real_client_not_the_forged_header(db, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip,100/5m/key"}
    client = Client()
    for attempt in range(3):
        headers = from_behind_proxy("203.0.113.7", spoofed=f"192.0.2.{attempt}")
        client.post(LOGIN, {"login": f"nobody{attempt}@example.org", "password": "x"}, **headers)
    forged = from_behind_proxy("203.0.113.7", spoofed="192.0.2.250")
    response = client.post(LOGIN, {"login": "other@example.org", "password": "x"}, **forged)
    assert LOCKED in response.content.decode()
    # Another visitor behind the same proxy is not held back.
    elsewhere = from_behind_proxy("203.0.113.8")
    response = client.post(LOGIN, {"login": "other@example.org", "password": "x"}, **elsewhere)
    assert LOCKED not in response.content.decode()


def test_limits_are_kept_in_the_default_cache(settings):
    from allauth.core.internal import ratelimit

    assert ratelimit.cache is __import__("django.core.cache", fromlist=["cache"]).cache
    assert "login_failed" in settings.ACCOUNT_RATE_LIMITS


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger="utds.security")

    def lines():
        return [r.getMessage() for r in caplog.records if r.name == "utds.security"]

    return lines


def test_login_failure_success_and_mfa_failure_are_logged_with_address(ana, password, security_log):
    client = Client(REMOTE_ADDR="203.0.113.7")
    client.post(LOGIN, {"login": ana.email, "password": "wrong"})
    client.post(LOGIN, {"login": ana.email, "password": password})
    client.post(
        "/en/accounts/2fa/authenticate/",
        {"code": "000000" if totp_code() != "000000" else "111111"},
    )
    client.post("/en/accounts/2fa/authenticate/", {"code": totp_code()})
    lines = security_log()
    assert f"login.failure user=anonymous ip=203.0.113.7 login={ana.email}" in lines
    assert f"mfa.failure user={ana.pk}:{ana.email} ip=203.0.113.7" in lines
    assert f"login.success user={ana.pk}:{ana.email} ip=203.0.113.7" in lines
    assert not any(password in line or "wrong" in line for line in lines)


def test_a_permission_refusal_is_logged(ana_client, ana, security_log):
    response = ana_client.get("/en/dashboard/export/inactive.csv", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 403
    assert (
        f"permission.denied user={ana.pk}:{ana.email} ip=203.0.113.9 "
        "path=/en/dashboard/export/inactive.csv"
    ) in security_log()


def test_a_secretariat_export_is_logged(sofia_client, sofia, security_log):
    response = sofia_client.get("/en/dashboard/export/inactive.csv")
    assert response.status_code == 200
    assert f"export user={sofia.pk}:{sofia.email} ip=127.0.0.1 what=dashboard-inactive" in (
        security_log()
    )


def test_an_admin_csv_export_is_logged(sofia_client, city_a, security_log):
    response = sofia_client.post(
        "/admin/cities/city/", {"action": "export_csv", "_selected_action": [city_a.pk]}
    )
    assert response.status_code == 200
    assert any(
        line.startswith("export ") and "what=cities cities=1" in line for line in security_log()
    )


def test_an_invitation_use_is_logged(
    city_a, sofia, security_log, django_capture_on_commit_callbacks
):
    from cities import services

    with django_capture_on_commit_callbacks(execute=True):
        _invitation, token = services.invitation_send(
            city=city_a, email="carla@quilmes.example", name="Carla", language="en", by=sofia
        )
    Client(REMOTE_ADDR="203.0.113.4").post(
        f"/en/cities/invitation/{token}/",
        {"name": "Carla Gómez", "password1": "a-long-new-secret", "password2": "a-long-new-secret"},
    )
    lines = [line for line in security_log() if line.startswith("invitation.used")]
    assert len(lines) == 1
    assert "carla@quilmes.example ip=203.0.113.4 city=quilmes-ar" in lines[0]


def test_a_logged_value_cannot_forge_a_log_line(security_log):
    from accounts.security import log_event

    log_event("login.failure", None, None, login="x@example.org\nlogin.success user=1")
    (line,) = security_log()
    assert line == "login.failure user=anonymous ip=- login=x@example.org_login.success_user=1"
