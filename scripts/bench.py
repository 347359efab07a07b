"""`make bench`: the portal's speed at scale, measured on this machine.

1. A database of its own: `utds_bench` on the embedded server (dropped and created afresh,
   dropped again at the end unless BENCH_KEEP_DB=1), or BENCH_DATABASE_URL as given
   (never dropped). Migrated, then `seed_demo --scale $SCALE --seed $SEED`.
2. The production configuration: DEBUG off, a generated SECRET_KEY, WhiteNoise serving
   the collected (hashed, compressed) static files, gunicorn on 127.0.0.1 with
   BENCH_WORKERS sync workers. It waits for /healthz.
3. Per key page, plus /healthz (the floor of this stack) and one hashed static file (the
   ceiling):
   - throughput at saturation: wrk, BENCH_CONCURRENCY connections (8) for BENCH_DURATION
     seconds (15), with exact p50/p95/p99 of that closed loop from wrk's Lua summary;
   - latency at a fixed rate: BENCH_RATE requests/s (20) for BENCH_DURATION seconds, each
     request timed from its scheduled start, so time spent queueing counts (a closed-loop
     tool hides it); requests not started by the deadline count as errors;
   - page weight: the HTML plus its same-origin CSS, JS, images and CSS url()s, as
     transferred with gzip, and the number of requests (third-party map tiles excluded).
4. Prints the table and writes docs/benchmarks.md (machine, commit, scale, table; a
   "## Notes" section already in the file is kept).

Everything is bounded: fixed durations, request timeouts, a deadline for each phase.
gunicorn, the temporary static folder and the database are cleaned up on exit, failure
and Ctrl-C included. Tests never assert timings; this script reports them.
"""

import contextlib
import datetime
import gzip
import http.client
import os
import platform
import queue
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

PYTHON = sys.executable
BIN = Path(sys.executable).parent
SCALE = float(os.environ.get("SCALE") or 1)
SEED = int(os.environ.get("SEED") or 1)
DURATION = int(os.environ.get("BENCH_DURATION") or 15)
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY") or 8)
RATE = float(os.environ.get("BENCH_RATE") or 20)
WORKERS = int(os.environ.get("BENCH_WORKERS") or min(4, max(2, 2 * (os.cpu_count() or 1))))
KEEP_DB = os.environ.get("BENCH_KEEP_DB", "") not in ("", "0")
OUTPUT = Path(os.environ.get("BENCH_OUTPUT") or BASE_DIR / "docs" / "benchmarks.md")
# One database per run (several runs may share the embedded server); BENCH_DB_NAME to choose.
BENCH_DB = os.environ.get("BENCH_DB_NAME") or f"utds_bench_{os.getpid()}"
# BENCH_PAGES="practices list,practice detail": measure only these key pages (by name).
ONLY_PAGES = {name.strip() for name in os.environ.get("BENCH_PAGES", "").split(",") if name.strip()}
# The anonymous page cache needs a cache shared by the workers: the machine's Redis.
CACHE_URL = os.environ.get("BENCH_CACHE_URL") or "redis://127.0.0.1:6379/3"
PHASES = [
    ("Anonymous visitors (page cache on)", True),
    ("Uncached (page cache off): the work each page costs", False),
]
# BENCH_PHASES=uncached (or cached): one of the two runs only, for a quicker look.
if os.environ.get("BENCH_PHASES") in ("cached", "uncached"):
    PHASES = [phase for phase in PHASES if phase[1] == (os.environ["BENCH_PHASES"] == "cached")]
SEARCH_TERMS = "salud comunitaria"
ACCEPT = {"Accept-Encoding": "gzip", "User-Agent": "utds-bench"}
REQUEST_TIMEOUT = 10  # seconds, for every request of the load generators
RATE_THREADS = 32  # in-flight requests of the fixed-rate generator at most
# A fixed-rate request not sent this long after the run's end is dropped (and counted).
GRACE = max(REQUEST_TIMEOUT, DURATION)

