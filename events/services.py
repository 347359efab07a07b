"""Writes about events that span several rows or send mail.

Seats are counted in delegates. A registration is confirmed while the confirmed delegates
fit the event's capacity; beyond it, the city joins the waiting list and is promoted, in
order, when seats free up. Every check of the seats runs with the event row locked
(`select_for_update`), so two registrations at once cannot both take the last seats.
Every e-mail is written in its recipient's language and leaves only after the transaction
commits, so a rolled-back write never announces anything.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from cities.models import CityCoordinator
from core.mail import absolute_url, recipient_language, render_email, send_after_commit
from core.tasks import enqueue

# tasks.py imports this module too; each only reads the other's names when called.
from . import permissions, tasks
from .models import Delegate, Event, Registration

Status = Registration.Status

# Delegates' personal data is kept this long after the event ends (overridable in settings).
DEFAULT_DELEGATE_RETENTION_DAYS = 180


def delegate_retention_days() -> int:
    return int(getattr(settings, "EVENTS_DELEGATE_RETENTION_DAYS", DEFAULT_DELEGATE_RETENTION_DAYS))


# --- Mail helpers -------------------------------------------------------------------------


def _email(template: str, context: dict, *, user) -> EmailMessage:
    """Render events/email/<template>.txt and its _subject.txt in the user's language."""
    with translation.override(recipient_language(user.language)):
        # the event's address carries the language prefix, so it is built in that language
        event_url = absolute_url(context["event"].get_absolute_url())
    context = {**context, "recipient": user, "event_url": event_url}
    return render_email(f"events/email/{template}", context, to=user.email, language=user.language)


# --- Seats ---------------------------------------------------------------------------------


def _lock(event: Event) -> Event:
    """The event row, locked until the transaction ends, with its current values."""
    return Event.objects.select_for_update().get(pk=event.pk)


def _seats_taken(event: Event, *, excluding: Registration | None = None) -> int:
    queryset = Registration.objects.filter(event=event, status=Status.CONFIRMED)
    if excluding is not None and excluding.pk:
        queryset = queryset.exclude(pk=excluding.pk)
    return queryset.aggregate(n=Sum("attendees"))["n"] or 0


def _fits(event: Event, attendees: int, *, excluding=None) -> bool:
    if event.capacity is None:
        return True
    return _seats_taken(event, excluding=excluding) + attendees <= event.capacity


def _renumber_waiting(event: Event) -> None:
    for position, registration in enumerate(
        Registration.objects.filter(event=event).waiting(), start=1
    ):
        if registration.waiting_position != position:
            registration.waiting_position = position
            registration.save(update_fields=["waiting_position", "updated_at"])


def _promote_waiting(event: Event) -> list[Registration]:
    """Confirm waiting registrations in order while they fit; the first that does not fit
    keeps its place (nobody is overtaken). The event must already be locked."""
    promoted = []
    for registration in (
        Registration.objects.filter(event=event).waiting().select_related("registered_by", "city")
    ):
        if not _fits(event, registration.attendees):
            break
        registration.status = Status.CONFIRMED
        registration.waiting_position = None
        registration.save(update_fields=["status", "waiting_position", "updated_at"])
        promoted.append(registration)
    _renumber_waiting(event)
    mails = [
        _email("registration_promoted", {"event": event, "registration": r}, user=r.registered_by)
        for r in promoted
        if r.registered_by and r.registered_by.is_active
    ]
    send_after_commit(mails)
    return promoted


@transaction.atomic
def event_seats_changed(*, event: Event) -> list[Registration]:
    """After the secretariat raises an event's capacity (or removes it): promote those
    waiting, in order. Returns the promoted registrations."""
    event = _lock(event)
    if event.cancelled or event.has_started():
        return []
    return _promote_waiting(event)


# --- Registrations -------------------------------------------------------------------------


@dataclass(frozen=True)
class DelegateData:
    name: str
    position: str
    email: str


def _refuse_unless_open(event: Event, *, new: bool) -> None:
    if event.cancelled:
        raise ValidationError(_("This event was cancelled."), code="cancelled")
    if event.has_started():
        raise ValidationError(
            _("This event has already started; registrations can no longer change."),
            code="started",
        )
    if new and not event.registration_open:
        raise ValidationError(_("Registration for this event is closed."), code="closed")


