"""Every request has an id: the proxy's when it is a sane token, else a new one; it goes back in
the response and onto every log line of the request, in text or JSON."""

import io
import json
import logging
import re

import pytest

from core.observability import JsonFormatter, RequestIdFilter

NEW_ID = re.compile(r"[0-9a-f]{32}")


def test_a_sane_proxy_id_is_echoed(visitor, db):
    response = visitor.get("/healthz", headers={"X-Request-ID": "nginx-7f3a9c1e2b4d6f80"})
    assert response["X-Request-ID"] == "nginx-7f3a9c1e2b4d6f80"


def test_without_a_proxy_id_one_is_made_for_each_request(visitor, db):
    first = visitor.get("/healthz")["X-Request-ID"]
    second = visitor.get("/healthz")["X-Request-ID"]
    assert NEW_ID.fullmatch(first) and NEW_ID.fullmatch(second)
    assert first != second


@pytest.mark.parametrize(
    "bad",
    ["", "short", "id with spaces 1234", "<script>alert(1)</script>", "x" * 129, "ñandú-12345678"],
)
def test_an_unsafe_proxy_id_is_replaced(visitor, db, bad):
    response = visitor.get("/healthz", headers={"X-Request-ID": bad})
    assert NEW_ID.fullmatch(response["X-Request-ID"])


@pytest.fixture
def json_log():
    """What the stderr handler writes with LOG_FORMAT=json, for the records of django.request."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def test_a_json_log_line_carries_the_request_id(visitor, db, json_log):
    response = visitor.get("/en/no-such-page/", headers={"X-Request-ID": "req-0123456789abcdef"})
    assert response.status_code == 404
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert len(lines) == 1
    entry = lines[0]
    assert entry["request_id"] == "req-0123456789abcdef"
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "django.request"
    assert entry["message"] == "Not Found: /en/no-such-page/"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", entry["time"])
    assert set(entry) == {"time", "level", "logger", "message", "request_id", "process"}


def test_a_json_log_line_outside_a_request_has_no_id_and_carries_the_traceback(json_log):
    try:
        raise ValueError('wrong "quoted" value\nover two lines')
    except ValueError:
        logging.getLogger("django.request").exception("failed")
    (line,) = json_log.getvalue().splitlines()
    entry = json.loads(line)
    assert entry["request_id"] == "-"
    assert entry["exception"].startswith("Traceback")
    assert 'ValueError: wrong "quoted" value\nover two lines' in entry["exception"]


def test_the_configured_handler_adds_the_request_id_to_text_lines():
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "stderr")
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    assert handler.filter(record)
    assert handler.format(record).endswith(" - hello")
