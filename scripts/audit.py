#!/usr/bin/env python3
"""`make audit`: Lighthouse scores of six key pages, measured on this machine.

1. A database of its own (`utds_audit_<pid>` on the embedded server, dropped at the end;
   or AUDIT_DATABASE_URL as given, never dropped), migrated and filled with the demo data
   (`seed_demo --force`). The server helpers are scripts/serving.py's.
2. gunicorn in the production configuration (DEBUG off, WhiteNoise serving the collected
   static files), on loopback without TLS, so the redirect to https is off as in `make bench`.
3. Lighthouse (LIGHTHOUSE, the cli/index.js that `make audit` installs in var/lighthouse)
   with Debian's Chromium (CHROME_PATH, /usr/bin/chromium; nothing downloads a browser),
   headless, any map-tile URL blocked, the four categories, for each page with the mobile
   defaults and with `--preset=desktop`, AUDIT_RUNS times (3): the run with the median
   performance score is kept, since performance varies from run to run on a busy machine.
4. Prints the table and writes docs/audit.md (run facts, scores against the targets, and
   the audits that lost points; a "## Notes" section already in the file is kept). Exits
   non-zero when a score misses its target.
"""

import contextlib
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import serving

BASE_DIR = serving.BASE_DIR
LIGHTHOUSE = Path(
    os.environ.get("LIGHTHOUSE")
    or BASE_DIR / "var" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
)
CHROME = os.environ.get("CHROME_PATH") or "/usr/bin/chromium"
RUNS = max(1, int(os.environ.get("AUDIT_RUNS") or 3))
OUTPUT = Path(os.environ.get("AUDIT_OUTPUT") or BASE_DIR / "docs" / "audit.md")
# AUDIT_PAGES="home,practice detail": audit only these pages (by name), for a quicker look.
ONLY_PAGES = {name.strip() for name in os.environ.get("AUDIT_PAGES", "").split(",") if name.strip()}
RUN_TIMEOUT = 240  # seconds for one Lighthouse run
ATTEMPTS = 3  # per run, when Lighthouse fails to record the page load
RETRIES: list[str] = []
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
# The maps draw no tile layer; block any tile server anyway, so no run leaves the machine.
BLOCKED = ["*tile*"]
PRESETS = ["mobile", "desktop"]
# Targets of issue 9: the minimum score per category (performance per preset).
TARGETS = {
    ("mobile", "performance"): 90,
    ("desktop", "performance"): 95,
    "accessibility": 100,
    "best-practices": 95,
    "seo": 95,
}


def say(message: str) -> None:
    print(f"[audit {time.strftime('%H:%M:%S')}] {message}", flush=True)


def target(preset: str, category: str) -> int:
    return TARGETS.get((preset, category)) or TARGETS[category]


def key_pages(targets: dict) -> list[tuple[str, str]]:
    return [
        ("home", "/"),
        ("city directory", "/cities/"),
        ("city profile", f"/cities/{targets['city']}/"),
        ("practices list", "/practices/"),
        ("practice detail", f"/practices/{targets['practice']}/"),
        ("events list", "/events/"),
    ]


def lighthouse(url: str, preset: str, folder: Path) -> dict:
    """One Lighthouse run; its report (the LHR) as a dict."""
    report = folder / "report.json"
    report.unlink(missing_ok=True)
    command = [
        shutil.which("node") or "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        *[f"--blocked-url-patterns={pattern}" for pattern in BLOCKED],
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=CHROME, TMPDIR=str(folder))
    result = subprocess.run(  # noqa: S603
        command, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False
    )
    if result.returncode != 0 or not report.exists():
        raise RuntimeError(f"Lighthouse failed on {url} ({preset}):\n{result.stderr[-2000:]}")
    lhr = json.loads(report.read_text())
    if lhr.get("runtimeError"):
        raise RuntimeError(f"Lighthouse on {url} ({preset}): {lhr['runtimeError']}")
    return lhr