# Targets of issue 8 (2 cores, concurrency 8, scale 1).
P95_TARGET_MS = 150
SEARCH_P95_TARGET_MS = 200
FLOOR_RATIO_TARGET = 0.25
LIST_RPS_TARGET = 100

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %d %d %d %d\\n",
    summary.requests, summary.duration, summary.bytes, e.status,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- set-up -----------------------------------------------------------------------------


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if os.geteuid() != 0:
        sys.exit("wrk is missing: install it with `sudo apt-get install -y wrk`, then rerun.")
    say("installing wrk (apt-get install -y wrk)")
    install = ["apt-get", "install", "-y", "wrk"]
    if subprocess.run(install, check=False, timeout=600).returncode != 0:  # noqa: S603
        subprocess.run(["apt-get", "update"], check=True, timeout=600)  # noqa: S607
        subprocess.run(install, check=True, timeout=600)  # noqa: S603
    return shutil.which("wrk") or sys.exit("wrk could not be installed.")


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def create_database() -> tuple[str, str | None]:
    """(URL of the bench database, maintenance URL to drop it later or None)."""
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"], None
    import psycopg
    from psycopg import sql

    from core.embedded_db import embedded_database_url

    data_dir = Path(os.environ.get("PGDATA_DIR", BASE_DIR / "var" / "pgdata"))
    maintenance = with_database(embedded_database_url(data_dir), "postgres")
    with psycopg.connect(maintenance, autocommit=True) as conn:
        name = sql.Identifier(BENCH_DB)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    return with_database(maintenance, BENCH_DB), maintenance


def drop_database(maintenance: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance, autocommit=True) as conn:
        name = sql.Identifier(BENCH_DB)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def flush_cache() -> None:
    """Start the cached phase from an empty cache (only the bench's own Redis database)."""
    import redis

    redis.Redis.from_url(CACHE_URL).flushdb()


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


def pick_targets(database_url: str) -> dict[str, str]:
    """Slugs of a representative city, practice and indicator in the bench database."""
    queries = {
        # the city with the most practices of its own: the heaviest profile
        "city": "SELECT c.slug FROM cities_city c JOIN experiences_practice p ON p.city_id = c.id"
        " GROUP BY c.slug ORDER BY count(*) DESC, c.slug LIMIT 1",
        "practice": "SELECT slug FROM experiences_practice WHERE status = 'published'"
        " ORDER BY slug LIKE 'synthetic-%' DESC, slug LIMIT 1",
        "indicator": "SELECT i.slug FROM mapping_indicator i JOIN mapping_indicatorvalue v"
        " ON v.indicator_id = i.id GROUP BY i.slug ORDER BY count(*) DESC, i.slug LIMIT 1",
        "postgres": "SHOW server_version",
    }
    return first_values(database_url, queries)


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
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


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


# --- measuring ---------------------------------------------------------------------------


def fetch(url: str, timeout: float = 60) -> tuple[int, bytes, dict]:
    """(status, raw body as transferred, headers) of one GET with gzip accepted."""
    request = urllib.request.Request(url, headers=ACCEPT)  # noqa: S310
    try:
        # Reviewed for bandit: only the benchmark's own loopback http:// URLs are fetched.
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  # nosec B310
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def decoded(body: bytes, headers: dict) -> bytes:
    if headers.get("Content-Encoding") == "gzip":
        return gzip.decompress(body)
    return body


class AssetParser(HTMLParser):
    """The stylesheets, scripts, icons and images a page makes the browser fetch."""

    def __init__(self):
        super().__init__()
        self.refs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").lower().split()
        if tag == "link" and attrs.get("href") and {"stylesheet", "icon", "preload"} & set(rel):
            self.refs.append(attrs["href"])
        elif tag in ("script", "img", "source") and attrs.get("src"):
            self.refs.append(attrs["src"])


CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def page_weight(url: str) -> tuple[int, int, int]:
    """(status, bytes transferred, requests) for the page and its same-origin assets."""
    page_status, body, headers = fetch(url)
    total, count = len(body), 1
    if "text/html" not in headers.get("Content-Type", ""):
        return page_status, total, count
    parser = AssetParser()
    parser.feed(decoded(body, headers).decode("utf-8", "replace"))
    origin = urllib.parse.urlsplit(url).netloc
    pending, seen = [urllib.parse.urljoin(url, ref) for ref in parser.refs], set()
    while pending and len(seen) < 100:  # bounded
        asset = pending.pop(0).split("#")[0]
        if asset in seen or urllib.parse.urlsplit(asset).netloc != origin:
            continue
        seen.add(asset)
        _, body, headers = fetch(asset)
        total, count = total + len(body), count + 1
        if "text/css" in headers.get("Content-Type", ""):
            css = decoded(body, headers).decode("utf-8", "replace")
            pending += [
                urllib.parse.urljoin(asset, ref)
                for ref in CSS_URL.findall(css)
                if not ref.startswith("data:")
            ]
    return page_status, total, count


