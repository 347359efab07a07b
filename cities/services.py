"""Writes about cities that span several rows or send mail.

A city joins by one of two paths (MembershipApplication.Kind). A member city of
Mercociudades that asks to take part in the unit needs one step: the secretariat confirms
it (received → approved), or rejects it with a reason. A city outside the network applies
to Mercociudades through the stages its statutes set: received → under review by the
secretariat → recommended to the Council → approved by the Assembly, or rejected with a
reason. Approval makes the city a member of the registry and invites the applicant to
coordinate it. Every stage e-mail carries the secretariat's note for that stage.

Every e-mail is written in its recipient's language and leaves only after the transaction
commits, so a rolled-back write never announces anything.
"""

import datetime
import hashlib
import logging
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.security import log_event
from accounts.services import emails_to_secretariat, user_create
from core.mail import absolute_url, recipient_language, render_email, send_after_commit

from .models import (
    FOCAL_POINT_STALE_AFTER,
    ApplicationStage,
    City,
    CityCoordinator,
    CoordinatorInvitation,
    FocalPoint,
    MembershipApplication,
    stage_label,
)

logger = logging.getLogger(__name__)

Status = MembershipApplication.Status
Kind = MembershipApplication.Kind

# An invitation link works for this long, and only once.
INVITATION_VALID_FOR = datetime.timedelta(days=14)

# The statutes' order: each pending stage has exactly one next stage.
NEXT_STAGE = {
    Status.RECEIVED: Status.UNDER_REVIEW,
    Status.UNDER_REVIEW: Status.RECOMMENDED,
    Status.RECOMMENDED: Status.APPROVED,
}


def next_stage(application: MembershipApplication) -> str:
    """The stage after the current one: on the unit path, the secretariat's confirmation."""
    if application.kind == Kind.UNIT:
        return Status.APPROVED
    return NEXT_STAGE[application.status]


# --- Mail helpers -------------------------------------------------------------------------


def _email(template: str, context: dict, *, to: str, language: str) -> EmailMessage:
    """Render cities/email/<template>.txt and its _subject.txt in the recipient's language."""
    return render_email(f"cities/email/{template}", context, to=to, language=language)


def _stage_email(application: MembershipApplication, *, note: str) -> EmailMessage:
    """The applicant's e-mail about the stage just recorded, with the secretariat's note."""
    template = (
        "application_rejected" if application.status == Status.REJECTED else "application_stage"
    )
    with translation.override(recipient_language(application.language)):
        context = {
            "application": application,
            "status": application.status_label,
            "note": note.strip(),
            "contact_email": settings.CONTACT_EMAIL,
            "privacy_url": absolute_url(reverse("privacy")),
        }
        return _email(template, context, to=application.email, language=application.language)


# --- Membership applications ----------------------------------------------------------------


def application_pending_exists(*, email: str, city_name: str, country: str) -> bool:
    """True when this e-mail already has a pending application for this city (any case)."""
    return MembershipApplication.objects.filter(
        email__iexact=email.strip(),
        city_name__iexact=city_name.strip(),
        country=country,
        status__in=MembershipApplication.PENDING,
    ).exists()


def _already_pending_error() -> ValidationError:
    return ValidationError(
        _(
            "An application for this city from this e-mail address is already pending. "
            "The secretariat will write to you about it."
        ),
        code="already_pending",
    )


@transaction.atomic
def application_submit(
    *,
    kind: str = Kind.NETWORK,
    city_name: str,
    country: str,
    contact_name: str,
    email: str,
    position: str,
    motivation: str,
    language: str,
) -> MembershipApplication:
    """Record a city's request to join by the path `kind` (MembershipApplication.Kind), tell
    the secretariat and confirm to the applicant.

    Raises ValidationError when the same e-mail already has a pending application for the
    same city (the database constraint `cities_application_one_pending` backs this up).
    """
    if application_pending_exists(email=email, city_name=city_name, country=country):
        raise _already_pending_error()
    try:
        with transaction.atomic():
            application = MembershipApplication.objects.create(
                kind=kind,
                city_name=city_name.strip(),
                country=country,
                contact_name=contact_name.strip(),
                email=email.strip(),
                position=position.strip(),
                motivation=motivation.strip(),
                language=recipient_language(language),
            )
    except IntegrityError as error:  # two identical submissions at the same moment
        raise _already_pending_error() from error
    ApplicationStage.objects.create(application=application, status=Status.RECEIVED)

    with translation.override(application.language):
        privacy_url = absolute_url(reverse("privacy"))
    received = _email(
        "application_received",
        {
            "application": application,
            "contact_email": settings.CONTACT_EMAIL,
            "privacy_url": privacy_url,
        },
        to=application.email,
        language=application.language,
    )
    new = emails_to_secretariat(
        "cities/email/application_new", {"application": application}, about=application
    )
    send_after_commit([received, *new])
    return application


def application_allowed_transitions(application: MembershipApplication) -> list[str]:
    """The statuses this application may move to now (empty once decided)."""
    if not application.is_pending:
        return []
    return [next_stage(application), Status.REJECTED]


