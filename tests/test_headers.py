"""Security headers on every kind of response: the enforced Content-Security-Policy,
Permissions-Policy, nosniff, referrer and opener policies, cookie flags; HSTS and secure
cookies with production settings."""

import pytest

from tests.test_configuration import production_env, run_manage

PAGES = ["/en/", "/en/cities/", "/en/practices/", "/en/mapping/", "/en/accounts/login/"]


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_an_enforced_policy_without_inline_code(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "Content-Security-Policy-Report-Only" not in response.headers
    policy = directives(response["Content-Security-Policy"])
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    for directive in ("script-src", "style-src", "default-src"):
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]


@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_the_other_security_headers(client, db, path):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


def test_error_pages_carry_the_policy_too(client, db):
    response = client.get("/en/practices/no-such-practice/")
    assert response.status_code == 404
    assert directives(response["Content-Security-Policy"])["object-src"] == ["'none'"]


def test_the_session_and_csrf_cookies_are_same_site_lax(client, ana, password):
    client.get("/en/accounts/login/")
    assert client.cookies["csrftoken"]["samesite"] == "Lax"
    client.post("/en/accounts/login/", {"login": ana.email, "password": password})
    assert client.cookies["sessionid"]["samesite"] == "Lax"
    assert client.cookies["sessionid"]["httponly"]


def test_production_settings_send_hsts_for_a_year_and_secure_cookies():
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE)"
    )
    result = run_manage(
        "shell",
        "-c",
        code,
        env_overrides=production_env(),
    )
    assert result.returncode == 0, result.stderr
    hsts, session_secure, csrf_secure, session_site, csrf_site = (
        result.stdout.strip().splitlines()[-1].split()
    )
    assert int(hsts) >= 365 * 24 * 3600
    assert (session_secure, csrf_secure) == ("True", "True")
    assert (session_site, csrf_site) == ("Lax", "Lax")
