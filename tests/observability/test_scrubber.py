"""Sentry events leave the portal without personal data (core.observability.scrub_event)."""

import json

from core.observability import opaque_user_id, scrub_event


def django_error_event():
    """An event shaped as sentry-sdk's Django integration builds it for a failing POST."""
    return {
        "event_id": "5d1f3e0c9c1a4d0f8d1b6d2c3e4f5a6b",
        "level": "error",
        "platform": "python",
        "server_name": "app-1.internal",
        "transaction": "/practices/<slug:slug>/edit/",
        "message": "Could not notify ana@example.org about Huerta comunitaria",
        "exception": {
            "values": [
                {
                    "type": "SMTPRecipientsRefused",
                    "value": "{'bruno.silva@prefeitura.example.br': (550, b'no such user')}",
                    "stacktrace": {
                        "frames": [
                            {
                                "filename": "experiences/services.py",
                                "function": "practice_submit",
                                "lineno": 120,
                                "vars": {
                                    "recipient": "'bruno.silva@prefeitura.example.br'",
                                    "password": "'hunter2hunter2'",
                                    "title": "'Huerta comunitaria'",
                                },
                            }
                        ]
                    },
                }
            ]
        },
        "request": {
            "url": "https://utds.example.org/accounts/password/reset/key/3-cf1zq4-9b1e6c2d4f5a7b8c9d0e/",
            "method": "POST",
            "query_string": "next=/dashboard/&email=ana@example.org&token=abc123",
            "headers": {
                "Host": "utds.example.org",
                "User-Agent": "Mozilla/5.0",
                "Authorization": "Bearer s3cr3t-token",
                "Cookie": "sessionid=abcdef; csrftoken=123",
                "X-Csrftoken": "123",
                "X-Forwarded-For": "203.0.113.7",
                "Referer": "https://utds.example.org/en/practices/",
            },
            "cookies": {"sessionid": "abcdef"},
            "data": {"title": "Huerta", "email": "ana@example.org", "password": "hunter2hunter2"},
            "env": {"REMOTE_ADDR": "203.0.113.7", "SERVER_NAME": "utds"},
        },
        "user": {
            "id": "42",
            "email": "ana@example.org",
            "username": "ana",
            "ip_address": "1.2.3.4",
        },
        "breadcrumbs": {
            "values": [
                {
                    "category": "utds.security",
                    "message": "login.failed user=anonymous login=ana@example.org ip=203.0.113.7",
                    "level": "info",
                },
                {"category": "query", "message": "SELECT 1", "data": {"session_key": "k"}},
            ]
        },
        "extra": {"sys.argv": ["gunicorn"], "api_key": "xyz"},
        "tags": {"request_id": "4c43d6c95b554242b5c89f941af00e5a"},
    }


def test_scrubbed_event_keeps_no_email_cookie_authorization_body_or_user_detail():
    event = scrub_event(django_error_event(), {})
    text = json.dumps(event)
    for secret in (
        "ana@example.org",
        "bruno.silva@prefeitura.example.br",
        "hunter2",
        "s3cr3t-token",
        "abcdef",
        "203.0.113.7",
        "1.2.3.4",
        "xyz",
        "9b1e6c2d4f5a7b8c9d0e",
        "abc123",
        "app-1.internal",
    ):
        assert secret not in text, secret
    request = event["request"]
    assert "data" not in request and "cookies" not in request and "env" not in request
    assert set(request["headers"]) == {"Host", "User-Agent", "Referer"}
    assert request["url"] == "https://utds.example.org/accounts/password/reset/key/[token]/"
    assert request["query_string"] == "next=/dashboard/&email=[Filtered]&token=[Filtered]"
    assert event["user"] == {"id": opaque_user_id("42")}
    assert event["breadcrumbs"]["values"][1]["data"] == {"session_key": "[Filtered]"}


def test_scrubbed_event_keeps_what_finds_the_bug():
    event = scrub_event(django_error_event(), {})
    assert event["message"] == "Could not notify [email] about Huerta comunitaria"
    frame = event["exception"]["values"][0]["stacktrace"]["frames"][0]
    assert frame["function"] == "practice_submit" and frame["lineno"] == 120
    assert frame["vars"]["title"] == "'Huerta comunitaria'"
    assert frame["vars"]["password"] == "[Filtered]"
    assert event["exception"]["values"][0]["type"] == "SMTPRecipientsRefused"
    assert event["transaction"] == "/practices/<slug:slug>/edit/"
    assert event["tags"] == {"request_id": "4c43d6c95b554242b5c89f941af00e5a"}


def test_opaque_user_id_is_stable_and_not_the_id():
    assert opaque_user_id(42) == opaque_user_id("42")
    assert opaque_user_id(42) != opaque_user_id(43)
    assert opaque_user_id(42) != "42"


def test_event_without_request_or_user_passes_through():
    assert scrub_event({"message": "worker stopped", "level": "warning"}, None) == {
        "message": "worker stopped",
        "level": "warning",
    }
