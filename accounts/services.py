"""Writes about users that span several rows."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction

from .models import SECRETARIAT_GROUP, User


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
