"""`make bench`: the portal's speed at scale, measured on this machine.

1. A database of its own: `utds_bench` on the embedded server (dropped and created afresh,
   dropped again at the end unless BENCH_KEEP_DB=1), or BENCH_DATABASE_URL as given
   (never dropped). Migrated, then `seed_demo --scale $SCALE --seed $SEED`.
2. The production configuration: DEBUG off, a generated SECRET_KEY, WhiteNoise serving
   the collected (hashed, compressed) static files, gunicorn on 127.0.0.1 with
   BENCH_WORKERS sync workers. It waits for /healthz.
3. Per key page, plus /healthz (the floor of this stack) and one hashed static file (the
   ceiling), and in the uncached run every list of the open API (read from
   /api/v1/openapi.json; API_RATE_LIMIT off, each row failed by any answer but 200):
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
import json
import os
import shutil
import signal
import sys
import tempfile
import textwrap
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import (
    WRK_SCRIPT,
    decoded,
    ensure_wrk,
    fetch,
    grace,
    page_weight,
    run_fixed_rate,
    run_wrk,
)
from serving import (
    BASE_DIR,
    WORKERS,
    create_database,
    drop_database,
    first_values,
    free_port,
    git_commit,
    hashed_static,
    machine,
    manage,
    production_env,
    say,
    start_gunicorn,
    stop_gunicorn,
    wait_healthy,
)

SCALE = float(os.environ.get("SCALE") or 1)
SEED = int(os.environ.get("SEED") or 1)
DURATION = int(os.environ.get("BENCH_DURATION") or 15)
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY") or 8)
RATE = float(os.environ.get("BENCH_RATE") or 20)
KEEP_DB = os.environ.get("BENCH_KEEP_DB", "") not in ("", "0")
OUTPUT = Path(os.environ.get("BENCH_OUTPUT") or BASE_DIR / "docs" / "benchmarks.md")
# One database per run (several runs may share the embedded server); BENCH_DB_NAME to choose.
BENCH_DB = os.environ.get("BENCH_DB_NAME") or f"utds_bench_{os.getpid()}"
# BENCH_PAGES="practices list,practice detail": measure only these key pages (by name);
# "api" stands for every list of the open API.
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

# Targets of issue 8 (2 cores, concurrency 8, scale 1).
P95_TARGET_MS = 150
SEARCH_P95_TARGET_MS = 200
FLOOR_RATIO_TARGET = 0.25
LIST_RPS_TARGET = 100
# Target of issue 22: every open API list, uncached, at this share of the floor's req/s.
API_FLOOR_RATIO_TARGET = 0.05


# --- set-up -----------------------------------------------------------------------------


def flush_cache() -> None:
    """Start the cached phase from an empty cache (only the bench's own Redis database)."""
    import redis

    redis.Redis.from_url(CACHE_URL).flushdb()


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


# --- report ------------------------------------------------------------------------------


def verdicts(row: dict, floor_rps: float, cached: bool = True) -> list[str]:
    """The targets a row misses. Latency and the floor ratio are targets for what visitors
    get (the page cache on); the practices list's 100 req/s is a target without it, and so
    is each API list's share of the floor (any answer but 200 fails the row)."""
    misses = []
    if row["kind"] == "api":
        if row["status"] != 200:
            misses.append(f"answered {row['status']}")
        if row["wrk"]["errors"] or row["fixed"]["errors"]:
            misses.append("errors")
        if floor_rps and row["wrk"]["rps"] < API_FLOOR_RATIO_TARGET * floor_rps:
            ratio = row["wrk"]["rps"] / floor_rps
            misses.append(f"{ratio:.2f} of the floor < {API_FLOOR_RATIO_TARGET}")
        return misses
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
        measured = row["kind"] in ("page", "api")
        verdict = "—" if not measured else ("met" if not misses else "; ".join(misses))
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
            "connection when the run's deadline passed "
            f"({DURATION} s + {grace(DURATION)} s). Weight: the "
            "page and its same-origin CSS, JS and images as transferred (gzip), with the "
            "request count; map tiles are third-party and not counted. Targets (issue 8): p95 "
            f"≤ {P95_TARGET_MS} ms (search ≤ {SEARCH_P95_TARGET_MS} ms), no errors, ≥ "
            f"{FLOOR_RATIO_TARGET} of the floor's req/s, practices list ≥ {LIST_RPS_TARGET} req/s. "
            f"Open API lists (issue 22; uncached table only, rate limit off): answer 200, ≥ "
            f"{API_FLOOR_RATIO_TARGET} of the floor's req/s.",
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


def api_lists(port: int) -> list[tuple[str, str, str]]:
    """Every list of the open API, read from the document the server publishes."""
    status, body, headers = fetch(f"http://127.0.0.1:{port}/api/v1/openapi.json")
    if status != 200:
        raise SystemExit(f"/api/v1/openapi.json answered {status}")
    paths = json.loads(decoded(body, headers))["paths"]
    return [
        (f"API {path.removeprefix('/api/v1/')}", path, "api")
        for path, operations in paths.items()
        if "get" in operations
    ]


def selected(pages):
    """BENCH_PAGES's pages (by name, or "api" for the API's lists), and always the floor and
    the ceiling."""
    if not ONLY_PAGES:
        return pages
    return [
        (name, path, kind)
        for name, path, kind in pages
        if kind in ("floor", "ceiling") or name in ONLY_PAGES or kind in ONLY_PAGES
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
        if os.environ.get("BENCH_DATABASE_URL"):
            database_url = os.environ["BENCH_DATABASE_URL"]
        else:
            database_url, maintenance = create_database(BENCH_DB)
        port = int(os.environ.get("BENCH_PORT") or free_port())
        env = production_env(database_url, port, static_root)
        env["API_RATE_LIMIT"] = "0"  # one client asks thousands of times a minute
        manage(env, "migrate", "--noinput", "-v", "0", timeout=900)
        seeding = time.monotonic()
        manage(env, "seed_demo", "--force", f"--scale={SCALE:g}", f"--seed={SEED}", timeout=3600)
        seed_seconds = time.monotonic() - seeding
        manage(env, "collectstatic", "--noinput", "-v", "0", timeout=600)
        targets = pick_targets(database_url)
        pages = key_pages(targets, hashed_static(static_root))
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
            # The API has no page cache: its lists are measured in the uncached run only.
            rows = measure(wrk, port, selected(pages + ([] if cached else api_lists(port))))
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
                drop_database(maintenance, BENCH_DB)
                say(f"dropped the database {BENCH_DB}")
        elif maintenance:
            say(f"kept the database {BENCH_DB} (BENCH_KEEP_DB)")


if __name__ == "__main__":
    main()
