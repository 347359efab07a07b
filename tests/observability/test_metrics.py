"""/metrics answers Prometheus' text only to allowed addresses or the token, 404 to others."""

import pytest
from prometheus_client import REGISTRY

from tests.http import assert_shows

TOKEN = "t" * 40
# Series a scrape shows after one 404: the HTTP counters and the task queue's gauges.
SERIES = (
    'utds_http_responses_total{method="GET",status="404"}',
    "utds_http_request_duration_seconds_bucket",
    'utds_tasks_jobs{status="todo"}',
    "utds_tasks_oldest_todo_seconds",
)


@pytest.fixture(autouse=True)
def _metrics_settings(settings):
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1/32", "::1/128", "10.1.0.0/16"]
    settings.METRICS_TOKEN = TOKEN
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0


def test_loopback_gets_the_metrics_in_prometheus_text(visitor, db):
    visitor.get("/en/no-such-page/")
    response = visitor.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert_shows(response.content.decode(), *SERIES)


def test_an_address_in_an_allowed_network_gets_the_metrics(visitor, db):
    assert visitor.get("/metrics", REMOTE_ADDR="10.1.4.2").status_code == 200


@pytest.mark.parametrize("address", ["203.0.113.9", "10.2.0.1", "2001:db8::1"])
def test_other_addresses_get_404(visitor, db, address):
    response = visitor.get("/metrics", REMOTE_ADDR=address)
    assert response.status_code == 404
    assert b"utds_http" not in response.content


def test_the_token_opens_the_metrics_from_anywhere(visitor, db):
    response = visitor.get(
        "/metrics", REMOTE_ADDR="203.0.113.9", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 200
    assert b"utds_http_responses_total" in response.content


@pytest.mark.parametrize("header", [f"Bearer {TOKEN}x", "Bearer ", f"Basic {TOKEN}", TOKEN])
def test_a_wrong_token_gets_404(visitor, db, header):
    response = visitor.get("/metrics", REMOTE_ADDR="203.0.113.9", headers={"Authorization": header})
    assert response.status_code == 404


def test_without_a_configured_token_no_bearer_opens_it(visitor, db, settings):
    settings.METRICS_TOKEN = ""
    response = visitor.get(
        "/metrics", REMOTE_ADDR="203.0.113.9", headers={"Authorization": "Bearer "}
    )
    assert response.status_code == 404


def test_a_request_relayed_by_an_undeclared_local_proxy_is_not_taken_for_loopback(visitor, db):
    # nginx on the same machine connects from 127.0.0.1 and names the real client
    response = visitor.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.status_code == 404


def test_behind_a_declared_proxy_the_client_it_saw_decides(visitor, db, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # the client wrote "127.0.0.1" itself; the proxy appended the address it saw
    forged = visitor.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1, 203.0.113.9"})
    assert forged.status_code == 404
    inside = visitor.get("/metrics", headers={"X-Forwarded-For": "10.1.0.7"})
    assert inside.status_code == 200


def test_only_get_and_head(visitor, db):
    assert visitor.post("/metrics").status_code == 405


def test_every_response_is_counted_by_method_and_status(visitor, db):
    labels = {"method": "GET", "status": "404"}
    before = REGISTRY.get_sample_value("utds_http_responses_total", labels) or 0
    visitor.get("/en/no-such-page/")
    visitor.get("/en/no-such-page/")
    assert REGISTRY.get_sample_value("utds_http_responses_total", labels) == before + 2


def test_an_unknown_method_does_not_make_a_new_series(visitor, db):
    visitor.generic("BREW", "/healthz")
    assert REGISTRY.get_sample_value(
        "utds_http_responses_total", {"method": "other", "status": "405"}
    )
    assert (
        REGISTRY.get_sample_value("utds_http_responses_total", {"method": "BREW", "status": "405"})
        is None
    )
