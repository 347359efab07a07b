"""Who may do what with accounts. Every rule about users lives here."""

from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Exists, OuterRef, Q

from .models import SECRETARIAT_GROUP


class Roles(NamedTuple):
    is_secretariat: bool
    coordinated_city_ids: frozenset[int]


NO_ROLES = Roles(False, frozenset())


def roles(user) -> Roles:
    """Whether the user belongs to the secretariat's group and which cities they coordinate.

    Costs one query the first time per request object (nearly every page of a logged-in
    user asks both, so both are read together); the answer is cached on the user. The
    cities come through the reverse relation `coordinated_cities` of
    cities.CityCoordinator.user, so this module imports no other app.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_ROLES
    cached = getattr(user, "_roles", None)
    if cached is None:
        in_group, city_ids = (
            user.__class__._default_manager.filter(pk=user.pk)  # request.user may be lazy
            .annotate(
                in_group=Exists(Group.objects.filter(user=OuterRef("pk"), name=SECRETARIAT_GROUP)),
                city_ids=ArrayAgg(
                    "coordinated_cities__city_id", filter=Q(coordinated_cities__isnull=False)
                ),
            )
            .values_list("in_group", "city_ids")
            .get()
        )
        cached = Roles(bool(in_group), frozenset(city_ids or ()))
        user._roles = cached
    return cached


def is_secretariat(user) -> bool:
    """True for active members of the secretariat (group or superuser).

    Costs one query the first time per request object (see roles()); the answer is cached
    on the user.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    # a superuser is the secretariat of last resort (created by createsuperuser)
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_secretariat", None)
    if cached is None:
        cached = roles(user).is_secretariat
        user._is_secretariat = cached
    return cached


def can_use_admin(user) -> bool:
    """The admin is the secretariat's tool: only its members enter."""
    return is_secretariat(user)


def mfa_required(user) -> bool:
    """Whether the user must log in with two-factor authentication (settings.MFA_REQUIRED:
    "all" accounts, only the "secretariat", or "none")."""

    if not getattr(user, "is_authenticated", False):
        return False
    mode = settings.MFA_REQUIRED
    if mode == "all":
        return True
    if mode == "secretariat":
        return is_secretariat(user)
    return False
