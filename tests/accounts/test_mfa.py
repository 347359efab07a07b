"""Two-factor authentication is required (settings.MFA_REQUIRED) and cannot be skipped."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from accounts.adapters import MFAAdapter
from accounts.demo import current_code
from tests.conftest import totp_code

ACTIVATE = "/en/accounts/2fa/totp/activate/"


def without_totp(user):
    Authenticator.objects.filter(user=user).delete()
    client = Client()
    client.force_login(user)
    return client


def test_every_account_must_set_up_two_factor_by_default(ana, settings):
    assert settings.MFA_REQUIRED == "all"
    client = without_totp(ana)
    response = client.get("/en/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE
    # Setting up asks for the password again first (allauth's reauthentication).
    page = client.get(ACTIVATE, follow=True)
    assert page.redirect_chain[-1][0].startswith("/en/accounts/reauthenticate/")
    assert "must be protected by two-factor authentication" in page.content.decode()
    # Every other page, a POST included, leads there too.
    assert client.get("/en/practices/")["Location"] == ACTIVATE
    assert client.post("/en/accounts/profile/", {"name": "X"})["Location"] == ACTIVATE


def test_logout_and_the_two_factor_pages_stay_open(ana):
    client = without_totp(ana)
    assert client.get("/en/accounts/2fa/").status_code == 200
    assert client.get("/healthz").status_code in (200, 503)
    response = client.post("/en/accounts/logout/")
    assert response.status_code == 302 and response["Location"] != ACTIVATE
    assert not client.get("/en/").context["user"].is_authenticated


def test_activating_the_app_lifts_the_redirect_and_gives_recovery_codes(ana, password):
    Authenticator.objects.filter(user=ana).delete()
    client = Client()
    response = client.post("/en/accounts/login/", {"login": ana.email, "password": password})
    assert response.status_code == 302
    assert client.get("/en/dashboard/")["Location"] == ACTIVATE
    response = client.post(f"/en/accounts/reauthenticate/?next={ACTIVATE}", {"password": password})
    assert response["Location"] == ACTIVATE
    page = client.get(ACTIVATE)
    secret = page.context["form"].secret
    response = client.post(ACTIVATE, {"code": current_code(secret)})
    assert response.status_code == 302
    types = set(Authenticator.objects.filter(user=ana).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    assert client.get("/en/dashboard/").status_code == 200


def test_secretariat_mode_requires_it_of_the_secretariat_only(ana, sofia, settings):
    settings.MFA_REQUIRED = "secretariat"
    assert without_totp(ana).get("/en/dashboard/").status_code == 200
    assert without_totp(sofia).get("/en/dashboard/")["Location"] == ACTIVATE


def test_none_mode_requires_it_of_nobody(sofia, settings):
    settings.MFA_REQUIRED = "none"
    assert without_totp(sofia).get("/en/dashboard/").status_code == 200


@pytest.mark.parametrize(("mode", "deletable"), [("all", False), ("none", True)])
def test_a_required_app_cannot_be_removed(ana, settings, mode, deletable):
    settings.MFA_REQUIRED = mode
    totp = Authenticator.objects.get(user=ana, type=Authenticator.Type.TOTP)
    assert MFAAdapter().can_delete_authenticator(totp) is deletable


def test_the_admin_login_goes_through_the_two_factor_step(sofia, password):
    client = Client()
    response = client.get("/admin/login/?next=/admin/")
    assert response["Location"].startswith("/accounts/login/?next=/admin/")
    response = client.post(
        "/accounts/login/?next=/admin/", {"login": sofia.email, "password": password}
    )
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert client.get("/admin/").status_code == 302
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_does_not_log_in(ana, password):
    client = Client()
    client.post("/en/accounts/login/", {"login": ana.email, "password": password})
    wrong = f"{(int(totp_code()) + 1) % 1_000_000:06d}"
    response = client.post("/en/accounts/2fa/authenticate/", {"code": wrong})
    assert response.status_code == 200
    assert not client.get("/en/").context["user"].is_authenticated


def test_demo_accounts_have_published_codes(db, settings, capsys):
    from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRETS

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("demo_totp")
    printed = capsys.readouterr().out
    for email, secret in DEMO_TOTP_SECRETS.items():
        assert f"{email}  {current_code(secret)}" in printed
    client = Client()
    client.post("/en/accounts/login/", {"login": "ana@quilmes.example", "password": DEMO_PASSWORD})
    cache.clear()
    code = current_code(DEMO_TOTP_SECRETS["ana@quilmes.example"])
    response = client.post("/en/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert client.get("/en/").context["user"].email == "ana@quilmes.example"


def test_demo_totp_refuses_with_debug_off(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("demo_totp")
