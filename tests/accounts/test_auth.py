import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from accounts.models import SECRETARIAT_GROUP, User
from accounts.permissions import can_use_admin, is_secretariat
from tests.conftest import totp_code

LOGIN_URL = "/accounts/login/"


def test_secretariat_group_is_created_by_migration(db):
    assert Group.objects.filter(name=SECRETARIAT_GROUP).exists()


def test_user_logs_in_by_email_case_insensitively_then_with_the_app_code(visitor, ana, password):
    response = visitor.post(LOGIN_URL, {"login": "ANA@quilmes.example", "password": password})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert not visitor.get("/").context["user"].is_authenticated
    response = visitor.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    assert response.status_code == 302
    assert visitor.get("/").context["user"] == ana


def test_logged_in_page_shows_logout_form(ana_client):
    html = ana_client.get("/").content.decode()
    assert 'action="/accounts/logout/"' in html
    assert "Cerrar sesión" in html


def test_logout_by_post_ends_the_session(ana_client):
    response = ana_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not ana_client.get("/").context["user"].is_authenticated


def test_wrong_password_keeps_the_typed_email_and_says_why(visitor, ana):
    response = visitor.post(LOGIN_URL, {"login": ana.email, "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{ana.email}"' in html
    assert "no son correctas" in html


def test_five_wrong_passwords_lock_the_address_until_the_wait_is_over(
    visitor, ana, password, monkeypatch
):
    for _ in range(5):
        visitor.post(LOGIN_URL, {"login": ana.email, "password": "wrong"})
    response = visitor.post(LOGIN_URL, {"login": ana.email, "password": password})
    assert response.status_code == 200
    assert "Espere 5 minutos" in response.content.decode()
    assert not response.context["user"].is_authenticated

    # Five minutes later (the rate limiter reads the clock through its `time` module).
    import time as real_time

    from allauth.core.internal import ratelimit

    class Later:
        def __getattr__(self, name):
            return getattr(real_time, name)

        def time(self):
            return real_time.time() + 5 * 60 + 1

    monkeypatch.setattr(ratelimit, "time", Later())
    response = visitor.post(LOGIN_URL, {"login": ana.email, "password": password})
    assert response.status_code == 302


def test_lockout_message_is_in_the_visitors_language(visitor, ana):
    for _ in range(6):
        response = visitor.post("/en" + LOGIN_URL, {"login": ana.email, "password": "wrong"})
    assert "Wait 5 minutes and try again" in response.content.decode()


@pytest.mark.parametrize("path", ["/accounts/signup/", "/en/accounts/signup/"])
def test_public_signup_is_closed_and_says_so(visitor, db, path):
    response = visitor.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "cerrado" in html or "closed" in html
    response = visitor.post(
        path,
        {
            "email": "new@example.org",
            "password1": "x-Long-pass-123",
            "password2": "x-Long-pass-123",
        },
    )
    assert not User.objects.filter(email="new@example.org").exists()


def test_password_reset_mail_is_written_in_the_users_language(visitor, bruno, mailoutbox):
    response = visitor.post("/accounts/password/reset/", {"email": bruno.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [bruno.email]
    assert "senha" in message.subject.lower() or "senha" in message.body.lower()


def test_password_reset_for_a_spanish_user_is_in_spanish(visitor, ana, mailoutbox):
    visitor.post("/en/accounts/password/reset/", {"email": ana.email})
    assert len(mailoutbox) == 1
    assert "contraseña" in mailoutbox[0].body.lower()


def test_admin_sends_anonymous_visitors_to_the_portal_login(visitor, db):
    response = visitor.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")
    response = visitor.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/admin/")


def test_admin_refuses_a_coordinator(ana_client):
    assert ana_client.get("/admin/login/").status_code == 403
    response = ana_client.get("/admin/")
    assert response.status_code in (302, 403)
    assert ana_client.get("/admin/accounts/user/").status_code in (302, 403)


def test_admin_opens_for_the_secretariat(sofia_client):
    assert sofia_client.get("/admin/").status_code == 200
    assert sofia_client.get("/admin/accounts/user/").status_code == 200


def test_secretariat_sees_the_administration_link_and_coordinator_does_not(
    sofia_client, ana_client
):
    assert 'href="/admin/"' in sofia_client.get("/").content.decode()
    assert 'href="/admin/"' not in ana_client.get("/").content.decode()


def test_roles(ana, sofia, django_user_model):
    assert is_secretariat(sofia) and can_use_admin(sofia)
    assert not is_secretariat(ana)
    root = django_user_model.objects.create_superuser(email="root@example.org", name="Root")
    assert is_secretariat(root)
    sofia.is_active = False
    sofia._is_secretariat = None
    assert not is_secretariat(sofia)


def test_profile_changes_name_and_language(ana_client, ana):
    response = ana_client.post(
        reverse("account_profile"), {"name": "Ana María Pereyra", "language": "en"}
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    assert (ana.name, ana.language) == ("Ana María Pereyra", "en")


def test_profile_with_an_unknown_language_keeps_what_was_typed(ana_client, ana):
    response = ana_client.post(reverse("account_profile"), {"name": "Ana Nueva", "language": "xx"})
    assert response.status_code == 200
    assert 'value="Ana Nueva"' in response.content.decode()
    ana.refresh_from_db()
    assert ana.name == "Ana Pereyra"


def test_profile_requires_login(visitor, db):
    response = visitor.get(reverse("account_profile"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_mfa_totp_page_is_available_to_a_logged_in_user(ana_client):
    response = ana_client.get("/accounts/2fa/")
    assert response.status_code == 200


def test_seed_demo_refuses_with_debug_off_unless_forced(db, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    assert not User.objects.exists()
    call_command("seed_demo", "--force")
    assert User.objects.count() == 3


def test_seed_demo_is_idempotent_and_demo_users_can_log_in(db, settings, visitor):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    assert User.objects.count() == 3
    sofia = User.objects.get(email="sofia@utds.example")
    assert is_secretariat(sofia)
    from accounts.demo import DEMO_PASSWORD

    response = visitor.post(LOGIN_URL, {"login": "ana@quilmes.example", "password": DEMO_PASSWORD})
    assert response.status_code == 302
