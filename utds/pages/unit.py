"""The unit's own pages that combine several apps: what the unit is (its coordination from
the cities' roles, the work plan and its lines, the working groups) and the welcome page
for new member cities (onboarding documents, the next trainings, the first steps)."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from cities import queries as city_queries
from cities.models import WorkingGroup
from events import queries as event_queries
from unit import queries as unit_queries
from unit.permissions import can_read_document, is_member


@require_safe
def about(request):
    """A fixed number of queries whatever the number of cities, lines or groups."""
    plan = unit_queries.current_plan()
    review_years = plan.review_years() if plan else []
    groups = city_queries.unit_groups()
    context = {
        "coordination": city_queries.coordination_in(),
        "plan": plan,
        "review_year": review_years[0] if review_years else None,
        "can_read_plan_document": bool(
            plan and plan.document and can_read_document(request.user, plan.document)
        ),
        "working_groups": [
            group for group in groups if group.kind == WorkingGroup.Kind.WORKING_GROUP
        ],
        "related_units": [
            group for group in groups if group.kind == WorkingGroup.Kind.RELATED_UNIT
        ],
    }
    return render(request, "unit/about.html", context)


@require_safe
def new_members(request):
    """Members-only onboarding documents are listed to members only (unit.permissions)."""
    context = {
        "documents": list(unit_queries.documents_for_new_members(request.user)),
        "trainings": event_queries.upcoming_trainings(5),
        "is_member": is_member(request.user),
    }
    return render(request, "unit/new_members.html", context)
