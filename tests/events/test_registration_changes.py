"""Nothing typed is lost: a registered city sees its registration (never a blank form that
replaces it), a second registration or a change from a stale page is refused with 409 and
what was typed kept beside the current registration, one save takes every delegate, and a
withdrawal asks first."""

import datetime

import pytest
from django.utils import timezone

from events.forms import ADD_ROWS, MAX_DELEGATES, NEW_ROWS
from events.models import Registration
from tests.events.conftest import make_event, make_registration, registration_data, url

pytestmark = pytest.mark.django_db


def detail(event):
    return f"/en{url('events:detail', slug=event.slug)}"


def register(event):
    return f"/en{url('events:register', slug=event.slug)}"


def change(event, city=None):
    path = f"/en{url('events:change', slug=event.slug)}"
    return f"{path}?city={city.slug}" if city else path


def withdraw(event, city=None):
    path = f"/en{url('events:withdraw', slug=event.slug)}"
    return f"{path}?city={city.slug}" if city else path


def people(count, name="Typed"):
    return [
        {"name": f"{name} {n}", "position": "Adviser", "email": f"typed{n}@quilmes.example"}
        for n in range(count)
    ]


def snapshot(registration):
    registration.refresh_from_db()
    emails = list(registration.delegates.order_by("pk").values_list("email", flat=True))
    return registration.attendees, registration.note, registration.version, emails


# --- the event page of a registered city ----------------------------------------------------


def test_registered_city_sees_its_registration_with_change_and_withdraw(
    ana_client, ana, event, city_a
):
    make_registration(event, city_a, user=ana, delegates=2, note="Arriving on Monday")
    response = ana_client.get(detail(event))
    html = response.content.decode()
    assert "Registration of Quilmes" in html
    assert "delegate0@quilmes-ar.example" in html and "delegate1@quilmes-ar.example" in html
    assert "Arriving on Monday" in html
    assert "Confirmed" in html
    assert f'href="{change(event, city_a)}"' in html
    assert f'href="{withdraw(event, city_a)}"' in html
    # no blank form that would replace it, and no button that withdraws at once
    assert response.context["form"] is None
    assert 'id="register-form"' not in html
    assert f'action="{withdraw(event)}"' not in html


def test_waiting_city_sees_its_place_on_the_waiting_list(ana_client, ana, event, city_a):
    make_registration(event, city_a, user=ana, status="waiting", waiting_position=2)
    html = ana_client.get(detail(event)).content.decode()
    assert "On the waiting list (position 2)" in html


def test_other_coordinators_and_visitors_do_not_see_the_registration(
    bruno_client, visitor, ana, event, city_a
):
    make_registration(event, city_a, user=ana, note="Private note")
    for client in (bruno_client, visitor):
        html = client.get(detail(event)).content.decode()
        assert "Private note" not in html
        assert "delegate0@quilmes-ar.example" not in html


def test_secretariat_is_offered_only_the_cities_not_registered(
    sofia_client, ana, event, city_a, city_b
):
    make_registration(event, city_a, user=ana)
    response = sofia_client.get(detail(event))
    offered = [value for value, _label in response.context["form"].fields["city"].choices]
    assert city_b.slug in offered
    assert city_a.slug not in offered
    assert "Register another city" in response.content.decode()


# --- a second registration ------------------------------------------------------------------


def test_second_registration_is_refused_with_409_and_nothing_lost(
    ana_client, ana, event, city_a, mailoutbox
):
    registration = make_registration(event, city_a, user=ana, delegates=2, note="First note")
    before = snapshot(registration)
    post = registration_data(city_a, people(3), "Typed again")
    response = ana_client.post(register(event), post)
    assert response.status_code == 409
    assert snapshot(registration) == before
    assert Registration.objects.filter(event=event).count() == 1
    assert mailoutbox == []
    html = response.content.decode()
    assert "Quilmes was already registered for this event" in html
    # what was typed, kept in the form…
    assert "Typed again" in html and 'value="typed2@quilmes.example"' in html
    # …beside the registration as it is now
    assert "The registration as it is now" in html
    assert "First note" in html and "delegate1@quilmes-ar.example" in html
    # the form kept is a change carrying the current version: saving it is deliberate
    assert response.context["form"]["version"].value() == str(registration.version)
    assert f'action="{change(event)}"' in html


