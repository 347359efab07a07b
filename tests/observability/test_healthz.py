"""/healthz stays one query; ?full=1 adds the cache and the task queue, degraded but still 200
when either is unwell, 503 only when the database is."""

import pytest
from django.db import connection
from django.test import override_settings

from core.observability import task_backlog
from tests.pages.test_frame import get_without_database


def test_plain_health_check_is_one_query(visitor, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = visitor.get("/healthz")
    assert response.json() == {"status": "ok", "database": "ok"}


def test_full_health_check_reports_cache_and_an_empty_queue(visitor, db):
    response = visitor.get("/healthz?full=1")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "tasks": {"todo": 0, "doing": 0, "failed": 0, "oldest_todo_seconds": None},
    }


def defer_job(*, waited_seconds: int, status: str = "todo", scheduled_in: int | None = None):
    """A job row as Procrastinate writes it, made `waited_seconds` ago."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, args, scheduled_at) "
            "VALUES ('mail', 'core.tasks.send_mail', '{}', "
            "CASE WHEN %s::int IS NULL THEN NULL ELSE now() + make_interval(secs => %s) END) "
            "RETURNING id",
            [scheduled_in, scheduled_in],
        )
        job_id = cursor.fetchone()[0]
        cursor.execute(
            "UPDATE procrastinate_events SET at = now() - make_interval(secs => %s) "
            "WHERE job_id = %s",
            [waited_seconds, job_id],
        )
        if status != "todo":
            cursor.execute(
                "UPDATE procrastinate_jobs SET status = %s WHERE id = %s", [status, job_id]
            )


def test_the_backlog_counts_jobs_by_status_and_ages_the_oldest_due_one(db):
    defer_job(waited_seconds=30)
    defer_job(waited_seconds=90)
    defer_job(waited_seconds=5000, scheduled_in=3600)  # a retry due in an hour: not waiting
    defer_job(waited_seconds=10, status="doing")
    defer_job(waited_seconds=10, status="failed")
    backlog = task_backlog()
    assert backlog["todo"] == 3 and backlog["doing"] == 1 and backlog["failed"] == 1
    assert 90 <= backlog["oldest_todo_seconds"] < 120


def test_a_stuck_queue_degrades_the_full_check_but_keeps_200(visitor, db, settings):
    settings.TASKS_STUCK_SECONDS = 600
    defer_job(waited_seconds=1200)
    response = visitor.get("/healthz?full=1")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == "ok" and body["cache"] == "ok"
    assert body["tasks"]["todo"] == 1
    (reason,) = body["reasons"]
    assert reason.startswith("the oldest waiting task has waited 12")
    assert "more than 600 s" in reason
    # the plain check does not look at the queue
    assert visitor.get("/healthz").json() == {"status": "ok", "database": "ok"}


def test_a_queue_that_is_only_busy_is_not_degraded(visitor, db, settings):
    settings.TASKS_STUCK_SECONDS = 600
    defer_job(waited_seconds=60)
    assert visitor.get("/healthz?full=1").json()["status"] == "ok"


def test_a_cache_that_does_not_answer_degrades_the_full_check_but_keeps_200(visitor, db):
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # nothing listens on port 1
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    with override_settings(CACHES=unreachable):
        response = visitor.get("/healthz?full=1")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["cache"] == "unavailable"
    assert body["reasons"] == ["the cache does not answer"]


@pytest.mark.parametrize("path", ["/healthz?full=1", "/healthz"])
def test_503_only_when_the_database_is_unreachable(visitor, transactional_db, path):
    response = get_without_database(visitor, path)
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