class RegistrationExistsError(Exception):
    """The city is already registered for the event: a second registration would replace it."""

    def __init__(self, registration: Registration):
        super().__init__(str(registration))
        self.registration = registration


class ConcurrentEditError(Exception):
    """Someone changed (or withdrew) the registration after this form was opened."""


def _full_message(free: int) -> str:
    return ngettext(
        "Only %(free)s seat is available for your city now; keep fewer "
        "delegates or ask the secretariat.",
        "Only %(free)s seats are available for your city now; keep fewer "
        "delegates or ask the secretariat.",
        free,
    ) % {"free": free}


def _replace_delegates(registration: Registration, delegates: list[DelegateData]) -> None:
    registration.delegates.all().delete()
    consented_at = timezone.now()
    Delegate.objects.bulk_create(
        Delegate(
            registration=registration,
            name=d.name,
            position=d.position,
            email=d.email,
            consented_at=consented_at,
        )
        for d in delegates
    )


def _check_request(user, city, delegates) -> None:
    if not permissions.can_register_city(user, city):
        raise PermissionDenied
    if not delegates:
        raise ValidationError(_("Name at least one delegate."), code="no_delegate")


@transaction.atomic
def registration_create(
    *, event: Event, city, user, delegates: list[DelegateData], note: str = ""
) -> Registration:
    """Register a city for an event: confirmed while its delegates fit the capacity and
    nobody is waiting, on the waiting list otherwise.

    Raises RegistrationExistsError when the city is already registered (checked with the
    event locked, so a form sent twice never replaces the first registration),
    PermissionDenied when the user may not act for the city, ValidationError when
    registration is closed, the event started or was cancelled, or no delegate is given.
    """
    _check_request(user, city, delegates)
    event = _lock(event)
    existing = Registration.objects.filter(event=event, city=city).first()
    if existing is not None:
        raise RegistrationExistsError(existing)
    _refuse_unless_open(event, new=True)
    registration = Registration(
        event=event, city=city, registered_by=user, attendees=len(delegates), note=note
    )
    # Nobody overtakes the waiting list: with anyone waiting, a new city waits too.
    someone_waiting = Registration.objects.filter(event=event).waiting().exists()
    if not someone_waiting and _fits(event, len(delegates)):
        registration.status = Status.CONFIRMED
    else:
        last = Registration.objects.filter(event=event).aggregate(n=Max("waiting_position"))
        registration.status = Status.WAITING
        registration.waiting_position = (last["n"] or 0) + 1
    registration.save()
    _replace_delegates(registration, delegates)
    send_after_commit(
        [_email("registration_received", {"event": event, "registration": registration}, user=user)]
    )
    return registration


@transaction.atomic
def registration_update(
    *,
    registration: Registration,
    user,
    delegates: list[DelegateData],
    note: str = "",
    expected_version: int,
) -> Registration:
    """Change a registration's delegates and note if nobody changed it since
    `expected_version` was read.

    One guarded UPDATE … WHERE id AND version claims the row; when it matches no row (the
    registration was changed or withdrawn meanwhile) ConcurrentEditError is raised and
    nothing is written. A confirmed registration that asks for more seats than are free is
    refused (ValidationError); one that needs fewer frees seats for those waiting.
    """
    _check_request(user, registration.city, delegates)
    event = _lock(registration.event)
    _refuse_unless_open(event, new=False)
    claimed = Registration.objects.filter(pk=registration.pk, version=expected_version).update(
        version=expected_version + 1
    )
    if claimed != 1:
        raise ConcurrentEditError
    registration = Registration.objects.select_related("city").get(pk=registration.pk)
    count = len(delegates)
    if (
        registration.status == Status.CONFIRMED
        and count > registration.attendees
        and not _fits(event, count, excluding=registration)
    ):
        # the raise rolls the claimed version back with everything else
        free = max(event.capacity - _seats_taken(event, excluding=registration), 0)
        raise ValidationError(_full_message(free), code="full")
    freed = count < registration.attendees
    registration.attendees = count
    registration.note = note
    registration.save(update_fields=["attendees", "note", "updated_at"])
    _replace_delegates(registration, delegates)
    if freed or registration.status == Status.WAITING:
        _promote_waiting(event)
        registration.refresh_from_db()
    return registration


