"""Registering a city: who may, what is refused, the waiting list and its e-mails."""

import datetime

import pytest
from django.utils import timezone

from events.models import Delegate, Registration
from tests.events.conftest import make_event, make_registration, registration_data, url

pytestmark = pytest.mark.django_db


def register_url(event):
    return url("events:register", slug=event.slug)


def withdraw_url(event):
    return url("events:withdraw", slug=event.slug)


def change_url(event):
    return url("events:change", slug=event.slug)


def test_get_on_register_answers_405(ana_client, visitor, event):
    assert ana_client.get(register_url(event)).status_code == 405
    assert visitor.get(register_url(event)).status_code == 405


def test_anonymous_post_is_sent_to_login_and_nothing_saved(visitor, event, city_a):
    response = visitor.post(register_url(event), registration_data(city_a))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Registration.objects.exists()


def test_coordinator_registers_own_city_and_gets_a_confirmation(
    ana_client, ana, event, city_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ana_client.post(register_url(event), registration_data(city_a, 2, "Hi"))
    assert response.status_code == 302
    registration = Registration.objects.get(event=event, city=city_a)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.attendees == 2
    assert registration.registered_by == ana
    assert registration.note == "Hi"
    assert all(d.consented_at for d in registration.delegates.all())
    assert [m.to for m in mailoutbox] == [[ana.email]]
    assert "Quilmes" in mailoutbox[0].subject


def test_confirmation_is_written_in_the_coordinators_language(
    bruno_client, bruno, event, city_b, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        bruno_client.post(register_url(event), registration_data(city_b))
    assert "/pt-br/events/" in mailoutbox[0].body


def test_outsider_registering_a_city_they_do_not_coordinate_gets_403(bruno_client, event, city_a):
    response = bruno_client.post(register_url(event), registration_data(city_a))
    assert response.status_code == 403
    assert not Registration.objects.exists()
    assert not Delegate.objects.exists()


def test_secretariat_may_register_any_member_city(sofia_client, event, city_a):
    response = sofia_client.post(register_url(event), registration_data(city_a))
    assert response.status_code == 302
    assert Registration.objects.filter(city=city_a).exists()


def test_user_without_cities_gets_403(client, django_user_model, event, city_a):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.post(register_url(event), registration_data(city_a)).status_code == 403


@pytest.mark.parametrize(
    "data",
    [
        {"delegates": 0},
        {"delegates": [{"name": "Ana", "position": "", "email": "not-an-email"}]},
        {"delegates": [{"name": "", "position": "", "email": "a@b.example"}]},
        {"delegates": 1, "consent": False},
        {"delegates": 1, "delegates-TOTAL_FORMS": "abc"},
        {"delegates": 1, "city": ""},
        {"delegates": 1, "note": "x\x00y"},
    ],
    ids=["no-delegate", "bad-email", "no-name", "no-consent", "bad-count", "no-city", "nul"],
)
def test_bad_input_shows_errors_and_saves_nothing(ana_client, event, city_a, data):
    data = dict(data)
    post = registration_data(city_a, data.pop("delegates"), consent=data.pop("consent", True))
    post.update(data)
    response = ana_client.post(f"/en{register_url(event)}", post)
    assert response.status_code == 200
    assert b'role="alert"' in response.content or b'class="error"' in response.content
    assert not Registration.objects.exists()
    assert not Delegate.objects.exists()


def test_unknown_city_is_a_field_error(ana_client, event):
    response = ana_client.post(register_url(event), registration_data("nowhere"))
    assert response.status_code == 200
    assert response.context["form"].errors["city"]
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"registration_open": False}, "Registration for this event is closed."),
        ({"cancelled": True}, "This event was cancelled."),
        ({"starts_at_delta": -1}, "This event has already started"),
    ],
)
def test_refused_when_closed_cancelled_or_started(ana_client, event, city_a, change, message):
    if "starts_at_delta" in change:
        event.starts_at = timezone.now() - datetime.timedelta(hours=1)
    else:
        for key, value in change.items():
            setattr(event, key, value)
    event.save()
    response = ana_client.post(f"/en{register_url(event)}", registration_data(city_a))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Registration.objects.exists()


def test_full_event_puts_the_next_city_on_the_waiting_list(
    ana_client, bruno_client, event, city_a, city_b
):
    ana_client.post(register_url(event), registration_data(city_a, 3))
    response = bruno_client.post(register_url(event), registration_data(city_b, 2))
    assert response.status_code == 302
    waiting = Registration.objects.get(city=city_b)
    assert waiting.status == Registration.Status.WAITING
    assert waiting.waiting_position == 1