def run_wrk(wrk: str, url: str, script: Path, seconds: int, connections: int) -> dict:
    command = [
        wrk,
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={REQUEST_TIMEOUT}s",
        "-H",
        "Accept-Encoding: gzip",
        "-s",
        str(script),
        url,
    ]
    output = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, timeout=seconds + 60, check=True
    ).stdout
    line = next((ln for ln in output.splitlines() if ln.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no summary for {url}:\n{output}")
    requests, duration, _size, status_errors, socket_errors, p50, p95, p99 = map(
        int, line.split()[1:]
    )
    return {
        "rps": requests / (duration / 1e6) if duration else 0.0,
        "requests": requests,
        "errors": status_errors + socket_errors,
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
    }


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def run_fixed_rate(host: str, port: int, path: str, rate: float, seconds: int) -> dict:
    """Issue `rate` requests/s for `seconds` on a fixed schedule; latency of each from its
    scheduled time (so a request that waits for a free connection pays for the wait)."""
    total = max(1, int(rate * seconds))
    start = time.monotonic() + 0.2
    deadline = start + seconds + GRACE
    todo = queue.SimpleQueue()
    for index in range(total):
        todo.put(index)
    latencies, errors, dropped, lock = [], [0], [0], threading.Lock()

    def worker():
        connection = None
        while True:
            try:
                index = todo.get_nowait()
            except queue.Empty:
                break
            scheduled = start + index / rate
            delay = scheduled - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if time.monotonic() > deadline:
                with lock:
                    dropped[0] += 1  # never sent: the server could not keep up
                continue
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT)
                connection.request("GET", path, headers=ACCEPT)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                if response.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                ok = False
                if connection is not None:
                    connection.close()
                connection = None
            elapsed = time.monotonic() - scheduled
            with lock:
                if ok:
                    latencies.append(elapsed * 1000)
                else:
                    errors[0] += 1
        if connection is not None:
            connection.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(RATE_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.1, deadline + REQUEST_TIMEOUT + 5 - time.monotonic()))
    return {
        "requests": total,
        "errors": errors[0],
        "dropped": dropped[0],
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
    }


# --- report ------------------------------------------------------------------------------


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


def verdicts(row: dict, floor_rps: float, cached: bool = True) -> list[str]:
    """The targets a row misses. Latency and the floor ratio are targets for what visitors
    get (the page cache on); the practices list's 100 req/s is a target without it."""
    misses = []
    if row["kind"] != "page":
        return misses
    if not cached:
        if row["wrk"]["errors"] or row["fixed"]["errors"]:
            misses.append("errors")
        if row["name"] == "practices list" and row["wrk"]["rps"] < LIST_RPS_TARGET:
            misses.append(f"{row['wrk']['rps']:.0f} req/s < {LIST_RPS_TARGET} uncached")
        return misses
    target = SEARCH_P95_TARGET_MS if row["name"] == "practices search" else P95_TARGET_MS
    if row["fixed"]["p95"] > target:
        misses.append(f"p95 {row['fixed']['p95']:.0f} ms > {target} ms at {RATE:g}/s")
    if row["wrk"]["p95"] > target:
        misses.append(f"p95 {row['wrk']['p95']:.0f} ms > {target} ms at c={CONCURRENCY}")
    if row["wrk"]["errors"] or row["fixed"]["errors"]:
        misses.append("errors")
    if row["fixed"]["dropped"]:
        misses.append(f"{row['fixed']['dropped']} requests not sent in time at {RATE:g}/s")
    if floor_rps and row["wrk"]["rps"] < FLOOR_RATIO_TARGET * floor_rps:
        misses.append(f"{row['wrk']['rps'] / floor_rps:.2f} of the floor < {FLOOR_RATIO_TARGET}")
    return misses


def errors_cell(row: dict) -> str:
    errors = row["wrk"]["errors"] + row["fixed"]["errors"]
    dropped = row["fixed"]["dropped"]
    return f"{errors} + {dropped} not sent" if dropped else str(errors)


def table(rows: list[dict], floor_rps: float, cached: bool = True) -> list[str]:
    header = (
        f"| page | path | req/s (c={CONCURRENCY}) | × floor | p50 / p95 / p99 ms "
        f"(c={CONCURRENCY}) | p50 / p95 / p99 ms (at {RATE:g}/s) | errors | weight KB "
        "| requests | targets |"
    )
    lines = [header, "|" + "---|" * 10]
    for row in rows:
        w, f = row["wrk"], row["fixed"]
        misses = verdicts(row, floor_rps, cached)
        verdict = "—" if row["kind"] != "page" else ("met" if not misses else "; ".join(misses))
        lines.append(
            f"| {row['name']} | `{row['path']}` | {w['rps']:.1f} | "
            f"{w['rps'] / floor_rps if floor_rps else 0:.2f} | "
            f"{w['p50']:.0f} / {w['p95']:.0f} / {w['p99']:.0f} | "
            f"{f['p50']:.0f} / {f['p95']:.0f} / {f['p99']:.0f} | "
            f"{errors_cell(row)} | {row['weight'] / 1024:.1f} | {row['count']} | "
            f"{verdict} |"
        )
    return lines


