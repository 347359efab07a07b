"""Without Sentry, Django's error reports reach ADMINS as queued mail tasks."""

import logging

from django.test import RequestFactory


def test_a_server_error_is_mailed_to_the_admins_through_the_queue(db, settings, mailoutbox):
    settings.ADMINS = [("Ops", "ops@example.org"), ("", "noc@example.org")]
    request = RequestFactory().get("/en/practices/")
    logging.getLogger("django.request").error(
        "Internal Server Error: %s",
        request.path,
        extra={"status_code": 500, "request": request},
    )
    (mail,) = mailoutbox
    assert mail.to == ["ops@example.org", "noc@example.org"]
    assert mail.subject.startswith(f"{settings.EMAIL_SUBJECT_PREFIX}ERROR")
    assert "Internal Server Error: /en/practices/" in mail.subject
    assert mail.from_email == settings.SERVER_EMAIL


def test_without_admins_nothing_is_queued(db, settings, mailoutbox):
    settings.ADMINS = []
    logging.getLogger("django.request").error("Internal Server Error: /")
    assert mailoutbox == []


def test_warnings_are_not_mailed(db, settings, mailoutbox):
    settings.ADMINS = [("Ops", "ops@example.org")]
    logging.getLogger("django.request").warning("Not Found: /x")
    assert mailoutbox == []
