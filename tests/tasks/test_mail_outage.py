"""A mail server that is down while people work: every change is saved and answered
normally, and once the server is back the worker sends every e-mail exactly once."""

import pytest
from django.core.mail import EmailMessage
from django.db import transaction

from cities.models import CoordinatorInvitation
from core.mail import send_after_commit
from events.tasks import announce_registration_open
from experiences.models import Practice
from tests.events.conftest import make_summit

from .conftest import jobs, run_worker, work_until_done

pytestmark = pytest.mark.django_db(transaction=True)

MAIL = "core.tasks.send_mail"
ANNOUNCE = "events.tasks.announce_registration_open"


def delivered(mail_server) -> list[str]:
    return sorted(address for message in mail_server.outbox for address in message.to)


def test_submitting_with_the_mail_server_down_saves_and_mails_the_secretariat_once(
    mail_server, ana_client, draft, sofia
):
    mail_server.down(3)
    response = ana_client.post(f"/en/practices/{draft.slug}/submit/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Practice.Status.IN_REVIEW
    assert mail_server.outbox == []  # nothing is sent inside the request
    run_worker()
    assert mail_server.outbox == []  # the server refused it: the job waits for a retry
    assert [(job["status"], job["attempts"]) for job in jobs(MAIL)] == [("todo", 1)]
    work_until_done()
    assert delivered(mail_server) == [sofia.email]
    assert mail_server.tries() == 4  # three refusals, one delivery


def test_publishing_with_the_mail_server_down_saves_and_mails_each_person_once(
    mail_server, sofia_client, sofia, ana, draft
):
    Practice.objects.filter(pk=draft.pk).update(status=Practice.Status.IN_REVIEW)
    mail_server.down(5)
    response = sofia_client.post(f"/en/practices/{draft.slug}/publish/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Practice.Status.PUBLISHED
    work_until_done()
    assert delivered(mail_server) == sorted([sofia.email, ana.email])
    assert {job["status"] for job in jobs(MAIL)} == {"succeeded"}


def test_sending_back_with_the_mail_server_down_keeps_the_comment_and_mails_the_author(
    mail_server, sofia_client, ana, draft
):
    Practice.objects.filter(pk=draft.pk).update(status=Practice.Status.IN_REVIEW)
    mail_server.down(2)
    response = sofia_client.post(
        f"/en/practices/{draft.slug}/request-changes/", {"comment": "Faltan datos."}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.review_comment) == (Practice.Status.DRAFT, "Faltan datos.")
    work_until_done()
    assert delivered(mail_server) == [ana.email]
    assert "Faltan datos." in mail_server.outbox[0].body


def test_opening_registration_is_one_task_that_queues_one_mail_per_coordinator(
    mail_server, sofia_client, ana, bruno
):
    event = make_summit(registration_open=False)
    mail_server.down(1)
    response = sofia_client.post(
        "/en/admin/events/event/",
        {"action": "open_registration_and_notify", "_selected_action": [event.pk]},
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.registration_open and event.notified_at is not None
    # The request queued one job; it writes the e-mails, one job each.
    assert [job["task_name"] for job in jobs()] == [ANNOUNCE]
    work_until_done()
    assert delivered(mail_server) == sorted([ana.email, bruno.email])
    assert len(jobs(MAIL)) == 2
    assert {job["status"] for job in jobs(MAIL)} == {"succeeded"}


def test_a_second_run_of_the_announcement_sends_nobody_a_second_mail(
    mail_server, sofia_client, ana, bruno
):
    event = make_summit(registration_open=False)
    sofia_client.post(
        "/en/admin/events/event/",
        {"action": "open_registration_and_notify", "_selected_action": [event.pk]},
    )
    work_until_done()
    # As if the worker had died after queueing the e-mails, before marking its job done.
    (announce,) = jobs(ANNOUNCE)
    announce_registration_open(**announce["args"])
    work_until_done()
    assert delivered(mail_server) == sorted([ana.email, bruno.email])
    assert len(jobs(MAIL)) == 2  # the second run found every e-mail queued already


def test_inviting_with_the_mail_server_down_saves_the_invitation_and_mails_it_once(
    mail_server, sofia_client, city_a
):
    mail_server.down(4)
    response = sofia_client.post(
        f"/en/admin/cities/city/{city_a.pk}/invite/",
        {"email": "carla@quilmes.example", "name": "Carla", "language": "pt-br"},
    )
    assert response.status_code == 302
    assert CoordinatorInvitation.objects.get().email == "carla@quilmes.example"
    work_until_done()
    assert delivered(mail_server) == ["carla@quilmes.example"]
    assert "/pt-br/cities/invitation/" in mail_server.outbox[0].body


def test_a_write_that_rolls_back_queues_no_mail(mail_server):
    message = EmailMessage(subject="Hola", body="Un aviso.", to=["x@example.org"])
    with pytest.raises(RuntimeError), transaction.atomic():
        send_after_commit([message])
        assert len(jobs()) == 1  # inside the transaction, the job exists…
        raise RuntimeError("the write fails")
    assert jobs() == []  # …and goes with it
    run_worker()
    assert mail_server.outbox == []
