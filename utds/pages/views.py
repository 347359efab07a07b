"""The portal's own pages: home, privacy notice, feeds index, health check, robots.txt
and the error pages."""

import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.security import log_event
from cities.models import City
from core.observability import task_backlog
from events.queries import upcoming_events
from events.services import delegate_retention_days
from experiences import queries as practice_queries
from funding import queries as funding_queries
from unit import queries as unit_queries
from utds import figures
from utds.pages.cities import map_data

logger = logging.getLogger(__name__)


@require_safe
def home(request):
    """What the unit is, live key figures, practices, events, funding calls and the map; a
    fixed number of queries whatever the number of cities or practices."""
    members = list(City.objects.members().only("name", "slug", "country", "latitude", "longitude"))
    practices = practice_queries.home_practices(featured_limit=3, latest_limit=6)
    events = upcoming_events(3)
    context = {
        # the key figures are utds.figures' reading of what the page loads anyway
        "figures": figures.headline(members, practices["count"], events),
        "featured": practices["featured"],
        "latest": practices["latest"],
        "events": events,
        "funding_calls": funding_queries.open_funding_calls(3),
        # title, date and summary only: the lines' prefetch is dropped to stay at one query
        "news": list(unit_queries.latest_news(3).prefetch_related(None)),
        "map_data": map_data(members),
    }
    return render(request, "pages/home.html", context)


@require_safe
def privacy(request):
    """What personal data the portal keeps, why, who sees it, and how to exercise rights."""
    # the delegates' retention is the purge's own setting, so the notice cannot drift from it
    context = {"delegate_retention_days": delegate_retention_days()}
    return render(request, "pages/privacy.html", context)


@never_cache
@require_safe
def healthz(request):
    """Liveness and database reachability for load balancers and monitors: one `SELECT 1`.
    With `?full=1`, also the cache and the task queue's backlog: "degraded", with the
    reasons, when either is unwell; the status code still follows the database alone."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("health check: database unavailable", exc_info=True)
        response = JsonResponse({"status": "error", "database": "unavailable"}, status=503)
        # Load balancers and monitors may try again shortly: a restart takes seconds.
        response["Retry-After"] = "5"
        return response
    if request.GET.get("full") != "1":
        return JsonResponse({"status": "ok", "database": "ok"})
    report = {"status": "ok", "database": "ok", "cache": health_cache(), **health_tasks()}
    reasons = report.pop("reasons")
    if report["cache"] != "ok":
        reasons.insert(0, "the cache does not answer")
    if reasons:
        report.update(status="degraded", reasons=reasons)
    return JsonResponse(report)


def health_cache() -> str:
    """ "ok" when a value written to the default cache reads back."""
    token = secrets.token_hex(8)
    try:
        cache.set("healthz", token, 30)
        return "ok" if cache.get("healthz") == token else "unavailable"
    except Exception:  # Redis raises its own errors, not Django's
        logger.warning("health check: cache unavailable", exc_info=True)
        return "unavailable"


def health_tasks() -> dict:
    """The queue's backlog and the reasons it is unwell: a due job waiting longer than
    TASKS_STUCK_SECONDS means no worker takes jobs."""
    try:
        backlog = task_backlog()
    except DatabaseError:
        logger.warning("health check: task queue unreadable", exc_info=True)
        backlog = None
    if backlog is None:
        return {"tasks": "unavailable", "reasons": ["the task queue cannot be read"]}
    reasons = []
    waited = backlog["oldest_todo_seconds"]
    if waited is not None and waited > settings.TASKS_STUCK_SECONDS:
        reasons.append(
            f"the oldest waiting task has waited {round(waited)} s "
            f"(more than {settings.TASKS_STUCK_SECONDS} s): are the workers running?"
        )
    return {"tasks": backlog, "reasons": reasons}


@require_safe
def robots_txt(request):
    private = ["/admin/"] + [
        f"{prefix}/{path}/"
        for prefix in ("", "/pt-br", "/en")
        for path in ("accounts", "dashboard")
    ]
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in private),
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    log_event("permission.denied", request, path=request.path)
    return render(request, "403.html", status=403)


def error_400(request, exception=None):
    return render(request, "400.html", status=400)


def error_500(request):
    return render(request, "500.html", status=500)


@require_safe
def feeds(request):
    """Every feed and open-data export the portal offers, with what each contains."""
    return render(request, "pages/feeds.html")
