"""Attendance: a city attended an event when its registration was confirmed, the event has
ended and was not cancelled; after the event the secretariat may correct it per
registration (attended / did not attend), and its correction wins. Time is respected: an
event counts as held only once it has ended, and reads upcoming / already started / ended."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from events import queries, services
from events.models import Event, Registration
from tests.events.conftest import en, make_event, make_registration, url

pytestmark = pytest.mark.django_db


def hours_ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


@pytest.fixture
def ended(db):
    """A meeting that ended two hours ago."""
    return make_event(title="Ended meeting", slug="ended-meeting", starts_at=hours_ago(5))


def attended_ids(event):
    return set(Registration.objects.attended().filter(event=event).values_list("city", flat=True))


def test_confirmed_registration_of_an_ended_event_counts_as_attended(ended, city_a, city_b):
    make_registration(ended, city_a)
    make_registration(ended, city_b, status="waiting", waiting_position=1)
    assert attended_ids(ended) == {city_a.pk}
    assert queries.participating_cities(ended) == [city_a]


def test_future_running_and_cancelled_events_have_no_attendance(city_a):
    future = make_event(starts_at=timezone.now() + datetime.timedelta(days=3))
    running = make_event(starts_at=hours_ago(1))
    cancelled = make_event(starts_at=hours_ago(30), cancelled=True)
    for event in (future, running, cancelled):
        make_registration(event, city_a)
        assert attended_ids(event) == set()
    assert not Event.objects.held().filter(pk__in=[future.pk, running.pk, cancelled.pk]).exists()


def test_secretariat_corrects_attendance_after_the_event(sofia, ended, city_a, city_b):
    present = make_registration(ended, city_a)
    waiting = make_registration(ended, city_b, status="waiting", waiting_position=1)
    services.registration_set_attendance(registration=present, attended=False, user=sofia)
    services.registration_set_attendance(registration=waiting, attended=True, user=sofia)
    assert attended_ids(ended) == {city_b.pk}
    # back to the default rule
    services.registration_set_attendance(registration=present, attended=None, user=sofia)
    present.refresh_from_db()
    assert present.attended is None
    assert attended_ids(ended) == {city_a.pk, city_b.pk}
    assert [year.events for year in queries.attended_by_city(city_b)] == [[ended]]


def test_attendance_cannot_be_corrected_before_the_event_ends(sofia, city_a):
    running = make_event(starts_at=hours_ago(1))
    registration = make_registration(running, city_a)
    with pytest.raises(ValidationError):
        services.registration_set_attendance(registration=registration, attended=False, user=sofia)
    registration.refresh_from_db()
    assert registration.attended is None


def test_a_coordinator_cannot_correct_attendance(ana, ended, city_a):
    registration = make_registration(ended, city_a, user=ana)
    with pytest.raises(PermissionDenied):
        services.registration_set_attendance(registration=registration, attended=True, user=ana)
    registration.refresh_from_db()
    assert registration.attended is None


def changelist_action(client, action, registrations):
    return client.post(
        "/en/admin/events/registration/",
        {"action": action, "_selected_action": [r.pk for r in registrations]},
        follow=True,
    )


def test_admin_actions_mark_attendance_and_refuse_events_not_ended(sofia_client, ended, city_a):
    future = make_event(starts_at=timezone.now() + datetime.timedelta(days=3))
    done = make_registration(ended, city_a)
    early = make_registration(future, city_a)
    response = changelist_action(sofia_client, "mark_not_attended", [done, early])
    html = response.content.decode()
    assert "The attendance of 1 registration was recorded." in html
    assert "only after the event has ended" in html
    done.refresh_from_db()
    early.refresh_from_db()
    assert done.attended is False and early.attended is None
    assert (
        "did not attend (corrected)"
        in sofia_client.get("/en/admin/events/registration/").content.decode()
    )
    changelist_action(sofia_client, "mark_attendance_default", [done])
    done.refresh_from_db()
    assert done.attended is None


def test_event_pages_say_upcoming_already_started_or_ended(visitor, city_a):
    future = make_event(title="Future", starts_at=timezone.now() + datetime.timedelta(days=3))
    running = make_event(title="Running", starts_at=hours_ago(1))
    past = make_event(title="Past", starts_at=hours_ago(30))
    for event, label in ((future, "Upcoming"), (running, "Already started"), (past, "Ended")):
        html = visitor.get(en("events:detail", slug=event.slug)).content.decode()
        assert f"badge-phase badge-{event.phase}" in html and label in html
    listing = visitor.get(en("events:list")).content.decode()
    assert listing.count("badge-phase") == 3
    assert (future.phase, running.phase, past.phase) == ("upcoming", "started", "ended")


def test_a_future_event_never_counts_as_attended(sofia_client, city_a):
    make_registration(make_event(starts_at=timezone.now() + datetime.timedelta(days=20)), city_a)
    response = sofia_client.get(url("events:participation"))
    assert response.context["active"] == []
    tables = sofia_client.get("/en/dashboard/").context["yearly_tables"]
    participation = next(table for table in tables if table["slug"] == "participation")
    assert sum(participation["totals"]) == 0
