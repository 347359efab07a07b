"""Writes about users that span several rows."""

import logging

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.mail import absolute_url, recipient_language, render_email, send_after_commit

from .models import SECRETARIAT_GROUP, DeletionRequest, User

logger = logging.getLogger(__name__)


@transaction.atomic
def user_create(
    *, email: str, name: str, password: str | None, language: str = "es", secretariat: bool = False
) -> User:
    """Create a user whose e-mail address is already verified (invited or seeded).

    A secretariat member gets staff status and the Secretariat group.
    """
    user = User.objects.create_user(
        email=email, password=password, name=name, language=language, is_staff=secretariat
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if secretariat:
        user.groups.add(Group.objects.get_or_create(name=SECRETARIAT_GROUP)[0])
    return user


@transaction.atomic
def deletion_request_create(*, user: User) -> DeletionRequest:
    """Record that the user wants their account and personal data deleted (once).

    A new request is acknowledged by e-mail to the person and to every member of the
    secretariat (CONTACT_EMAIL when there is none), each in their own language, once saved.
    Asking again while a request is open changes nothing and sends nothing.
    """
    request, created = DeletionRequest.objects.get_or_create(user=user, completed_at=None)
    if created:
        send_after_commit(_deletion_request_emails(request))
    return request


def _deletion_request_emails(request: DeletionRequest) -> list:
    user = request.user
    with translation.override(recipient_language(user.language)):
        profile_url = absolute_url(reverse("account_profile"))
    received = render_email(
        "account/email/deletion_request_received",
        {"user": user, "profile_url": profile_url},
        to=user.email,
        language=user.language,
    )
    return [
        received,
        *emails_to_secretariat("account/email/deletion_request_new", {"user": user}, about=request),
    ]


def emails_to_secretariat(template: str, context: dict, *, about) -> list:
    """One e-mail per active secretariat member, in their language, its context given
    `admin_url`: the admin page of `about` (a saved row). With nobody in the secretariat, one
    e-mail to CONTACT_EMAIL in the site's language, and a warning in the log."""
    recipients = [(member.email, member.language) for member in User.objects.secretariat()]
    if not recipients:
        logger.warning(
            "no active secretariat member; %s %s sent to CONTACT_EMAIL",
            about._meta.model_name,
            about.pk,
        )
        recipients = [(settings.CONTACT_EMAIL, settings.LANGUAGE_CODE)]
    admin_view = f"admin:{about._meta.app_label}_{about._meta.model_name}_change"
    messages = []
    for address, language in recipients:
        with translation.override(recipient_language(language)):
            admin_url = absolute_url(reverse(admin_view, args=[about.pk]))
        messages.append(
            render_email(
                template, {**context, "admin_url": admin_url}, to=address, language=language
            )
        )
    return messages


@transaction.atomic
def deletion_request_cancel(*, user: User) -> bool:
    """Withdraw the user's open deletion request; False when there was none."""
    deleted, _rows = DeletionRequest.objects.filter(user=user, completed_at=None).delete()
    return bool(deleted)


@transaction.atomic
def deletion_request_complete(*, deletion_request: DeletionRequest, by: User) -> None:
    """Delete the person's account; their cities' content stays without an author.

    Foreign keys to the user are SET_NULL on content (practices, registrations, interests,
    history) and CASCADE on what only describes the person (e-mail addresses, two-factor
    devices, coordinator links).
    """
    if deletion_request.completed_at is not None:
        return
    user = deletion_request.user
    if user is not None and user.pk == by.pk:
        raise ValidationError(_("Another member of the secretariat must complete this request."))
    deletion_request.completed_at = timezone.now()
    deletion_request.completed_by = by
    deletion_request.save(update_fields=["completed_at", "completed_by"])
    if user is not None:
        user.delete()
