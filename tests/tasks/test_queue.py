"""The queue itself: backoff, failed e-mails in the secretariat's admin and their retry,
a mail never sent twice when its worker dies, and periodic tasks deferred once."""

import asyncio
import datetime

import pytest
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection
from django.utils import timezone
from procrastinate import periodic
from procrastinate.contrib.django import app

from cities.models import FocalPoint
from cities.tasks import remind_focal_points
from core.mail import send_after_commit
from core.models import OutgoingMail
from core.tasks import retry_stalled_jobs, send_mail
from tests.factories import FocalPointFactory

from .conftest import in_a_thread_of_its_own, jobs, run_worker, time_passes, work_until_done

pytestmark = pytest.mark.django_db(transaction=True)

MAIL = "core.tasks.send_mail"
ADMIN = "/en/admin/core/backgroundjob/"


def queue_a_mail(to="carla@quilmes.example"):
    send_after_commit([EmailMessage(subject="Aviso de prueba", body="Hola.", to=[to])])


def test_a_refused_mail_is_retried_after_an_exponential_backoff(mail_server):
    mail_server.down(2)
    queue_a_mail()
    waits = []
    for _attempt in range(2):
        before = timezone.now()
        run_worker()
        (job,) = jobs(MAIL)
        waits.append((job["scheduled_at"] - before).total_seconds())
        time_passes()
    backoff = settings.MAIL_RETRY_BACKOFF_SECONDS
    # 4 s after the first refusal, 16 s after the second (give or take the worker's time)
    assert backoff - 1 < waits[0] <= backoff + 1
    assert backoff**2 - 1 < waits[1] <= backoff**2 + 1
    run_worker()
    assert [m.to for m in mail_server.outbox] == [["carla@quilmes.example"]]


def test_a_mail_whose_retries_run_out_fails_in_the_admin_and_the_retry_action_sends_it(
    mail_server, sofia_client
):
    mail_server.down(1000)
    queue_a_mail()
    for _round in range(settings.MAIL_RETRY_ATTEMPTS + 2):
        run_worker()
        time_passes()
    (job,) = jobs(MAIL)
    assert job["status"] == "failed"
    assert job["attempts"] == mail_server.tries() == settings.MAIL_RETRY_ATTEMPTS + 1
    assert mail_server.outbox == []

    html = sofia_client.get(ADMIN, {"status": "failed"}).content.decode()
    assert "carla@quilmes.example" in html and "Aviso de prueba" in html
    assert sofia_client.get(f"{ADMIN}{job['id']}/change/").status_code == 200

    mail_server.down(0)
    response = sofia_client.post(
        ADMIN, {"action": "retry", "_selected_action": [job["id"]]}, follow=True
    )
    assert "1 failed task was queued again." in response.content.decode()
    assert jobs(MAIL)[0]["status"] == "todo"
    run_worker()
    assert [m.to for m in mail_server.outbox] == [["carla@quilmes.example"]]
    assert jobs(MAIL)[0]["status"] == "succeeded"


def test_the_job_and_the_log_hold_the_key_and_the_sent_mail_keeps_no_body(mail_server):
    queue_a_mail()
    (job,) = jobs(MAIL)
    assert list(job["args"]) == ["key"]  # the body (and any link in it) is not in the job
    run_worker()
    mail = OutgoingMail.objects.get(key=job["args"]["key"])
    assert (mail.to, mail.subject, mail.message) == ("carla@quilmes.example", "Aviso de prueba", {})
    assert mail.sent_at is not None


def test_coordinators_do_not_see_the_tasks(mail_server, ana_client):
    queue_a_mail()
    assert ana_client.get(ADMIN).status_code in (302, 403)


def _take_a_job_and_die() -> dict:
    """A worker registers, takes the mail job and stops sending heartbeats."""

    async def take():
        async with worker_app.open_async():
            worker_id = await worker_app.job_manager.register_worker()
            return await worker_app.job_manager.fetch_job(queues=None, worker_id=worker_id)

    with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
        job = in_a_thread_of_its_own(lambda: asyncio.run(take()))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 h'")
    return job.task_kwargs


def test_a_mail_whose_worker_died_after_sending_is_retried_and_not_sent_twice(mail_server):
    queue_a_mail()
    kwargs = _take_a_job_and_die()
    send_mail(**kwargs)  # the dead worker had sent it, but not marked the job done
    assert [job["status"] for job in jobs(MAIL)] == ["doing"]

    retry_stalled_jobs.defer(timestamp=0)  # as the periodic task does every five minutes
    work_until_done()
    assert [job["status"] for job in jobs(MAIL)] == ["succeeded"]  # run again…
    assert len(mail_server.outbox) == mail_server.tries() == 1  # …without sending again


def test_a_mail_whose_worker_died_before_sending_is_sent_once(mail_server):
    queue_a_mail()
    _take_a_job_and_die()
    retry_stalled_jobs.defer(timestamp=0)
    work_until_done()
    assert [m.to for m in mail_server.outbox] == [["carla@quilmes.example"]]


def _defer_periodic_jobs(at: datetime.datetime) -> None:
    """What each worker's periodic deferrer does when the clock reaches `at`."""
    deferrer = periodic.PeriodicDeferrer(registry=app.periodic_registry)

    async def defer():
        async with worker_app.open_async():
            await deferrer.defer_jobs(deferrer.get_previous_tasks(at=at.timestamp()))

    with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
        in_a_thread_of_its_own(lambda: asyncio.run(defer()))


def test_the_monthly_reminder_is_deferred_once_by_several_workers_and_mails_once(
    mail_server, ana, city_a
):
    stale = timezone.localdate() - datetime.timedelta(days=400)
    FocalPointFactory(city=city_a, name="Old contact", last_confirmed_on=stale)
    first_of_month = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
    moment = first_of_month + datetime.timedelta(seconds=30)
    _defer_periodic_jobs(moment)
    _defer_periodic_jobs(moment)  # a second worker's deferrer, at the same time
    (job,) = jobs("cities.tasks.remind_focal_points")
    assert job["args"] == {"timestamp": int(first_of_month.timestamp())}

    work_until_done()
    assert [m.to for m in mail_server.outbox] == [[ana.email]]
    assert "Old contact" in mail_server.outbox[0].body
    # The same month's run again (its worker died before marking it done): no second mail.
    remind_focal_points(**job["args"])
    work_until_done()
    assert len(mail_server.outbox) == 1
    assert FocalPoint.objects.get().last_confirmed_on == stale


def test_the_daily_purge_is_a_periodic_task(mail_server):
    daily = datetime.datetime(2026, 12, 2, 3, 41, 5, tzinfo=datetime.UTC)
    _defer_periodic_jobs(daily)
    assert len(jobs("events.tasks.purge_delegates")) == 1
    work_until_done()
    assert jobs("events.tasks.purge_delegates")[0]["status"] == "succeeded"
