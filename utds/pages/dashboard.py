"""The logged-in home: a coordinator's cities and stale contacts; the secretariat's panel.

Reads cities.models querysets directly (cities.queries belongs to the directory pages).
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.permissions import is_secretariat
from cities.models import FOCAL_POINT_STALE_AFTER, City, FocalPoint, MembershipApplication


def stale_cutoff():
    """Focal points last confirmed before this date need confirmation."""
    return timezone.localdate() - FOCAL_POINT_STALE_AFTER


def coordinator_panel(user) -> dict:
    """The cities the user coordinates and their contacts that need confirmation (2 queries)."""
    cities = list(City.objects.coordinated_by(user).order_by("name"))
    stale = FocalPoint.objects.filter(city__in=cities, last_confirmed_on__lt=stale_cutoff())
    return {
        "cities": cities,
        "stale_focal_points": list(stale.select_related("city").order_by("city__name", "name")),
    }


def participation_panel() -> dict:
    """The secretariat's key figures (2 queries)."""
    members = City.objects.members().aggregate(
        total=Count("id", distinct=True),
        coordinated=Count("id", filter=Q(coordinators__isnull=False), distinct=True),
        stale=Count(
            "id", filter=Q(focal_points__last_confirmed_on__lt=stale_cutoff()), distinct=True
        ),
    )
    pending = MembershipApplication.objects.filter(status__in=MembershipApplication.PENDING).count()
    return {**members, "pending_applications": pending}


@login_required
@require_GET
def dashboard(request):
    """Coordinator home; the secretariat also sees the network's participation."""
    context = coordinator_panel(request.user)
    if is_secretariat(request.user):
        context["participation"] = participation_panel()
    return render(request, "pages/dashboard.html", context)