@transaction.atomic
def registration_withdraw(*, registration: Registration, user) -> None:
    """Withdraw a city from an event before it starts; its seats go to those waiting."""
    if not permissions.can_register_city(user, registration.city):
        raise PermissionDenied
    event = _lock(registration.event)
    if event.has_started():
        raise ValidationError(
            _("This event has already started; registrations can no longer change."),
            code="started",
        )
    registration.delete()
    if not event.cancelled:
        _promote_waiting(event)
    else:
        _renumber_waiting(event)


# --- Attendance ----------------------------------------------------------------------------


@transaction.atomic
def registration_set_attendance(*, registration: Registration, attended: bool | None, user):
    """Record whether the city attended (True / False), or None to go back to the default
    rule (a confirmed registration counts once the event has ended). Only the secretariat,
    and only after the event ended; a cancelled event has no attendance to correct."""
    if not permissions.can_correct_attendance(user):
        raise PermissionDenied
    event = registration.event
    if event.cancelled or not event.has_ended():
        raise ValidationError(
            _("Attendance can be corrected only after the event has ended (and if it took place)."),
            code="not_ended",
        )
    if attended is not None and not isinstance(attended, bool):
        raise ValidationError(_("Choose attended or did not attend."), code="invalid")
    updated = Registration.objects.filter(pk=registration.pk).update(
        attended=attended, updated_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("This registration no longer exists."), code="gone")
    registration.attended = attended
    return registration


# --- Announcing registration ---------------------------------------------------------------


@transaction.atomic
def event_open_registration(*, event: Event) -> int:
    """Open registration and tell every active coordinator of a member city, once.

    Returns the number of coordinators to be told (0 when they were already told); one
    background task writes their e-mails. Raises ValidationError when the event is
    cancelled or has started. `notified_at` records the announcement.
    """
    event = _lock(event)
    if event.cancelled or event.has_started():
        raise ValidationError(
            _("Registration cannot open for an event that was cancelled or has started."),
            code="not_open",
        )
    update = ["registration_open", "updated_at"]
    event.registration_open = True
    if event.notified_at is not None:
        event.save(update_fields=update)
        return 0
    event.notified_at = timezone.now()
    event.save(update_fields=[*update, "notified_at"])
    # One task writes the e-mails (one mail task each) once this is committed.
    enqueue(tasks.announce_registration_open, event_id=event.pk)
    return _coordinators_to_notify().count()


def _coordinators_to_notify():
    user_ids = CityCoordinator.objects.filter(
        city__status="member", user__is_active=True
    ).values_list("user_id", flat=True)
    return User.objects.filter(pk__in=user_ids).order_by("email")


@transaction.atomic
def event_announce_registration(*, event_id: int) -> int:
    """E-mail every active coordinator of a member city that the event's registration is
    open, each in their language (the background task queued by event_open_registration).

    Returns the number of e-mails queued; none when the event is gone, closed or cancelled
    meanwhile. The e-mails are keyed by the announcement, so a second run sends nobody a
    second one.
    """
    event = Event.objects.filter(pk=event_id, registration_open=True, cancelled=False).first()
    if event is None or event.notified_at is None:
        return 0
    mails = [
        _email("registration_open", {"event": event}, user=user)
        for user in _coordinators_to_notify()
    ]
    send_after_commit(
        mails, once_per=f"events.registration_open:{event.pk}:{event.notified_at.isoformat()}"
    )
    return len(mails)


# --- Personal data -------------------------------------------------------------------------


@transaction.atomic
def delegates_purge(*, now=None, retention_days: int | None = None, dry_run=False) -> int:
    """Delete the delegates of events that ended more than `retention_days` ago, keeping
    each registration's count of attendees. Returns the number of registrations purged."""
    now = now or timezone.now()
    days = delegate_retention_days() if retention_days is None else retention_days
    cutoff = now - datetime.timedelta(days=days)
    registrations = Registration.objects.filter(
        event__ends_at__lt=cutoff, delegates_purged_at__isnull=True
    )
    ids = list(registrations.values_list("pk", flat=True))
    if dry_run or not ids:
        return len(ids)
    Delegate.objects.filter(registration_id__in=ids).delete()
    Registration.objects.filter(pk__in=ids).update(delegates_purged_at=now)
    return len(ids)