def test_a_registration_sent_twice_registers_once(ana_client, event, city_a):
    post = registration_data(city_a, 2, "Once")
    assert ana_client.post(register(event), post).status_code == 302
    assert ana_client.post(register(event), post).status_code == 409
    registration = Registration.objects.get(event=event, city=city_a)
    assert (registration.attendees, registration.version) == (2, 1)


def test_service_refuses_a_second_registration(ana, event, city_a):
    from events.services import DelegateData, RegistrationExistsError, registration_create

    first = make_registration(event, city_a, user=ana)
    with pytest.raises(RegistrationExistsError) as raised:
        registration_create(
            event=event, city=city_a, user=ana, delegates=[DelegateData("X", "", "x@x.example")]
        )
    assert raised.value.registration == first
    assert snapshot(first) == (1, "", 1, ["delegate0@quilmes-ar.example"])


# --- a change from a stale page -------------------------------------------------------------


def test_stale_change_is_refused_with_409_and_nothing_lost(ana_client, ana, event, city_a):
    registration = make_registration(event, city_a, user=ana, delegates=2, note="Old")
    opened = ana_client.get(change(event, city_a)).context["form"]["version"].value()
    # meanwhile, someone else saves a change
    other = registration_data(city_a, people(1, name="Other"), "Theirs", version=opened)
    assert ana_client.post(change(event), other).status_code == 302
    after_other = snapshot(registration)
    assert after_other[1:3] == ("Theirs", 2)

    mine = registration_data(city_a, people(3, name="Mine"), "Mine", version=opened)
    response = ana_client.post(change(event), mine)
    assert response.status_code == 409
    assert snapshot(registration) == after_other
    html = response.content.decode()
    assert "Someone changed this registration after you opened the page" in html
    assert 'value="Mine 2"' in html and ">\nMine</textarea>" in html  # what I typed
    assert "Theirs" in html and "Other 0, Adviser" in html  # the registration as it is now

    # saving the kept text again, now knowing the current one, replaces it
    again = registration_data(city_a, people(3, name="Mine"), "Mine", version=2)
    assert ana_client.post(change(event), again).status_code == 302
    assert snapshot(registration)[:3] == (3, "Mine", 3)


