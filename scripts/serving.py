"""The portal as the measuring scripts run it: a database of its own, the production settings
under gunicorn on loopback, and the facts of the machine and commit for the report."""

import contextlib
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

PYTHON = sys.executable
BIN = Path(sys.executable).parent
WORKERS = int(os.environ.get("BENCH_WORKERS") or min(4, max(2, 2 * (os.cpu_count() or 1))))


def say(message: str) -> None:
    """A progress line, prefixed by the running script's name and the time."""
    print(f"[{Path(sys.argv[0]).stem} {time.strftime('%H:%M:%S')}] {message}", flush=True)


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def create_database(name: str) -> tuple[str, str]:
    """Database `name` created afresh on the embedded server: (its URL, the maintenance URL
    to drop it later)."""
    from core.embedded_db import embedded_database_url

    data_dir = Path(os.environ.get("PGDATA_DIR", BASE_DIR / "var" / "pgdata"))
    maintenance = with_database(embedded_database_url(data_dir), "postgres")
    return recreate_database(maintenance, name), maintenance


def recreate_database(maintenance: str, name: str) -> str:
    """Database `name` dropped if it exists and created empty on the server of the
    `maintenance` URL; returns its URL."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance, autocommit=True) as conn:
        name_sql = sql.Identifier(name)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name_sql))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name_sql))
    return with_database(maintenance, name)


def drop_database(maintenance: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance, autocommit=True) as conn:
        name_sql = sql.Identifier(name)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name_sql))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database_url: str, port: int, static_root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        PORTAL_URL=f"http://127.0.0.1:{port}",
        ALLOWED_HOSTS="127.0.0.1",
        # Loopback has no TLS proxy in front: no redirect to https.
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=str(static_root),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict, *args: str, timeout: int) -> None:
    say("manage.py " + " ".join(args))
    subprocess.run(  # noqa: S603
        [PYTHON, str(BASE_DIR / "manage.py"), *args],
        env=env,
        cwd=BASE_DIR,
        check=True,
        timeout=timeout,
    )


def first_values(database_url: str, queries: dict[str, str]) -> dict[str, str]:
    """Each query's first value, by the query's key."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        return {key: conn.execute(query).fetchone()[0] for key, query in queries.items()}


def hashed_static(static_root: Path) -> str:
    import json

    manifest = json.loads((static_root / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/portal.css"]


def start_gunicorn(env: dict, port: int, log: Path) -> subprocess.Popen:
    command = [
        str(BIN / "gunicorn"),
        "utds.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={WORKERS}",
        "--worker-class=sync",
        "--timeout=60",
        "--graceful-timeout=5",
        "--log-level=warning",
        f"--error-logfile={log}",
    ]
    say(f"gunicorn with {WORKERS} workers on 127.0.0.1:{port}")
    return subprocess.Popen(command, env=env, cwd=BASE_DIR, start_new_session=True)  # noqa: S603


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    wait_or_kill(process, 15)


def wait_or_kill(process: subprocess.Popen, seconds: float) -> None:
    """Wait for a stopping process; past `seconds`, kill its whole process group."""
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def write_section(output: Path, start: str, end: str, lines: list[str], heading: str) -> None:
    """Put `lines` between the `start` and `end` markers of a Markdown document, replacing
    what the last run wrote there (appended, or in a new document under `heading`)."""
    block = "\n".join([start, *lines, end])
    text = output.read_text() if output.exists() else heading + "\n"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    output.write_text(text)


def wait_healthy(base: str, process: subprocess.Popen, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up; see its log above")
        try:
            # Reviewed for bandit: `base` is the loopback http:// address of our gunicorn.
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:  # noqa: S310  # nosec B310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"/healthz did not answer within {seconds} s")


def git_commit() -> str:
    """HEAD's commit, read from .git (no git process needed)."""
    git = BASE_DIR / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        if (git / ref).exists():
            return (git / ref).read_text().strip()
        for line in (git / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return line.split()[0]
    except OSError:
        pass
    return "unknown"


def machine(postgres: str) -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    import django

    return {
        "CPUs (nproc)": str(len(os.sched_getaffinity(0))),
        "CPU model": cpu,
        "Memory": memory,
        "OS": platform.platform(),
        "PostgreSQL": postgres,
        "Python / Django": f"{platform.python_version()} / {django.get_version()}",
    }