def write_report(phases, facts, extras) -> None:
    notes = ""
    if OUTPUT.exists():
        text = OUTPUT.read_text()
        if "\n## Notes" in text:
            notes = text[text.index("\n## Notes") + 1 :]
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (scripts/bench.py); rerun it to refresh. The figures are",
        "from one run on the machine below, with whatever else it was running at the time.",
        "",
        "## Run",
        "",
        *[f"- **{key}**: {value}" for key, value in facts.items()],
        "",
        "## Results",
        "",
        textwrap.fill(
            f"Throughput: wrk, {CONCURRENCY} connections for {DURATION} s (closed loop). Latency "
            f"at a fixed rate: {RATE:g} requests/s for {DURATION} s, timed from each request's "
            "scheduled start, so queueing counts. Errors: non-200 answers, socket errors and "
            'timeouts, in both runs; "not sent": fixed-rate requests still waiting for a '
            f"connection when the run's deadline passed ({DURATION} s + {GRACE} s). Weight: the "
            "page and its same-origin CSS, JS and images as transferred (gzip), with the "
            "request count; map tiles are third-party and not counted. Targets (issue 8): p95 "
            f"≤ {P95_TARGET_MS} ms (search ≤ {SEARCH_P95_TARGET_MS} ms), no errors, ≥ "
            f"{FLOOR_RATIO_TARGET} of the floor's req/s, practices list ≥ {LIST_RPS_TARGET} req/s.",
            88,
        ),
        "",
        *[
            line
            for title, rows, floor, cached in phases
            for line in (f"### {title}", "", *table(rows, floor, cached), "")
        ],
        *extras,
        "",
    ]
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text("\n".join(lines) + (("\n" + notes) if notes else ""))
    say(f"wrote {OUTPUT.relative_to(BASE_DIR) if OUTPUT.is_relative_to(BASE_DIR) else OUTPUT}")


# --- main --------------------------------------------------------------------------------


def key_pages(targets: dict, static_path: str) -> list[tuple[str, str, str]]:
    query = urllib.parse.urlencode({"q": SEARCH_TERMS})
    return [
        ("healthz (floor)", "/healthz", "floor"),
        ("static file (ceiling)", static_path, "ceiling"),
        ("home", "/", "page"),
        ("cities list", "/cities/", "page"),
        ("city profile", f"/cities/{targets['city']}/", "page"),
        ("practices list", "/practices/", "page"),
        ("practices search", f"/practices/?{query}", "page"),
        ("practice detail", f"/practices/{targets['practice']}/", "page"),
        ("mapping matrix", "/mapping/", "page"),
        ("indicator comparison", f"/mapping/indicators/{targets['indicator']}/", "page"),
        ("events list", "/events/", "page"),
        ("calendar.ics", "/events/calendar.ics", "page"),
        (
            "indicators CSV export",
            f"/mapping/export/indicators.csv?indicator={targets['indicator']}",
            "page",
        ),
    ]


def measure(wrk: str, port: int, pages) -> list[dict]:
    base = f"http://127.0.0.1:{port}"
    rows = []
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(WRK_SCRIPT)
        script = Path(handle.name)
    try:
        for name, path, kind in pages:
            status, weight, count = page_weight(base + path)
            if status != 200:
                say(f"{name}: {path} answered {status}")
            run_wrk(wrk, base + path, script, 2, min(4, CONCURRENCY))  # warm the workers
            say(f"{name}: wrk {DURATION} s at c={CONCURRENCY}")
            closed = run_wrk(wrk, base + path, script, DURATION, CONCURRENCY)
            say(f"{name}: fixed rate {RATE:g}/s for {DURATION} s")
            fixed = run_fixed_rate("127.0.0.1", port, path, RATE, DURATION)
            row = {"name": name, "path": path, "kind": kind, "status": status}
            row.update(wrk=closed, fixed=fixed, weight=weight, count=count)
            rows.append(row)
            say(
                f"{name}: {closed['rps']:.1f} req/s, p95 {closed['p95']:.0f} ms (c={CONCURRENCY}),"
                f" p95 {fixed['p95']:.0f} ms at {RATE:g}/s,"
                f" errors {errors_cell(row)}, {weight / 1024:.1f} KB in {count}"
            )
    finally:
        script.unlink(missing_ok=True)
    return rows


