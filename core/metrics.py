"""Prometheus metrics at /metrics: responses by status, their latency and the task queue's
backlog, for allowed addresses (METRICS_ALLOWED_IPS) or a bearer token (METRICS_TOKEN)."""

import hmac
import ipaddress
import time

from django.conf import settings
from django.db import DatabaseError
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from .observability import task_backlog

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

RESPONSES = Counter(
    "utds_http_responses_total",
    "HTTP responses by request method and status code.",
    ["method", "status"],
)
LATENCY = Histogram(
    "utds_http_request_duration_seconds",
    "Time from the request reaching Django to its response leaving it.",
    ["method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


class MetricsMiddleware:
    """Counts every response by method and status and times it (two label sets, so the number
    of series stays small whatever the URLs requested)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in METHODS else "other"
        LATENCY.labels(method).observe(time.perf_counter() - start)
        RESPONSES.labels(method, str(response.status_code)).inc()
        return response


class TaskBacklogCollector(Collector):
    """The queue read at scrape time: jobs by status and the oldest due job's wait."""

    def collect(self):
        try:
            backlog = task_backlog()
        except DatabaseError:
            backlog = None
        if backlog is None:
            return
        jobs = GaugeMetricFamily("utds_tasks_jobs", "Background jobs by status.", labels=["status"])
        for status in ("todo", "doing", "failed"):
            jobs.add_metric([status], backlog[status])
        yield jobs
        yield GaugeMetricFamily(
            "utds_tasks_oldest_todo_seconds",
            "How long the oldest job that is due has waited for a worker (0 when none waits).",
            value=backlog["oldest_todo_seconds"] or 0,
        )


def client_address(request) -> str | None:
    """The address that asked: behind TRUSTED_PROXY_COUNT proxies, the one the nearest trusted
    proxy saw; None when a request came through a proxy the settings do not declare (so the
    proxy's own loopback address is never taken for the client's)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    count = settings.ALLAUTH_TRUSTED_PROXY_COUNT
    if not forwarded:
        return request.META.get("REMOTE_ADDR")
    if not count:
        return None
    hops = [hop.strip() for hop in forwarded.split(",")]
    return hops[-count] if len(hops) >= count else None


def allowed(request) -> bool:
    """True for a bearer token equal to METRICS_TOKEN or an address in METRICS_ALLOWED_IPS."""
    token = settings.METRICS_TOKEN
    scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token):
        return True
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net) for net in settings.METRICS_ALLOWED_IPS)


@never_cache
@require_safe
def metrics(request):
    """The metrics in Prometheus' text format; 404 to anyone not allowed, so the endpoint
    does not even show that it exists. With PROMETHEUS_MULTIPROC_DIR (several gunicorn
    workers), the figures of every worker are added up."""
    if not allowed(request):
        raise Http404
    scrape = CollectorRegistry(auto_describe=False)
    scrape.register(TaskBacklogCollector())
    if settings.PROMETHEUS_MULTIPROC_DIR:
        workers = CollectorRegistry()
        multiprocess.MultiProcessCollector(workers)
        body = generate_latest(workers)
    else:
        body = generate_latest(REGISTRY)
    return HttpResponse(body + generate_latest(scrape), content_type=CONTENT_TYPE_LATEST)