def application_check_transition(application: MembershipApplication, to_status: str) -> None:
    """Raise a readable ValidationError when the application may not move to `to_status`."""
    if to_status not in application_allowed_transitions(application):
        raise ValidationError(
            _("An application that is “%(current)s” cannot move to “%(target)s”.")
            % {
                "current": application.status_label,
                "target": stage_label(application.kind, to_status)
                if to_status in Status.values
                else to_status,
            },
            code="invalid_transition",
        )
    if to_status == Status.APPROVED and application.kind == Kind.NETWORK:
        existing = _existing_city(application)
        if existing is not None and existing.status == City.Status.MEMBER:
            raise ValidationError(
                _("%(city)s is already a member city.") % {"city": existing.name},
                code="already_member",
            )


def _lock(application: MembershipApplication) -> MembershipApplication:
    """Re-read the status under a row lock so two decisions cannot cross."""
    locked = MembershipApplication.objects.select_for_update().get(pk=application.pk)
    application.status = locked.status
    return application


def _record_stage(application, *, status, note, by, update_fields):
    application.status = status
    if status != Status.REJECTED:
        # A reason typed for a rejection that did not happen must not stay on the record.
        application.rejection_reason = ""
        update_fields = [*update_fields, "rejection_reason"]
    application.save(update_fields=[*update_fields, "status", "updated_at"])
    ApplicationStage.objects.create(
        application=application, status=status, note=note.strip(), decided_by=by
    )


@transaction.atomic
def application_advance(
    *, application: MembershipApplication, to_status: str, note: str = "", by: User | None
) -> MembershipApplication:
    """Move a pending application to its next stage (review, then recommendation).

    Approval and rejection have their own services (they do more); asking this one for
    them, or for a stage out of order, raises ValidationError.
    """
    _lock(application)
    if to_status in (Status.APPROVED, Status.REJECTED):
        raise ValidationError(
            _("Approve or reject an application with its own action."), code="use_decision"
        )
    application_check_transition(application, to_status)
    _record_stage(application, status=to_status, note=note, by=by, update_fields=[])
    send_after_commit([_stage_email(application, note=note)])
    return application


@transaction.atomic
def application_reject(
    *, application: MembershipApplication, reason: str, by: User | None
) -> MembershipApplication:
    """Reject a pending application; the reason is required and sent to the applicant."""
    _lock(application)
    if not (reason or "").strip():
        raise ValidationError(_("Give the reason for the rejection."), code="reason_required")
    application_check_transition(application, Status.REJECTED)
    application.rejection_reason = reason.strip()
    _record_stage(
        application,
        status=Status.REJECTED,
        note=reason,
        by=by,
        update_fields=["rejection_reason"],
    )
    send_after_commit([_stage_email(application, note=reason)])
    return application


def _existing_city(application: MembershipApplication) -> City | None:
    return City.objects.filter(
        name__iexact=application.city_name.strip(), country=application.country
    ).first()


def _unique_slug(name: str, country: str) -> str:
    base = slugify(f"{name} {country}")[:130].strip("-") or "city"
    slug, number = base, 2
    while City.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def application_approve(
    *, application: MembershipApplication, note: str = "", by: User | None
) -> MembershipApplication:
    """Record the approval (the Assembly's, or on the unit path the secretariat's
    confirmation): the city becomes a member and the applicant is invited to coordinate it.

    A city already in the registry (a former member, an applicant) is made a member again;
    otherwise a new City is created with a unique slug such as "salto-uy". On the network
    path the city joins this year; on the unit path it already belonged to Mercociudades,
    so a year already recorded is kept. An earlier rejection reason is cleared.
    """
    _lock(application)
    application_check_transition(application, Status.APPROVED)
    year = timezone.localdate().year if application.kind == Kind.NETWORK else None
    city = _existing_city(application)
    if city is None:
        city = City.objects.create(
            name=application.city_name.strip(),
            slug=_unique_slug(application.city_name, application.country.code),
            country=application.country,
            status=City.Status.MEMBER,
            membership_verified=True,
            joined_year=year,
        )
    else:
        city.status, city.membership_verified = City.Status.MEMBER, True
        city.joined_year = year or city.joined_year
        city.save(update_fields=["status", "joined_year", "membership_verified", "updated_at"])
    application.city = city
    _record_stage(application, status=Status.APPROVED, note=note, by=by, update_fields=["city"])
    send_after_commit([_stage_email(application, note=note)])
    already = CityCoordinator.objects.filter(city=city, user__email__iexact=application.email)
    if not already.exists():
        invitation_send(
            city=city,
            email=application.email,
            name=application.contact_name,
            language=application.language,
            by=by,
        )
    return application


# --- Coordinator invitations ----------------------------------------------------------------


