"""The real queue: tasks deferred into the test database's Procrastinate tables and run by
a worker in this process (`run_worker`), e-mails through a mail server that can be down."""

import json
import threading

import pytest
from django.db import connection
from procrastinate.contrib.django import app

from tests.experiences.conftest import draft, make_practice, themes  # noqa: F401

from .mailserver import FlakyBackend

QUEUE_TABLES = (
    "procrastinate_periodic_defers, procrastinate_events, procrastinate_jobs, procrastinate_workers"
)


def _empty_queue():
    # A transactional test's flush leaves unmanaged tables alone: the queue is emptied here.
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {QUEUE_TABLES} CASCADE")


@pytest.fixture
def mail_server(settings, transactional_db, mailoutbox):
    """Tasks go through the real queue; the mail server delivers to `mailoutbox` unless told
    to refuse: `mail_server.down(n)` refuses the next n sends."""
    settings.TASKS_EAGER = False
    settings.EMAIL_BACKEND = "tests.tasks.mailserver.FlakyBackend"
    FlakyBackend.refusals = FlakyBackend.tries = 0
    _empty_queue()

    class Server:
        outbox = mailoutbox

        @staticmethod
        def down(refusals: int):
            FlakyBackend.refusals = refusals

        @staticmethod
        def tries() -> int:
            return FlakyBackend.tries

    yield Server
    FlakyBackend.refusals = 0
    _empty_queue()


def in_a_thread_of_its_own(function):
    """`function()`'s result, computed in a new thread: the browser tests' Playwright keeps an
    event loop running in the main thread, where procrastinate's `asyncio.run` would refuse to
    start."""
    outcome = {}

    def call():
        try:
            outcome["value"] = function()
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=call)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def run_worker() -> None:
    """One worker over every queue until no job is due (procrastinate's own worker, on a
    connection of its own to the test database)."""

    def work():
        with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
            worker_app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)

    in_a_thread_of_its_own(work)


def time_passes() -> None:
    """Jobs waiting for a later retry become due now, as if their backoff had run out."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE procrastinate_jobs SET scheduled_at = now() "
            "WHERE status = 'todo' AND scheduled_at > now()"
        )


def jobs(task_name: str | None = None) -> list[dict]:
    """The queue's jobs (of one task, when named), oldest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, task_name, status, attempts, args, scheduled_at FROM procrastinate_jobs "
            "WHERE %(task)s::text IS NULL OR task_name = %(task)s ORDER BY id",
            {"task": task_name},
        )
        columns = [column.name for column in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    # Django's cursor leaves JSON as text.
    return [{**row, "args": json.loads(row["args"])} for row in rows]


def work_until_done(rounds: int = 20) -> int:
    """Run the worker, letting backoffs run out between runs, until no job waits; returns
    the number of rounds it took."""
    for round_ in range(1, rounds + 1):
        run_worker()
        if not any(job["status"] == "todo" for job in jobs()):
            return round_
        time_passes()
    raise AssertionError(f"jobs still waiting after {rounds} rounds: {jobs()}")
