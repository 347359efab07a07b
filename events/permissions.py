"""Who may see or change what about events. Views and templates ask these functions."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.permissions import is_secretariat
from cities.models import City
from cities.permissions import coordinated_city_ids, coordinates_city

from .models import Event, EventDocument, Registration


def can_register_city(user, city) -> bool:
    """Register, change or withdraw this city's participation in events."""
    # the secretariat may act for any member city
    if is_secretariat(user):
        return city.status == City.Status.MEMBER
    # a coordinator registers the cities they coordinate, and only those
    return coordinates_city(user, city)


def may_register(user) -> bool:
    """True when the user has at least one city they could register (shows the form)."""
    # the secretariat registers for any member city
    if is_secretariat(user):
        return True
    # a coordinator needs a city to register
    return bool(coordinated_city_ids(user))


def registrable_cities(user):
    """The cities the user may register, by name."""
    if is_secretariat(user):
        return City.objects.members().order_by("sort_name", "pk")
    return City.objects.filter(pk__in=coordinated_city_ids(user)).order_by("sort_name", "pk")


def can_see_registrations(user, event=None) -> bool:
    """The full list of registrations, with delegates' names and e-mails."""
    # only the secretariat: delegates' personal data is seen by nobody else
    return is_secretariat(user)


def can_see_participation(user) -> bool:
    """The participation dashboard (cities by events attended)."""
    return is_secretariat(user)


def can_correct_attendance(user) -> bool:
    """Mark a city as attended or not after an event (overrides the registration)."""
    # only the secretariat knows who was in the room
    return is_secretariat(user)


def get_visible_event(user, slug, queryset=None) -> Event:
    """The event with this slug, or 404."""
    base = queryset if queryset is not None else Event.objects.all()
    return get_object_or_404(base.visible_to(user), slug=slug)


def get_visible_document(user, slug, pk) -> EventDocument:
    """A document of a visible event, or 404 (documents are as public as their event)."""
    event = get_visible_event(user, slug)
    return get_object_or_404(EventDocument.objects.select_related("event"), event=event, pk=pk)


def get_city_for_registration(user, city) -> City:
    """The city itself when the user may register it; 403 otherwise."""
    if not can_register_city(user, city):
        raise PermissionDenied
    return city


def find_editable_registration(user, event, city_slug) -> Registration | None:
    """The registration of `city_slug` for `event` with its delegates, None when there is
    none; 403 when the user may not act for that city."""
    registration = (
        Registration.objects.with_delegates().filter(event=event, city__slug=city_slug).first()
    )
    if registration is not None:
        get_city_for_registration(user, registration.city)
        registration.event = event
    return registration


def get_editable_registration(user, event, city_slug) -> Registration:
    """The registration of `city_slug` for `event`: 404 when missing, 403 when the user may
    not act for that city."""
    registration = find_editable_registration(user, event, city_slug)
    if registration is None:
        raise Http404
    return registration


def own_registrations(user, event):
    """The registrations of the cities the user may register (their own), with delegates."""
    if not getattr(user, "is_authenticated", False):
        return Registration.objects.none()
    queryset = Registration.objects.filter(event=event).with_delegates().order_by("city__sort_name")
    if is_secretariat(user):
        return queryset
    return queryset.for_cities(coordinated_city_ids(user))