def full_export(port: int) -> list[str]:
    """One timed GET of the whole indicators export: how the biggest download behaves."""
    path = "/mapping/export/indicators.csv"
    started = time.monotonic()
    try:
        status, body, _ = fetch(f"http://127.0.0.1:{port}{path}", timeout=120)
    except OSError as error:
        return [f"Whole indicators export (`{path}`): failed ({error})."]
    elapsed = time.monotonic() - started
    return [
        f"Whole indicators export (`{path}`, one request, not under load): status {status}, "
        f"{len(body) / 1024 / 1024:.1f} MB (gzip accepted) in {elapsed:.1f} s."
    ]


def main() -> None:
    def interrupted(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, interrupted)
    wrk = ensure_wrk()
    started = datetime.datetime.now(datetime.UTC)
    load_at_start = " ".join(f"{x:.2f}" for x in os.getloadavg())
    static_root = Path(tempfile.mkdtemp(prefix="utds-bench-static-"))
    log = static_root.parent / f"{static_root.name}-gunicorn.log"
    maintenance, server = None, None
    try:
        database_url, maintenance = create_database()
        port = int(os.environ.get("BENCH_PORT") or free_port())
        env = production_env(database_url, port, static_root)
        manage(env, "migrate", "--noinput", "-v", "0", timeout=900)
        seeding = time.monotonic()
        manage(env, "seed_demo", "--force", f"--scale={SCALE:g}", f"--seed={SEED}", timeout=3600)
        seed_seconds = time.monotonic() - seeding
        manage(env, "collectstatic", "--noinput", "-v", "0", timeout=600)
        targets = pick_targets(database_url)
        pages = key_pages(targets, hashed_static(static_root))
        if ONLY_PAGES:  # the floor and the ceiling are always measured
            pages = [page for page in pages if page[2] != "page" or page[0] in ONLY_PAGES]
        phases, extras = [], []
        for title, cached in PHASES:
            phase_env = dict(env)
            if cached:
                phase_env.update(CACHE_URL=CACHE_URL, CACHE_PAGES_SECONDS="300")
                flush_cache()
            else:
                phase_env.pop("CACHE_URL", None)
                phase_env["CACHE_PAGES_SECONDS"] = "0"
            say(title)
            server = start_gunicorn(phase_env, port, log)
            wait_healthy(f"http://127.0.0.1:{port}", server)
            rows = measure(wrk, port, pages)
            if not cached:
                extras = full_export(port)
            stop_gunicorn(server)
            server = None
            floor = next(row for row in rows if row["kind"] == "floor")["wrk"]["rps"]
            phases.append((title, rows, floor, cached))
        facts = {
            "Date": started.strftime("%Y-%m-%d %H:%M UTC"),
            "Commit": git_commit(),
            "Scale": f"{SCALE:g} (seed {SEED}; generated in {seed_seconds:.0f} s)",
            "Server": f"gunicorn {WORKERS} sync workers, DEBUG off, WhiteNoise, loopback; "
            f"page cache in Redis ({CACHE_URL}) for the first table, off for the second",
            "Load": f"wrk c={CONCURRENCY} × {DURATION} s; fixed rate {RATE:g}/s × {DURATION} s",
            **machine(targets["postgres"]),
            "Load average at start": load_at_start,
            "Load average at end": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        }
        for title, rows, floor, cached in phases:
            print(f"{title}\n" + "\n".join(table(rows, floor, cached)))
        print("\n".join(extras))
        write_report(phases, facts, extras)
    finally:
        if server is not None:
            stop_gunicorn(server)
            if log.exists() and log.stat().st_size:
                say(f"gunicorn log (last lines of {log}):")
                print("\n".join(log.read_text(errors="replace").splitlines()[-20:]))
        shutil.rmtree(static_root, ignore_errors=True)
        log.unlink(missing_ok=True)
        if maintenance and not KEEP_DB:
            with contextlib.suppress(Exception):
                drop_database(maintenance)
                say(f"dropped the database {BENCH_DB}")
        elif maintenance:
            say(f"kept the database {BENCH_DB} (BENCH_KEEP_DB)")


if __name__ == "__main__":
    main()
