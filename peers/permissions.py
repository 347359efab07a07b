"""Who may record transfers, see their contacts and ask a city a question. Views and
template tags ask these functions; nothing else decides."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.permissions import is_secretariat
from cities.models import City
from cities.permissions import can_see_contacts, coordinated_city_ids

from .models import Transfer


def is_member(user) -> bool:
    """Members of the network: the secretariat and every coordinator (sign-up is closed)."""
    return can_see_contacts(user)


def transfer_cities(user, practice):
    """The cities the user may record as having taken `practice`: those they coordinate,
    except the practice's own city (none for a practice that is not published)."""
    if not practice.is_public:
        return City.objects.none()
    # the secretariat records for any city (it often hears of transfers first)
    if is_secretariat(user):
        cities = City.objects.all()
    # a coordinator for the cities they coordinate
    else:
        cities = City.objects.filter(pk__in=coordinated_city_ids(user))
    return cities.exclude(pk=practice.city_id).order_by("name")


def can_record_transfer(user, practice) -> bool:
    """Record that a city adopted or adapted this published practice (no query)."""
    if not practice.is_public:
        return False
    # the secretariat records for any other city
    if is_secretariat(user):
        return True
    # a coordinator of a city other than the practice's own
    return bool(coordinated_city_ids(user) - {practice.city_id})


def can_edit_transfer(user, transfer) -> bool:
    """Change or publish a transfer."""
    # the secretariat may edit every transfer
    if is_secretariat(user):
        return True
    # a coordinator edits the transfers of the cities they coordinate
    return transfer.city_id in coordinated_city_ids(user)


def can_see_transfer_contact(user) -> bool:
    """A transfer's contact is for members of the network only, like focal points."""
    return is_member(user)


def get_visible_transfer(user, pk) -> Transfer:
    """The transfer with this id, or 404 whether it is missing or a draft the user may not
    see."""
    return get_object_or_404(Transfer.objects.visible_to(user).with_card_data(), pk=pk)


def get_editable_transfer(user, pk) -> Transfer:
    """The visible transfer if the user may edit it; 404 when unseen, 403 otherwise."""
    transfer = get_visible_transfer(user, pk)
    if not can_edit_transfer(user, transfer):
        raise PermissionDenied
    return transfer


def can_ask_city(user, practice) -> bool:
    """Write to a published practice's city: members of the network, except the city's own
    coordinators (they would write to themselves)."""
    if not practice.is_public or not is_member(user):
        return False
    # the secretariat writes to any city
    if is_secretariat(user):
        return True
    return practice.city_id not in coordinated_city_ids(user)


def joint_bid_cities(user, call):
    """The cities interested in `call` on whose behalf the user may write to the other
    interested cities: those they coordinate."""
    return City.objects.filter(
        funding_interests__call=call, pk__in=coordinated_city_ids(user)
    ).order_by("name")


def can_ask_interested_cities(user, interested_city_ids) -> bool:
    """Write to the other cities interested in a funding call: a coordinator of one of the
    interested cities (the joint bid is prepared among them)."""
    return bool(coordinated_city_ids(user) & set(interested_city_ids))