def invitation_hash(token: str) -> str:
    """The sha256 of an invitation token: only this is stored, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_send(
    *, city: City, email: str, name: str, language: str, by: User | None
) -> tuple[CoordinatorInvitation, str]:
    """Invite a person to coordinate a city: e-mail a single-use link valid for 14 days.

    Returns the invitation and its token (the token is not stored; only its hash is).
    Earlier unused links for the same person and city stop working. Raises
    ValidationError when the person already coordinates the city.
    """
    email = email.strip().lower()
    if CityCoordinator.objects.filter(city=city, user__email__iexact=email).exists():
        raise ValidationError(
            _("%(email)s already coordinates %(city)s.") % {"email": email, "city": city.name},
            code="already_coordinator",
        )
    now = timezone.now()
    CoordinatorInvitation.objects.filter(
        city=city, email__iexact=email, accepted_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
    token = secrets.token_urlsafe(32)
    invitation = CoordinatorInvitation.objects.create(
        city=city,
        email=email,
        name=name.strip(),
        language=recipient_language(language),
        token_hash=invitation_hash(token),
        invited_by=by,
        created_at=now,
        expires_at=now + INVITATION_VALID_FOR,
    )
    with translation.override(invitation.language):
        link = absolute_url(reverse("cities:invitation_accept", kwargs={"token": token}))
    context = {
        "invitation": invitation,
        "link": link,
        "days": INVITATION_VALID_FOR.days,
        "contact_email": settings.CONTACT_EMAIL,
    }
    send_after_commit(
        [_email("invitation", context, to=invitation.email, language=invitation.language)]
    )
    return invitation, token


@transaction.atomic
def invitation_accept(
    *,
    invitation: CoordinatorInvitation,
    user: User | None = None,
    name: str = "",
    password: str | None = None,
) -> User:
    """Use an invitation: link the person to the city as its coordinator.

    Without `user`, a new account is created for the invited e-mail (verified, in the
    invitation's language) with `name` and `password`. With `user`, that existing account
    is linked; it must be the invited e-mail's account (the caller makes sure that person
    is logged in). Raises ValidationError for a used or expired invitation.
    """
    locked = CoordinatorInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.is_used:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if locked.is_expired:
        raise ValidationError(_("This invitation has expired."), code="expired")
    existing = User.objects.filter(email__iexact=locked.email).first()
    if user is None:
        if existing is not None:
            raise ValidationError(
                _("An account with this e-mail address already exists: log in to accept."),
                code="account_exists",
            )
        user = user_create(
            email=locked.email, name=name.strip(), password=password, language=locked.language
        )
    elif existing is None or existing.pk != user.pk:
        raise ValidationError(
            _("This invitation was sent to another e-mail address."), code="other_account"
        )
    CityCoordinator.objects.get_or_create(user=user, city=locked.city)
    locked.accepted_at, locked.user = timezone.now(), user
    locked.save(update_fields=["accepted_at", "user"])
    invitation.accepted_at, invitation.user = locked.accepted_at, user
    log_event("invitation.used", user=user, city=locked.city.slug, invitation=locked.pk)
    return user


# --- Focal point reminders -----------------------------------------------------------------


@dataclass
class ReminderReport:
    """What `focal_points_remind` did: e-mails sent, cities covered, cities nobody coordinates."""

    sent: int = 0
    cities: int = 0
    uncoordinated: list = field(default_factory=list)


def focal_points_remind(*, dry_run: bool = False, once_per: str = "") -> ReminderReport:
    """E-mail each coordinator once, listing their member cities whose contacts are stale.

    A contact is stale when nobody has confirmed it for FOCAL_POINT_STALE_AFTER. Each
    e-mail is in the coordinator's language, queued as a mail task. With `dry_run`, nothing
    is sent; with `once_per` (the periodic run's name), running again sends nobody a second
    e-mail.
    """
    cutoff = timezone.localdate() - FOCAL_POINT_STALE_AFTER
    stale = (
        FocalPoint.objects.filter(last_confirmed_on__lt=cutoff, city__status=City.Status.MEMBER)
        .select_related("city")
        .order_by("city__sort_name", "name")
    )
    by_city: dict[int, tuple[City, list[FocalPoint]]] = {}
    for focal_point in stale:
        by_city.setdefault(focal_point.city_id, (focal_point.city, []))[1].append(focal_point)
    links = CityCoordinator.objects.filter(
        city_id__in=by_city, user__is_active=True
    ).select_related("user")
    by_user: dict[int, tuple[User, list]] = {}
    for link in links:
        by_user.setdefault(link.user_id, (link.user, []))[1].append(by_city[link.city_id])
    covered = {link.city_id for link in links}
    report = ReminderReport(
        cities=len(covered),
        uncoordinated=[city for city_id, (city, _fps) in by_city.items() if city_id not in covered],
    )
    messages = []
    for user, cities in by_user.values():
        language = recipient_language(user.language)
        with translation.override(language):
            entries = [
                {
                    "city": city,
                    "focal_points": focal_points,
                    "edit_url": absolute_url(reverse("cities:edit", kwargs={"slug": city.slug})),
                }
                for city, focal_points in sorted(cities, key=lambda item: item[0].sort_name)
            ]
            dashboard_url = absolute_url(reverse("dashboard"))
        context = {"user": user, "entries": entries, "dashboard_url": dashboard_url}
        messages.append(_email("focal_point_reminder", context, to=user.email, language=language))
    if not dry_run:
        send_after_commit(messages, once_per=once_per)
    report.sent = len(messages)
    return report
