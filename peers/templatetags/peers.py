"""The peers panels other pages include with one tag. Each tag reads through peers.queries
(a fixed number of queries) and asks peers.permissions what the reader may do; the
templates only present."""

from django import template

from cities.permissions import coordinated_city_ids

from .. import following, permissions, queries

register = template.Library()


# Cities of a coordinator whose suggestions the dashboard shows; the page stays short and
# its cost fixed.
DASHBOARD_CITIES = 1


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("peers/_city_panel.html", takes_context=True)
def peers_city_panel(context, city, city_problems=None):
    """The city profile's panel: practices of comparable cities for its urgent problems,
    what it adopted and what others adopted from it (two queries when the page passes the
    city's latest problems, which it has read already)."""
    user = _user(context)
    return {
        "city": city,
        "problems": queries.suggestions_for_city(city, city_problems=city_problems),
        **queries.transfers_of_city(user, city),
    }


@register.inclusion_tag("peers/_dashboard_panel.html", takes_context=True)
def peers_dashboard_panel(context, cities):
    """The coordinator's dashboard: suggestions for her first city (two queries, however
    many cities she coordinates); her other cities link to their profiles, which carry
    their own panel."""
    cities = list(cities)
    shown, others = cities[:DASHBOARD_CITIES], cities[DASHBOARD_CITIES:]
    return {
        "panels": [(city, queries.suggestions_for_city(city)) for city in shown],
        "other_cities": others,
    }


@register.inclusion_tag("peers/_practice_panel.html", takes_context=True)
def peers_practice_panel(context, practice):
    """The practice page: "adapted in N cities" with links, and what the reader may do."""
    user = _user(context)
    if not practice.is_public:
        return {"practice": practice, "transfers": []}
    return {
        "practice": practice,
        "transfers": queries.published_transfers_of(practice),
        "can_ask": permissions.can_ask_city(user, practice),
        "can_record": permissions.can_record_transfer(user, practice),
        "signed_in": bool(getattr(user, "is_authenticated", False)),
    }


@register.inclusion_tag("peers/_funding_panel.html", takes_context=True)
def peers_funding_panel(context, call):
    """The funding call page: a link for an interested city to write to the others."""
    user = _user(context)
    can_write = (
        bool(coordinated_city_ids(user)) and permissions.joint_bid_cities(user, call).exists()
    )
    return {"call": call, "can_write": can_write}


@register.inclusion_tag("peers/_profile_follows.html", takes_context=True)
def peers_profile_follows(context):
    """The profile page: what the member follows with her account's address (one query)."""
    user = _user(context)
    return {"subscriber": following.subscriber_of(user)}
