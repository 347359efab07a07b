"""The page of a working group or related thematic unit: its cities and its events."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from cities import queries
from events import queries as event_queries


@require_safe
def group_detail(request, slug):
    group, cities = queries.group_with_cities(slug)
    events = event_queries.events_of_group(group)
    context = {"group": group, "cities": cities, "events": events}
    return render(request, "cities/workinggroup_detail.html", context)
