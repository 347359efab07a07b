"""Coordinator invitations: a single-use, 14-day link that sets a password or links an account."""

import datetime
import hashlib

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from cities import services
from cities.models import CityCoordinator, CoordinatorInvitation
from tests.http import page_html


@pytest.fixture
def invite(city_a, sofia, django_capture_on_commit_callbacks):
    """Invite someone to coordinate Quilmes; returns (invitation, token)."""

    def send(email="carla@quilmes.example", name="Carla Gómez", language="en", city=city_a):
        with django_capture_on_commit_callbacks(execute=True):
            return services.invitation_send(
                city=city, email=email, name=name, language=language, by=sofia
            )

    return send


def url(token, language="en"):
    prefix = "" if language == "es" else f"/{language}"
    return f"{prefix}/cities/invitation/{token}/"


def new_account_data(**changes):
    data = {
        "name": "Carla Gómez",
        "password1": "a-long-new-secret",
        "password2": "a-long-new-secret",
    }
    data.update(changes)
    return data


# --- Sending --------------------------------------------------------------------------------


def test_invitation_stores_only_the_token_hash_and_lasts_fourteen_days(invite, sofia):
    invitation, token = invite()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert len(token) >= 40
    stored = CoordinatorInvitation.objects.filter(pk=invitation.pk).values().get()
    assert token not in {str(value) for value in stored.values()}
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=14)
    assert invitation.invited_by == sofia
    assert invitation.accepted_at is None


def test_invitation_email_carries_the_link_in_the_invitees_language(invite, mailoutbox, settings):
    settings.PORTAL_URL = "https://utds.example"
    _invitation, token = invite(language="pt-br")
    (mail,) = mailoutbox
    assert mail.to == ["carla@quilmes.example"]
    assert f"https://utds.example/pt-br/cities/invitation/{token}/" in mail.body


def test_english_invitation_is_written_in_english(invite, mailoutbox):
    _invitation, token = invite(language="en")
    (mail,) = mailoutbox
    assert mail.subject == (
        "[UTDS Mercociudades] You are invited to coordinate Quilmes on the UTDS portal"
    )
    assert "expires in 14 days" in mail.body
    assert f"/en/cities/invitation/{token}/" in mail.body


def test_a_new_invitation_voids_the_earlier_link(invite, visitor):
    _first, old_token = invite()
    _second, new_token = invite()
    assert visitor.get(url(old_token)).status_code == 410
    assert visitor.get(url(new_token)).status_code == 200


def test_someone_who_already_coordinates_the_city_is_not_invited(invite, ana, mailoutbox):
    with pytest.raises(ValidationError):
        invite(email="ANA@quilmes.example")
    assert CoordinatorInvitation.objects.count() == 0
    assert mailoutbox == []


# --- Accepting with a new account -----------------------------------------------------------


def test_link_shows_the_password_form_with_privacy_link(invite, visitor):
    _invitation, token = invite()
    response = visitor.get(url(token))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="password1"' in html
    assert 'value="Carla Gómez"' in html
    assert 'href="/en/privacy/"' in html
    assert "csrfmiddlewaretoken" in html
    assert "no-cache" in response["Cache-Control"]


