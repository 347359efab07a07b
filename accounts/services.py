"""Writes about users that span several rows."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import SECRETARIAT_GROUP, DeletionRequest, User


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
    """Record that the user wants their account and personal data deleted (once)."""
    request, _created = DeletionRequest.objects.get_or_create(user=user, completed_at=None)
    return request


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