def test_change_of_a_withdrawn_registration_keeps_what_was_typed(ana_client, ana, event, city_a):
    registration = make_registration(event, city_a, user=ana)
    registration.delete()
    response = ana_client.post(
        change(event), registration_data(city_a, people(2), "Kept", version=1)
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "was withdrawn after you opened the page" in html
    assert "Kept" in html and 'value="typed1@quilmes.example"' in html
    assert not Registration.objects.exists()


def test_change_without_version_is_an_error_and_saves_nothing(ana_client, ana, event, city_a):
    registration = make_registration(event, city_a, user=ana, delegates=2)
    before = snapshot(registration)
    response = ana_client.post(change(event), registration_data(city_a, 3, "No version"))
    assert response.status_code == 200
    assert "open the registration again" in response.content.decode()
    assert snapshot(registration) == before


def test_change_removes_a_delegate_ticked_for_removal(ana_client, ana, event, city_a):
    registration = make_registration(event, city_a, user=ana, delegates=3)
    post = registration_data(city_a, people(3), version=1, **{"delegates-1-DELETE": "on"})
    assert ana_client.post(change(event), post).status_code == 302
    assert snapshot(registration)[3] == ["typed0@quilmes.example", "typed2@quilmes.example"]


def test_change_page_answers_head_and_404_for_an_unregistered_city(ana_client, event, city_a):
    assert ana_client.head(change(event)).status_code == 404
    make_registration(event, city_a)
    assert ana_client.head(change(event, city_a)).status_code == 200


def test_no_change_page_once_the_event_started(ana_client, ana, city_a):
    started = make_event(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    registration = make_registration(started, city_a, user=ana)
    response = ana_client.get(change(started, city_a))
    assert response.status_code == 302
    post = registration_data(city_a, 3, version=1)
    response = ana_client.post(change(started), post)
    assert response.status_code == 200
    assert "already started" in response.content.decode()
    assert snapshot(registration)[0] == 1


# --- every delegate in one save -------------------------------------------------------------


def test_eleven_delegates_in_one_save(ana_client, city_a):
    roomy = make_event(capacity=None)
    response = ana_client.post(register(roomy), registration_data(city_a, 11))
    assert response.status_code == 302
    registration = Registration.objects.get(event=roomy, city=city_a)
    assert registration.attendees == 11
    assert registration.delegates.count() == 11
    assert registration.status == Registration.Status.CONFIRMED


def test_eleven_delegates_beyond_the_capacity_wait(ana_client, event, city_a):
    response = ana_client.post(register(event), registration_data(city_a, 11))
    assert response.status_code == 302
    registration = Registration.objects.get(event=event, city=city_a)
    assert (registration.status, registration.waiting_position) == ("waiting", 1)


def test_new_registration_offers_empty_rows(ana_client, event):
    formset = ana_client.get(detail(event)).context["formset"]
    assert formset.total_form_count() == NEW_ROWS
    assert formset.management_form["INITIAL_FORMS"].value() == 0


def test_more_rows_without_javascript_keeps_everything_typed(ana_client, event, city_a):
    post = registration_data(city_a, people(3), "Typed note", add_rows=str(ADD_ROWS))
    post["delegates-2-consent"] = ""  # a row still being filled in: no error shown yet
    response = ana_client.post(register(event), post)
    assert response.status_code == 200
    assert not Registration.objects.exists()
    formset = response.context["formset"]
    assert formset.total_form_count() == 3 + ADD_ROWS
    html = response.content.decode()
    assert 'value="typed2@quilmes.example"' in html and "Typed note" in html
    assert 'class="error"' not in html
    assert response.context["form"]["city"].value() == city_a.slug


def test_more_rows_stop_at_the_maximum(ana_client, event, city_a):
    post = registration_data(city_a, people(MAX_DELEGATES - 2), add_rows="5")
    formset = ana_client.post(register(event), post).context["formset"]
    assert formset.total_form_count() == MAX_DELEGATES
    assert not formset.can_add_rows


def test_more_rows_on_the_change_page_keeps_the_version(ana_client, ana, event, city_a):
    make_registration(event, city_a, user=ana, delegates=2)
    post = registration_data(city_a, people(2), "Still typing", version=1, add_rows="5")
    response = ana_client.post(change(event), post)
    assert response.status_code == 200
    assert response.context["form"]["version"].value() == "1"
    assert response.context["formset"].total_form_count() == 2 + ADD_ROWS
    assert Registration.objects.get(city=city_a).note == ""


# --- withdrawing asks first -----------------------------------------------------------------


def test_withdraw_asks_for_confirmation_first(ana_client, ana, event, city_a):
    make_registration(event, city_a, user=ana, delegates=2)
    response = ana_client.get(withdraw(event, city_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Withdraw Quilmes from" in html
    assert "delegate1@quilmes-ar.example" in html
    assert f'action="{withdraw(event)}"' in html
    assert Registration.objects.filter(city=city_a).exists()  # asking deleted nothing

    response = ana_client.post(withdraw(event), {"city": city_a.slug})
    assert response.status_code == 302
    assert not Registration.objects.filter(city=city_a).exists()


def test_no_confirmation_page_once_the_event_started(ana_client, ana, city_a):
    started = make_event(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    make_registration(started, city_a, user=ana)
    assert ana_client.get(withdraw(started, city_a)).status_code == 302
    assert Registration.objects.filter(city=city_a).exists()
