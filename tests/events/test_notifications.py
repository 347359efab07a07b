"""Announcing registration (admin action and command) and purging delegates' data."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from events.models import Delegate, Registration
from tests.events.conftest import make_event, make_registration, url
from tests.factories import CityCoordinatorFactory, CityFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_command_opens_registration_and_notifies_each_coordinator_once_in_their_language(
    ana, bruno, event, mailoutbox, django_capture_on_commit_callbacks
):
    former = CityFactory(slug="former-city", status="former")
    CityCoordinatorFactory(city=former, user=UserFactory(email="old@former.example"))
    event.registration_open = False
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_registration_open", event.slug)
    event.refresh_from_db()
    assert event.registration_open and event.notified_at is not None
    assert sorted(m.to[0] for m in mailoutbox) == [ana.email, bruno.email]
    to_bruno = next(m for m in mailoutbox if m.to == [bruno.email])
    assert "/pt-br/events/ministers-meeting/" in to_bruno.body
    to_ana = next(m for m in mailoutbox if m.to == [ana.email])
    assert "/events/ministers-meeting/" in to_ana.body and "/en/" not in to_ana.body
    assert "18:00" in to_ana.body
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_registration_open", event.slug)
    assert len(mailoutbox) == 2  # never twice


def test_command_refuses_unknown_or_cancelled_events(event):
    with pytest.raises(CommandError):
        call_command("notify_registration_open", "nope")
    event.cancelled = True
    event.save()
    with pytest.raises(CommandError):
        call_command("notify_registration_open", event.slug)


def test_admin_action_opens_and_notifies(
    sofia_client, ana, event, mailoutbox, django_capture_on_commit_callbacks
):
    event.registration_open = False
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = sofia_client.post(
            "/admin/events/event/",
            {"action": "open_registration_and_notify", "_selected_action": [event.pk]},
        )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.registration_open and event.notified_at
    assert [m.to for m in mailoutbox] == [[ana.email]]


def test_purge_deletes_old_delegates_and_keeps_counts(ana, city_a, city_b, settings, capsys):
    settings.EVENTS_DELEGATE_RETENTION_DAYS = 30
    old = make_event(starts_at=timezone.now() - datetime.timedelta(days=40))
    recent = make_event(starts_at=timezone.now() - datetime.timedelta(days=10))
    purged = make_registration(old, city_a, user=ana, delegates=3)
    kept = make_registration(recent, city_a, user=ana, delegates=2)
    with translation.override("en"):
        call_command("purge_delegates", "--dry-run")
    assert Delegate.objects.count() == 5
    assert "Dry run" in capsys.readouterr().out
    call_command("purge_delegates")
    purged.refresh_from_db()
    kept.refresh_from_db()
    assert purged.attendees == 3 and purged.delegates_purged_at is not None
    assert not purged.delegates.exists()
    assert kept.delegates.count() == 2 and kept.delegates_purged_at is None
    call_command("purge_delegates")  # idempotent
    assert Registration.objects.count() == 2


def test_purge_default_retention_is_180_days(ana, city_a):
    from events.services import delegate_retention_days

    assert delegate_retention_days() == 180
    recent = make_event(starts_at=timezone.now() - datetime.timedelta(days=100))
    make_registration(recent, city_a, user=ana, delegates=1)
    call_command("purge_delegates")
    assert Delegate.objects.count() == 1


def test_registrations_page_after_purge_says_deleted(sofia_client, ana, city_a):
    old = make_event(starts_at=timezone.now() - datetime.timedelta(days=400))
    make_registration(old, city_a, user=ana, delegates=2)
    call_command("purge_delegates")
    response = sofia_client.get("/en" + url("events:registrations", slug=old.slug))
    assert b"Deleted after the event" in response.content