def test_withdrawal_promotes_the_waiting_city_and_mails_its_coordinator(
    ana_client,
    bruno,
    bruno_client,
    event,
    city_a,
    city_b,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    ana_client.post(register_url(event), registration_data(city_a, 3))
    bruno_client.post(register_url(event), registration_data(city_b, 2))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = ana_client.post(withdraw_url(event), {"city": city_a.slug})
    assert response.status_code == 302
    assert not Registration.objects.filter(city=city_a).exists()
    promoted = Registration.objects.get(city=city_b)
    assert promoted.status == Registration.Status.CONFIRMED
    assert promoted.waiting_position is None
    assert [m.to for m in mailoutbox] == [[bruno.email]]
    assert "Porto Alegre" in mailoutbox[0].subject


def test_reducing_delegates_promotes_in_order(ana, event, city_a, city_b, city_c, bruno):
    from events.services import DelegateData, registration_update

    registration = make_registration(event, city_a, user=ana, delegates=4)
    make_registration(event, city_b, user=bruno, delegates=1, status="waiting", waiting_position=1)
    make_registration(event, city_c, delegates=3, status="waiting", waiting_position=2)
    people = [DelegateData(f"P{n}", "", f"p{n}@x.example") for n in range(2)]
    registration_update(registration=registration, user=ana, delegates=people, expected_version=1)
    statuses = dict(Registration.objects.values_list("city__slug", "status"))
    assert statuses == {
        "quilmes-ar": "confirmed",
        "porto-alegre-br": "confirmed",
        "montevideo-uy": "waiting",
    }
    assert Registration.objects.get(city=city_c).waiting_position == 1


def test_coordinator_changes_delegates_of_their_registration(ana_client, event, city_a):
    ana_client.post(register_url(event), registration_data(city_a, 1))
    response = ana_client.post(change_url(event), registration_data(city_a, 3, "More", version=1))
    assert response.status_code == 302
    registration = Registration.objects.get(city=city_a)
    assert registration.attendees == 3
    assert registration.delegates.count() == 3
    assert registration.note == "More"


def test_confirmed_city_cannot_take_more_seats_than_are_free(
    ana_client, bruno_client, event, city_a, city_b
):
    ana_client.post(register_url(event), registration_data(city_a, 2))
    bruno_client.post(register_url(event), registration_data(city_b, 2))
    response = ana_client.post(f"/en{change_url(event)}", registration_data(city_a, 3, version=1))
    assert response.status_code == 200
    assert "Only 2 seats are available" in response.content.decode()
    registration = Registration.objects.get(city=city_a)
    assert registration.attendees == 2
    assert registration.version == 1  # the refused change gave back the version it claimed


def test_change_form_is_prefilled(ana_client, ana, event, city_a):
    make_registration(event, city_a, user=ana, delegates=2)
    response = ana_client.get(f"/en{change_url(event)}?city={city_a.slug}")
    formset = response.context["formset"]
    assert response.context["form"]["version"].value() == 1
    assert [f["email"] for f in formset.initial] == [
        "delegate0@quilmes-ar.example",
        "delegate1@quilmes-ar.example",
    ]


def test_withdraw_is_owner_only(ana_client, bruno_client, visitor, ana, event, city_a):
    make_registration(event, city_a, user=ana)
    assert ana_client.get(withdraw_url(event)).status_code == 404  # no city named
    assert bruno_client.get(f"{withdraw_url(event)}?city={city_a.slug}").status_code == 403
    assert bruno_client.post(withdraw_url(event), {"city": city_a.slug}).status_code == 403
    assert visitor.post(withdraw_url(event), {"city": city_a.slug}).status_code == 302
    assert ana_client.post(withdraw_url(event), {"city": "nowhere"}).status_code == 404
    assert Registration.objects.filter(city=city_a).exists()


def test_no_withdrawal_after_the_start(ana_client, ana, city_a):
    started = make_event(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    make_registration(started, city_a, user=ana)
    ana_client.post(withdraw_url(started), {"city": city_a.slug})
    assert Registration.objects.filter(city=city_a).exists()


def test_secretariat_raising_capacity_promotes(
    ana, bruno, event, city_a, city_b, mailoutbox, django_capture_on_commit_callbacks
):
    from events.services import event_seats_changed

    make_registration(event, city_a, user=ana, delegates=4)
    make_registration(event, city_b, user=bruno, delegates=2, status="waiting", waiting_position=1)
    event.capacity = 6
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = event_seats_changed(event=event)
    assert [r.city for r in promoted] == [city_b]
    assert len(mailoutbox) == 1
