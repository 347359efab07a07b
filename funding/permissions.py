"""Who may see funding calls and mark a city's interest in them. Views and templates ask
these functions.

Every call is public; which cities are interested is for members of the network, and who
marked the interest and their notes for the secretariat.
"""

from django.shortcuts import get_object_or_404

from accounts.permissions import is_secretariat
from cities.models import City
from cities.permissions import can_see_contacts, coordinated_city_ids

from .models import FundingCall


def get_visible_funding_call(user, slug) -> FundingCall:
    """The funding call with this slug, or 404 (every call is public)."""
    # the lines of the work plan with their plan: the detail page links each to its review
    return get_object_or_404(
        FundingCall.objects.with_card_data().prefetch_related("lines__plan"), slug=slug
    )


def can_mark_funding_interest(user, city) -> bool:
    """Mark or withdraw a city's interest in a funding call."""
    # the secretariat may act on behalf of any city
    if is_secretariat(user):
        return True
    # a coordinator only for the cities they coordinate
    return city is not None and city.pk in coordinated_city_ids(user)


def funding_interest_cities(user):
    """The cities the user may mark interest for (none for visitors)."""
    # the secretariat sees every city's interest in the admin and on the page, but marks
    # interest from the page only for cities it coordinates itself, to keep the page short
    return City.objects.filter(pk__in=coordinated_city_ids(user)).order_by("sort_name", "pk")


def can_see_interested_cities(user) -> bool:
    """Which cities are interested in a call is for members of the network only."""
    # the secretariat and every coordinator belong to the network
    return can_see_contacts(user)


def can_see_interest_details(user) -> bool:
    """Who marked the interest and their notes: the secretariat's view."""
    return is_secretariat(user)
