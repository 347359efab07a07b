"""Who may see or change the mapping data. Views, templates and commands ask these functions.

Everything published by the mapping app (problems, indicators, values) is public; changing a
city's data is for its coordinators and for the secretariat.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.permissions import is_secretariat
from cities.models import City
from cities.permissions import coordinates_city, get_visible_city, is_coordinator

from .models import CityProblem, IndicatorValue


def can_edit_city_data(user, city) -> bool:
    """Problems and indicator values of a city."""
    # the secretariat keeps every city's data
    if is_secretariat(user):
        return True
    # a coordinator keeps the data of the cities they coordinate, and only those
    return coordinates_city(user, city)


def can_import(user) -> bool:
    """Whether the user may open the CSV import at all (rows are checked city by city)."""
    # the secretariat imports for any city
    if is_secretariat(user):
        return True
    # a coordinator imports for their own cities
    return is_coordinator(user)


def importable_city_ids(user) -> frozenset[int] | None:
    """Ids of the cities whose values the user may import; None means every city.

    One query for a coordinator; `None` for the secretariat. Anyone else gets an empty set.
    """
    # the secretariat imports for any city
    if is_secretariat(user):
        return None
    # an anonymous or deactivated account imports for none
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    # a coordinator imports for the cities they coordinate
    return frozenset(City.objects.coordinated_by(user).values_list("pk", flat=True))


def get_editable_city(user, slug) -> City:
    """The city whose data the user may edit: 404 when missing, 403 when only readable."""
    city = get_visible_city(user, slug)
    if not can_edit_city_data(user, city):
        raise PermissionDenied
    return city


def get_editable_value(user, slug, pk) -> IndicatorValue:
    """A value of the city the user may edit: 404 when missing or of another city, 403 when
    the city is only readable."""
    city = get_editable_city(user, slug)
    return get_object_or_404(IndicatorValue.objects.select_related("indicator"), city=city, pk=pk)


def get_editable_problem(user, slug, pk) -> CityProblem:
    """A problem entry of the city the user may edit, like `get_editable_value`."""
    city = get_editable_city(user, slug)
    return get_object_or_404(CityProblem.objects.select_related("problem"), city=city, pk=pk)
