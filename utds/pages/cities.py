"""The city directory and the city profile, composed from the cities, mapping, practices
and events queries."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cities import queries
from cities.filters import CityFilter
from cities.permissions import can_edit_city, can_see_contacts, get_visible_city
from core.numbers import page_number
from events import queries as event_queries
from experiences import queries as practice_queries
from mapping import queries as mapping_queries
from mapping.permissions import can_edit_city_data

CITIES_PER_PAGE = 24
PRACTICES_ON_PROFILE = 6  # the latest; a link leads to the practices list filtered by city


@require_safe
def directory(request):
    queryset = queries.directory_cities(request.user)
    filterset = CityFilter(request.GET, queryset=queryset, request=request)
    cities = list(filterset.qs)  # one query: the map shows every match, the table one page
    page = Paginator(cities, CITIES_PER_PAGE).get_page(page_number(request.GET))
    counts = practice_queries.published_count_by_city([city.pk for city in page.object_list])
    for city in page.object_list:
        city.practice_count = counts.get(city.pk, 0)
    context = {
        "filter": filterset,
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "map_data": map_data(cities),
        "unmapped_count": sum(not city.has_coordinates for city in cities),
        # the role column reads the roles covering today; when none does, the page says so
        "coordination": queries.coordination_in(),
    }
    return render(request, "cities/city_list.html", context)


@require_safe
def profile(request, slug):
    city = get_visible_city(request.user, slug)
    show_contacts = can_see_contacts(request.user)
    extra = {"social_problem_rows": mapping_queries.social_profile_rows()}
    profile = queries.city_profile(city, with_contacts=show_contacts, extra=extra)
    rows = profile.extra["social_problem_rows"]
    social_profile = mapping_queries.social_profile_from_rows(city, rows)
    problem_ids = [item.problem.pk for item in social_profile.problems]
    context = {
        "city": city,
        "profile": profile,
        "can_see_contacts": show_contacts,
        "can_edit": can_edit_city(request.user, city),
        "sections": _profile_sections(city),
        "social_profile": social_profile,
        "practices_by_problem": practice_queries.published_for_problems(problem_ids),
        "indicator_series": mapping_queries.indicator_series(city),
        "can_edit_data": can_edit_city_data(request.user, city),
    }
    return render(request, "cities/city_detail.html", context)


def map_data(cities) -> dict:
    """Markers for static/js/city-map.js, read from a json_script element."""
    # One reverse() for all: the directory's map may hold every member city.
    url_template = reverse("cities:detail", kwargs={"slug": "city-slug"})
    markers = [
        {
            "name": city.name,
            "url": url_template.replace("city-slug", city.slug),
            "lat": float(city.latitude),
            "lon": float(city.longitude),
        }
        for city in cities
        if city.has_coordinates
    ]
    labels = {"zoomIn": _("Zoom in"), "zoomOut": _("Zoom out")}
    return {"markers": markers, "labels": labels}


def _profile_sections(city) -> list[dict]:
    """The profile's sections from other apps ({"template", "title", "context"}), each only
    when it has something to show for this city."""
    sections = []
    practices = list(practice_queries.published_for_city(city)[: PRACTICES_ON_PROFILE + 1])
    if practices:
        sections.append(
            {
                "template": "cities/_city_practices_section.html",
                "title": _("Published practices"),
                "context": {
                    "practices": practices[:PRACTICES_ON_PROFILE],
                    "city": city,
                    "more": len(practices) > PRACTICES_ON_PROFILE,
                },
            }
        )
    participation = event_queries.attended_by_city(city)
    if participation:
        sections.append(
            {
                "template": "events/_city_events_section.html",
                "title": _("Participation in the unit's events"),
                "context": {"participation": participation},
            }
        )
    return sections
