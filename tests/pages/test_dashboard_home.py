"""The dashboard is home: a link to it in every signed-in page's header, logging in lands on
it, an accepted invitation ends there after two-factor set-up, and the secretariat's
dashboard never tells the secretariat to write to itself."""

import pytest
from allauth.mfa.models import Authenticator
from django.db.models.signals import post_save
from django.test import Client

from accounts.demo import current_code
from accounts.models import User
from cities.services import invitation_send
from tests.conftest import totp_code


@pytest.mark.parametrize(
    ("prefix", "label"), [("", "Mi panel"), ("/pt-br", "Meu painel"), ("/en", "My dashboard")]
)
def test_the_header_links_to_the_dashboard_in_each_language(ana_client, prefix, label):
    html = ana_client.get(f"{prefix}/practices/").content.decode()
    header = html.split("</header>", 1)[0]
    assert f'<a href="{prefix}/dashboard/">{label}</a>' in header


def test_visitors_get_no_dashboard_link(visitor, db):
    header = visitor.get("/en/").content.decode().split("</header>", 1)[0]
    assert "/en/dashboard/" not in header


def test_logging_in_without_next_lands_on_the_dashboard(visitor, ana, password):
    response = visitor.post("/en/accounts/login/", {"login": ana.email, "password": password})
    response = visitor.post(response["Location"], {"code": totp_code()})
    assert response.status_code == 302
    assert response["Location"] == "/en/dashboard/"


def test_logging_in_with_next_goes_there(visitor, ana, password):
    response = visitor.post(
        "/en/accounts/login/?next=/en/events/", {"login": ana.email, "password": password}
    )
    response = visitor.post(response["Location"], {"code": totp_code()})
    assert response["Location"] == "/en/events/"


def test_an_accepted_invitation_sets_up_two_factor_without_the_password_then_offers_the_dashboard(
    city_a, sofia, mailoutbox
):
    # The new account is made by the invitation itself, without the test's ready-made app.
    post_save.disconnect(sender=User, dispatch_uid="tests.totp")
    _invitation, token = invitation_send(
        city=city_a, email="nueva@quilmes.example", name="Nueva", language="en", by=sofia
    )
    browser = Client()
    response = browser.post(
        f"/en/cities/invitation/{token}/",
        {
            "name": "Nueva Persona",
            "password1": "a-long-new-secret",
            "password2": "a-long-new-secret",
        },
        follow=True,
    )
    # Straight to the authenticator app's page: no password asked again.
    assert response.redirect_chain[-1][0] == "/en/accounts/2fa/totp/activate/"
    assert response.status_code == 200
    secret = response.context["form"].secret
    response = browser.post(
        "/en/accounts/2fa/totp/activate/", {"code": current_code(secret)}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/en/accounts/2fa/recovery-codes/"
    html = response.content.decode()
    assert "reauthenticate" not in response.redirect_chain[-1][0]
    assert response.context["can_view_codes"]
    assert 'href="/en/dashboard/"' in html and "Continue to my dashboard" in html
    user = User.objects.get(email="nueva@quilmes.example")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert browser.get("/en/dashboard/").status_code == 200


def test_the_secretariat_dashboard_does_not_ask_the_secretariat_to_write_to_itself(
    sofia_client, settings
):
    html = sofia_client.get("/en/dashboard/").content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert f"mailto:{settings.CONTACT_EMAIL}" not in main
    assert "You do not coordinate any city yet" not in html
    assert 'href="/en/admin/cities/city/"' in main


def test_a_coordinator_without_a_city_is_told_whom_to_write_to(db, settings):
    from tests.factories import UserFactory

    lone = UserFactory(email="sola@example.org")
    client = Client()
    client.force_login(lone)
    html = client.get("/en/dashboard/").content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert f"mailto:{settings.CONTACT_EMAIL}" in main