def lighthouse_retried(url: str, preset: str, folder: Path) -> dict:
    """Lighthouse sometimes loses the trace of a load (NO_NAVSTART, NO_FCP) on a busy
    machine: such a run is repeated, up to ATTEMPTS times, and the retries are counted."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return lighthouse(url, preset, folder)
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            if attempt == ATTEMPTS:
                raise
            RETRIES.append(f"{url} ({preset})")
            say(f"retrying: {str(error).strip().splitlines()[-1]}")
    raise AssertionError("unreachable")


def scores(lhr: dict) -> dict[str, int | None]:
    return {
        name: None
        if lhr["categories"][name]["score"] is None
        else round(lhr["categories"][name]["score"] * 100)
        for name in CATEGORIES
    }


def lost_points(lhr: dict) -> dict[str, list[str]]:
    """Per category, the weighted audits that scored below 1, briefly: 'id (value)'; for
    performance (whose weighted audits are its metrics) also the diagnostics Lighthouse
    flags with savings in a metric, which say where the time went."""
    lost = {}
    for name in CATEGORIES:
        items, hints = [], []
        for ref in lhr["categories"][name]["auditRefs"]:
            audit = lhr["audits"][ref["id"]]
            if audit.get("score") is None:
                continue
            value = audit.get("displayValue") or f"score {audit['score']:.2f}"
            if ref.get("weight", 0) > 0 and audit["score"] < 1:
                items.append(f"`{ref['id']}` ({value})")
            elif audit.get("scoreDisplayMode") == "metricSavings" and audit["score"] < 0.9:
                hints.append(f"`{ref['id']}` ({value})")
        if hints:
            items.append("diagnostics: " + ", ".join(hints))
        if items:
            lost[name] = items
    return lost


def failed_audits(lhr: dict) -> set[str]:
    """Audits Lighthouse could not run (an error in a gatherer), so they count for nothing."""
    return {key for key, audit in lhr["audits"].items() if audit["scoreDisplayMode"] == "error"}


def audit_page(base: str, name: str, path: str, preset: str, folder: Path) -> dict:
    runs = []
    for number in range(1, RUNS + 1):
        lhr = lighthouse_retried(base + path, preset, folder)
        runs.append(lhr)
        say(f"{name} ({preset}) run {number}/{RUNS}: {scores(lhr)}")
    # The median by performance; the other categories hardly vary between runs.
    ordered = sorted(runs, key=lambda lhr: lhr["categories"]["performance"]["score"] or 0)
    median = ordered[(len(ordered) - 1) // 2]
    return {
        "name": name,
        "path": path,
        "preset": preset,
        "scores": scores(median),
        "performance_runs": [scores(lhr)["performance"] for lhr in runs],
        "lost": lost_points(median),
        "errors": failed_audits(median),
        "lhr": median,
    }


def misses(row: dict) -> list[str]:
    return [
        f"{name} {score} < {target(row['preset'], name)}"
        for name, score in row["scores"].items()
        if score is None or score < target(row["preset"], name)
    ]


def table(rows: list[dict]) -> list[str]:
    lines = [
        "| page | path | preset | performance | accessibility | best practices | SEO | targets |",
        "|" + "---|" * 8,
    ]
    for row in rows:
        s = row["scores"]
        runs = " / ".join(str(score) for score in row["performance_runs"])
        perf = f"{s['performance']} ({runs})" if len(row["performance_runs"]) > 1 else ""
        missed = misses(row)
        lines.append(
            f"| {row['name']} | `{row['path']}` | {row['preset']} | "
            f"{perf or s['performance']} | {s['accessibility']} | {s['best-practices']} | "
            f"{s['seo']} | {'pass' if not missed else 'FAIL: ' + '; '.join(missed)} |"
        )
    return lines


def lost_section(rows: list[dict]) -> list[str]:
    lines = []
    for row in rows:
        for category, items in row["lost"].items():
            lines.append(f"- {row['name']} ({row['preset']}), {category}: {', '.join(items)}")
    lines = lines or ["None: every weighted audit scored full marks in the kept runs."]
    errors = sorted(set().union(*(row["errors"] for row in rows)))
    if errors:
        lines += [
            "",
            "Audits Lighthouse could not run (an error in one of its gatherers; they are not "
            "scored): " + ", ".join(f"`{key}`" for key in errors) + ".",
        ]
    return lines


def write_report(rows: list[dict], facts: dict) -> None:
    notes = ""
    if OUTPUT.exists():
        text = "\n" + OUTPUT.read_text()
        if "\n## Notes" in text:
            notes = text[text.index("\n## Notes") + 1 :]
    targets = (
        f"accessibility {TARGETS['accessibility']}, best practices ≥ "
        f"{TARGETS['best-practices']}, SEO ≥ {TARGETS['seo']}, performance ≥ "
        f"{TARGETS[('desktop', 'performance')]} (desktop preset) and ≥ "
        f"{TARGETS[('mobile', 'performance')]} (mobile, Lighthouse's default)"
    )
    lines = [
        "# Lighthouse audit",
        "",
        "Written by `make audit` (scripts/audit.py); rerun it to refresh. The scores are from",
        "one run on the machine below, with whatever else it was running at the time.",
        "",
        "## Run",
        "",
        *[f"- **{key}**: {value}" for key, value in facts.items()],
        "",
        "## Scores",
        "",
        f"Targets: {targets}.",
        f"Each page and preset ran {'once' if RUNS == 1 else f'{RUNS} times'}; the table shows"
        " the run with the median",
        "performance score (all runs' performance scores in brackets) and that run's other",
        "three scores.",
        "",
        *table(rows),
        "",
        "## Audits that lost points",
        "",
        "The weighted audits below full marks in the kept runs (for performance, its metrics,",
        "and the diagnostics Lighthouse flags as costing time in a metric).",
        "",
        *lost_section(rows),
        "",
    ]
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text("\n".join(lines) + (("\n" + notes) if notes else ""))
    say(f"wrote {OUTPUT.relative_to(BASE_DIR) if OUTPUT.is_relative_to(BASE_DIR) else OUTPUT}")


def pick_targets(database_url: str) -> dict[str, str]:
    """The demo city with the most published practices, and the first published practice."""
    queries = {
        "city": "SELECT c.slug FROM cities_city c JOIN experiences_practice p ON p.city_id = c.id"
        " WHERE p.status = 'published' GROUP BY c.slug ORDER BY count(*) DESC, c.slug LIMIT 1",
        "practice": "SELECT slug FROM experiences_practice WHERE status = 'published'"
        " ORDER BY slug LIMIT 1",
        "postgres": "SHOW server_version",
    }
    return serving.first_values(database_url, queries)


def chromium_version() -> str:
    result = subprocess.run(  # noqa: S603
        [CHROME, "--version"], capture_output=True, text=True, timeout=30, check=False
    )
    return result.stdout.strip() or "unknown"


def main() -> int:
    def interrupted(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, interrupted)
    if not LIGHTHOUSE.exists():
        sys.exit(f"Lighthouse is missing ({LIGHTHOUSE}): run `make audit`, which installs it.")
    if not Path(CHROME).exists():
        sys.exit(f"Chromium is missing ({CHROME}): `apt-get install chromium`, then rerun.")
    started = datetime.datetime.now(datetime.UTC)
    clock = time.monotonic()
    database = f"utds_audit_{os.getpid()}"
    folder = Path(tempfile.mkdtemp(prefix="utds-audit-"))
    log = folder / "gunicorn.log"
    maintenance, server = None, None
    try:
        if os.environ.get("AUDIT_DATABASE_URL"):
            database_url = os.environ["AUDIT_DATABASE_URL"]
        else:
            database_url, maintenance = serving.create_database(database)
        port = int(os.environ.get("AUDIT_PORT") or serving.free_port())
        env = serving.production_env(database_url, port, folder / "static")
        serving.manage(env, "migrate", "--noinput", "-v", "0", timeout=900)
        serving.manage(env, "seed_demo", "--force", timeout=900)
        serving.manage(env, "collectstatic", "--noinput", "-v", "0", timeout=600)
        targets = pick_targets(database_url)
        server = serving.start_gunicorn(env, port, log)
        base = f"http://127.0.0.1:{port}"
        serving.wait_healthy(base, server)
        rows = [
            audit_page(base, name, path, preset, folder)
            for name, path in key_pages(targets)
            if not ONLY_PAGES or name in ONLY_PAGES
            for preset in PRESETS
        ]
        lhr = rows[0]["lhr"]
        elapsed = time.monotonic() - clock
        facts = {
            "Date": started.strftime("%Y-%m-%d %H:%M UTC"),
            "Commit": serving.git_commit(),
            "Lighthouse": lhr["lighthouseVersion"],
            "Chromium": f"{chromium_version()} ({CHROME}), flags `{CHROME_FLAGS}`",
            "Server": f"gunicorn {serving.WORKERS} sync workers, DEBUG off, WhiteNoise, "
            "loopback http (no TLS, so no redirect to https); demo data (`seed_demo`)",
            "Blocked URLs": ", ".join(f"`{pattern}`" for pattern in BLOCKED),
            "Throttling": "Lighthouse's defaults: simulated slow 4G and 4× CPU slowdown on "
            "mobile, simulated fast connection without CPU slowdown with `--preset=desktop`",
            **serving.machine(targets["postgres"]),
            "Run time": f"{elapsed / 60:.1f} min ({len(rows) * RUNS} Lighthouse runs, "
            f"{len(RETRIES)} repeated after a failed trace)",
        }
        print("\n".join(table(rows)))
        write_report(rows, facts)
        missed = [row for row in rows if misses(row)]
        if missed:
            say(f"{len(missed)} of {len(rows)} page/preset pairs miss a target")
        return 1 if missed else 0
    finally:
        if server is not None:
            serving.stop_gunicorn(server)
            if log.exists() and log.stat().st_size:
                say(f"gunicorn log (last lines of {log}):")
                print("\n".join(log.read_text(errors="replace").splitlines()[-20:]))
        shutil.rmtree(folder, ignore_errors=True)
        if maintenance:
            with contextlib.suppress(Exception):
                serving.drop_database(maintenance, database)
                say(f"dropped the database {database}")


if __name__ == "__main__":
    sys.exit(main())