def test_invitee_sets_a_password_and_lands_on_the_dashboard_as_coordinator(invite, visitor, city_a):
    invitation, token = invite(language="pt-br")
    response = visitor.post(url(token), new_account_data(name="Carla G."))
    assert response.status_code == 302
    assert response["Location"] == "/en/dashboard/"

    user = User.objects.get(email="carla@quilmes.example")
    assert (user.name, user.language) == ("Carla G.", "pt-br")
    assert user.check_password("a-long-new-secret")
    assert EmailAddress.objects.get(user=user).verified
    assert CityCoordinator.objects.filter(user=user, city=city_a).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.user == user

    dashboard = visitor.get("/en/dashboard/")
    assert dashboard.context["user"] == user
    html = dashboard.content.decode()
    assert "Welcome! You now coordinate Quilmes." in html
    assert "/cities/quilmes-ar/" in html


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"password2": "something-else-entirely"}, "password2"),
        ({"password1": "short", "password2": "short"}, "password1"),
        ({"password1": "password123", "password2": "password123"}, "password1"),
        ({"password1": "12345678901", "password2": "12345678901"}, "password1"),
        ({"password1": "carla@quilmes", "password2": "carla@quilmes"}, "password1"),
        ({"name": ""}, "name"),
        ({"name": "N" * 151}, "name"),
    ],
)
def test_bad_password_or_name_shows_errors_and_creates_nothing(invite, visitor, changes, field):
    invitation, token = invite()
    response = visitor.post(url(token), new_account_data(**changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert not User.objects.filter(email="carla@quilmes.example").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not response.context["user"].is_authenticated


def test_link_works_only_once(invite, visitor, settings):
    _invitation, token = invite()
    visitor.post(url(token), new_account_data())
    visitor.post("/accounts/logout/")
    response = visitor.get(url(token))
    assert response.status_code == 410
    html = response.content.decode()
    assert "already been used" in html
    assert f'href="mailto:{settings.CONTACT_EMAIL}"' in html
    again = visitor.post(url(token), new_account_data(name="Someone else"))
    assert again.status_code == 410
    assert User.objects.get(email="carla@quilmes.example").name == "Carla Gómez"


def test_expired_link_says_so_and_offers_to_ask_again(invite, visitor, settings):
    invitation, token = invite()
    CoordinatorInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = visitor.get(url(token))
    assert response.status_code == 410
    html = response.content.decode()
    assert "This invitation link expired on" in html
    assert f'href="mailto:{settings.CONTACT_EMAIL}"' in html
    response = visitor.post(url(token), new_account_data())
    assert response.status_code == 410
    assert not User.objects.filter(email="carla@quilmes.example").exists()


@pytest.mark.parametrize("token", ["unknown", "x" * 43, "a%20b"])
def test_unknown_token_is_404(visitor, db, token):
    assert visitor.get(url(token)).status_code == 404


def test_other_logged_in_user_is_asked_to_log_out_and_nothing_is_created(invite, ana_client):
    invitation, token = invite()
    html = page_html(ana_client, url(token))
    assert "You are logged in as ana@quilmes.example" in html
    assert 'name="password1"' not in html
    ana_client.post(url(token), new_account_data())
    assert not User.objects.filter(email="carla@quilmes.example").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


# --- Accepting with an existing account -----------------------------------------------------


def test_existing_account_must_log_in_before_accepting(invite, visitor, bruno, city_a):
    invitation, token = invite(email="bruno@portoalegre.example")
    html = page_html(visitor, url(token))
    assert "An account with this e-mail address already exists." in html
    assert "/en/accounts/login/?next=" in html
    assert 'name="password1"' not in html
    # Posting a new password cannot take over the existing account.
    visitor.post(url(token), new_account_data())
    bruno.refresh_from_db()
    assert not bruno.check_password("a-long-new-secret")
    assert not CityCoordinator.objects.filter(user=bruno, city=city_a).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_existing_account_logged_in_confirms_and_coordinates_one_more_city(
    invite, bruno_client, bruno, city_a, city_b
):
    invitation, token = invite(email="Bruno@PortoAlegre.example")
    page = bruno_client.get(url(token))
    assert page.status_code == 200
    assert 'name="password1"' not in page.content.decode()
    response = bruno_client.post(url(token), {})
    assert response.status_code == 302
    assert response["Location"] == "/en/dashboard/"
    assert set(CityCoordinator.objects.filter(user=bruno).values_list("city", flat=True)) == {
        city_a.pk,
        city_b.pk,
    }
    invitation.refresh_from_db()
    assert invitation.user == bruno


def test_other_account_cannot_accept_an_existing_accounts_invitation(invite, ana_client, bruno):
    invitation, token = invite(email="bruno@portoalegre.example")
    response = ana_client.post(url(token), {})
    assert response.status_code == 200
    assert "You are logged in as ana@quilmes.example" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


# --- The service on its own -----------------------------------------------------------------


def test_service_refuses_a_used_or_expired_invitation(invite, bruno):
    invitation, _token = invite(email="bruno@portoalegre.example")
    services.invitation_accept(invitation=invitation, user=bruno)
    with pytest.raises(ValidationError) as used:
        services.invitation_accept(invitation=invitation, user=bruno)
    assert used.value.code == "used"

    expired, _token = invite(email="dora@quilmes.example")
    CoordinatorInvitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    with pytest.raises(ValidationError) as late:
        services.invitation_accept(invitation=expired, name="Dora", password="a-long-new-secret")
    assert late.value.code == "expired"


def test_service_refuses_to_link_another_account(invite, ana):
    invitation, _token = invite(email="carla@quilmes.example")
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(invitation=invitation, user=ana)
    assert error.value.code == "other_account"


def test_service_refuses_a_new_account_when_the_address_has_one(invite, bruno):
    invitation, _token = invite(email="bruno@portoalegre.example")
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(invitation=invitation, name="X", password="a-long-new-secret")
    assert error.value.code == "account_exists"
