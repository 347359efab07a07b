"""Who may see or change what about cities. Views and templates ask these functions."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.permissions import is_secretariat, roles

from .models import City


def coordinated_city_ids(user) -> frozenset[int]:
    """Ids of the cities the user coordinates: read with the user's other roles in one query
    per request (accounts.permissions.roles), then cached on the user."""
    return roles(user).coordinated_city_ids


def is_coordinator(user) -> bool:
    """True for an active user who coordinates at least one city."""
    return bool(coordinated_city_ids(user))


def coordinates_city(user, city) -> bool:
    """True when the user is linked to this city as its coordinator."""
    return city.pk in coordinated_city_ids(user)


def can_see_contacts(user) -> bool:
    """Focal points' names, e-mails and phones are for members of the network only."""
    # the secretariat runs the network
    if is_secretariat(user):
        return True
    # any coordinator of a member city belongs to the contact network
    return is_coordinator(user)


def can_edit_city(user, city) -> bool:
    """Summary, website and focal points of a city."""
    # the secretariat may edit every city
    if is_secretariat(user):
        return True
    # a coordinator edits the cities they coordinate, and only those
    return coordinates_city(user, city)


def get_visible_city(user, slug) -> City:
    """The city with this slug, or 404."""
    return get_object_or_404(City.objects.visible_to(user), slug=slug)


def get_editable_city(user, slug) -> City:
    """The city with this slug if the user may edit it; 404 when missing, 403 otherwise."""
    city = get_visible_city(user, slug)
    if not can_edit_city(user, city):
        raise PermissionDenied
    return city
