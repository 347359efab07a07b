#!/usr/bin/env python3
"""Cluster drill: the portal run as several machines run it, on the loopback address, and
checked end to end; `make cluster-drill`.

Starts Debian's nginx with deploy/nginx/utds.conf (its own prefix and configuration in
var/cluster/, on a free port, in the foreground: never the system service) in front of two
gunicorn instances and two Procrastinate workers started with the command lines of
deploy/systemd/, in the production configuration (DEBUG off), sharing a fresh database on
the service PostgreSQL (127.0.0.1:5432), a Redis database, a private bucket of moto's S3
server and a mail server that records what it receives (both started here). Then checks:

- nginx serves the hashed static files itself (cached a year), refuses bodies over the cap
  and every /media/ path, and overwrites a forged X-Forwarded-Proto;
- an edit made through instance A shows at once through instance B (its page cache too);
- a file uploaded through A downloads through B (and only with permission);
- a mail task deferred by A runs once;
- wrong passwords split across A and B lock the account, and through nginx the address;
- SIGTERM to instance A and to worker 1 under load through nginx loses no request and no task;
- SIGKILL to a worker holding mail tasks loses no mail and sends none twice.

The accounts it creates log in without two-factor (MFA_REQUIRED=none) and the proxy speaks
plain HTTP (SECURE_SSL_REDIRECT=0): the drill has no authenticator app and no certificate.
Writes the results between the "cluster-drill" markers of docs/operations.md; exits non-zero
when a check fails.
"""

import concurrent.futures
import contextlib
import fcntl
import http.client
import logging
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import serving
from cluster import (
    CLIENT,
    RUN,
    WEB_UNIT,
    WEB_WORKERS,
    WORKER_UNIT,
    Browser,
    Cluster,
    DrillError,
    MailServer,
    expect,
    nginx_binary,
    poll,
    say,
    sql,
    unit_command,
)

BASE_DIR = serving.BASE_DIR
OUTPUT = Path(os.environ.get("CLUSTER_OUTPUT") or BASE_DIR / "docs" / "operations.md")
START, END = "<!-- cluster-drill:start -->", "<!-- cluster-drill:end -->"
POSTGRES = os.environ.get("CLUSTER_POSTGRES_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
REDIS = os.environ.get("CLUSTER_REDIS_URL") or "redis://127.0.0.1:6379/13"
DATABASE = "utds_cluster_drill"
# A worker silent this long counts as dead (heartbeats every 10 s).
STALLED_SECONDS = 20
PASSWORD = secrets.token_urlsafe(12)
LOAD_PAGES = ["/en/", "/en/cities/", "/healthz", "/en/practices/"]


# --- the queue and the mails ----------------------------------------------------------------


def mail_jobs() -> dict[str, int]:
    rows = sql(
        "SELECT status, count(*) FROM procrastinate_jobs WHERE queue_name = 'mail' GROUP BY 1"
    )
    return dict(rows)


def held_by(worker_id: int) -> list[int]:
    rows = sql(
        "SELECT id FROM procrastinate_jobs WHERE status = 'doing' AND worker_id = %s", [worker_id]
    )
    return [row[0] for row in rows]


def job_statuses(ids: list[int]) -> list[str]:
    return [
        row[0] for row in sql("SELECT status FROM procrastinate_jobs WHERE id = ANY(%s)", [ids])
    ]


def queue_mails(marker: str, count: int) -> None:
    """`count` e-mails queued through the portal's mail helper, in one transaction."""
    from django.core.mail import EmailMessage
    from django.db import transaction

    from core.mail import send_after_commit

    messages = [
        EmailMessage(subject=f"{marker} {i}", body="Cluster drill.", to=[f"drill{i}@example.org"])
        for i in range(count)
    ]
    with transaction.atomic():
        send_after_commit(messages)


def sent_once(mail: MailServer, marker: str, count: int) -> dict:
    received = mail.received(marker)
    subjects = [m["subject"] for m in received]
    return {
        "deferred": count,
        "sent": len(set(subjects)),
        "duplicates": len(subjects) - len(set(subjects)),
        "message_ids": len({m["message_id"] for m in received}),
    }


# --- the checks ---------------------------------------------------------------------------


class Drill:
    def __init__(self, cluster: Cluster, mail: MailServer, s3, bucket: str, data: dict):
        self.c, self.mail, self.s3, self.bucket, self.data = cluster, mail, s3, bucket, data
        self.rows: list[tuple[str, str, bool]] = []
        self.figures: dict[str, str] = {}

    def check(self, name: str, group):
        say(f"check: {name}")
        try:
            detail = group()
            self.rows.append((name, detail, True))
            say(f"  passed: {detail}")
        except Exception as failure:
            if not isinstance(failure, DrillError):
                failure = f"{failure.__class__.__name__}: {failure}"
            self.rows.append((name, f"FAILED: {failure}", False))
            say(f"  FAILED: {failure}")

    def browser(self, address: str = CLIENT) -> Browser:
        return Browser(self.c.proxy, address)

    def log_in(self, base: str, email: str, address: str = CLIENT) -> Browser:
        browser = self.browser(address)
        answer = browser.submit(
            f"{base}/en/accounts/login/", "login", {"login": email, "password": PASSWORD}
        )
        expect(answer.status_code == 302, f"login of {email} answered {answer.status_code}")
        return browser

    # nginx's own answers -----------------------------------------------------------------

    def proxy_basics(self) -> str:
        home = self.browser().get(self.c.proxy + "/en/")
        expect(home.status_code == 200, f"home through nginx answered {home.status_code}")
        css = re.search(r"/static/css/portal\.[0-9a-f]{12}\.css", home.text)
        expect(css is not None, "the home page names no hashed stylesheet")
        static = self.browser().get(
            self.c.proxy + css.group(0), headers={"Accept-Encoding": "gzip"}
        )
        expect(static.status_code == 200, f"hashed stylesheet answered {static.status_code}")
        cache = static.headers.get("Cache-Control", "")
        expect(
            "immutable" in cache and "max-age=31536000" in cache, f"stylesheet cached as {cache!r}"
        )
        expect("X-Request-ID" not in static.headers, "the stylesheet came from gunicorn, not nginx")
        expect(static.headers.get("Content-Encoding") == "gzip", "no precompressed .gz served")
        # A declared body one byte over MAX_REQUEST_BYTES: refused before any byte is read.
        conn = http.client.HTTPConnection("127.0.0.1", self.c.proxy_port, timeout=30)
        conn.putrequest("POST", "/en/accounts/login/")
        conn.putheader("Content-Length", str(101 * 1024 * 1024 + 1))
        conn.endheaders()
        too_big = conn.getresponse().status
        conn.close()
        expect(too_big == 413, f"a body over the cap answered {too_big}")
        return f"hashed CSS by nginx ({cache}, gzip); body of 101 MiB + 1 B: {too_big}"

    # one app server's edit seen by the other ----------------------------------------------

    def edit_seen_everywhere(self) -> str:
        a, b = self.c.base("a"), self.c.base("b")
        page = self.data["city_path"]
        visitor = self.browser()
        visitor.get(b + page)
        second = visitor.get(b + page)
        expect(second.headers.get("X-Page-Cache") == "hit", "B did not cache the city page")
        coordinator = self.log_in(a, self.data["coordinator"])
        summary = f"Resumen editado por el simulacro {secrets.token_hex(4)}."
        saved = coordinator.submit(a + page + "edit/", "summary", {"summary": summary})
        expect(saved.status_code == 302, f"the edit through A answered {saved.status_code}")
        after_b = visitor.get(b + page)
        expect(summary in after_b.text, "B still shows the old summary")
        expect(after_b.headers.get("X-Page-Cache") == "miss", "B answered from its old cache")
        through_proxy = visitor.get(self.c.proxy + page)
        expect(summary in through_proxy.text, "nginx's answer shows the old summary")
        # The session lives in the database: the coordinator is logged in on B as well.
        dashboard = coordinator.get(b + "/en/dashboard/")
        expect(dashboard.status_code == 200, f"A's session on B answered {dashboard.status_code}")
        self.coordinator = coordinator
        return (
            "city summary edited through A: B's cached copy (hit) replaced at once (miss, new text)"
        )

    # a file uploaded through one, downloaded through the other -----------------------------

    def upload_download(self) -> str:
        from django.urls import reverse
        from django.utils import translation

        from experiences.models import PracticeAttachment
        from unit.demo import sample_pdf

        a, b = self.c.base("a"), self.c.base("b")
        pdf = sample_pdf("Informe del simulacro")
        changes = {
            "title": "Huertas del simulacro",
            "city": str(self.data["city_id"]),
            "language": "es",
            "themes": [str(self.data["theme_id"])],
            "summary": "Huertas comunitarias.",
            "problem": "Falta de alimentos frescos.",
            "objectives": "Producir alimentos.",
            "actions": "Huertas en escuelas.",
            "results": "Doce huertas.",
            "start_date": "2020-03-01",
            "action": "save",
        }
        files = [("attachments", ("informe.pdf", pdf, "application/pdf"))]
        created = self.coordinator.submit(a + "/en/practices/new/", "title", changes, files=files)
        expect(
            created.status_code == 302,
            f"the practice form through A answered {created.status_code}",
        )
        attachment = PracticeAttachment.objects.select_related("practice").get()
        with translation.override("en"):
            path = reverse(
                "experiences:attachment",
                kwargs={"slug": attachment.practice.slug, "pk": attachment.pk},
            )
        download = self.coordinator.get(b + path)
        expect(
            download.status_code == 200, f"the download through B answered {download.status_code}"
        )
        expect(download.content == pdf, "B sent other bytes than A received")
        expect(
            download.headers.get("Content-Disposition", "").startswith("attachment"),
            "the download is not an attachment",
        )
        refused = self.browser().get(b + path).status_code
        expect(refused == 404, f"a visitor downloading the draft's file got {refused}")
        key = f"media/{attachment.file.name}"
        listing = self.s3.list_objects_v2(Bucket=self.bucket).get("Contents", [])
        expect(key in [item["Key"] for item in listing], f"{key} is not in the bucket")
        media = self.browser().get(f"{self.c.proxy}/media/{attachment.file.name}")
        expect(media.status_code == 404, f"nginx answered {media.status_code} for /media/")
        expect("X-Request-ID" not in media.headers, "/media/ reached gunicorn")
        on_disk = [p for p in (RUN / "media").rglob("*") if p.is_file()]
        expect(not on_disk, f"files on the local disk: {on_disk}")
        return (
            f"PDF uploaded through A, in the bucket, downloaded through B ({len(pdf)} B, same "
            "bytes, attachment; visitor 404); /media/<its name> answered 404 by nginx"
        )

    # a task deferred by one app server runs once -------------------------------------------

    def task_once(self) -> str:
        a = self.c.base("a")
        person = self.data["reset"]
        answer = self.browser().submit(
            f"{a}/en/accounts/password/reset/", "email", {"email": person}
        )
        expect(answer.status_code == 302, f"password reset through A answered {answer.status_code}")
        poll("the reset mail", 120, lambda: self.mail.received(person))
        poll("the mail queue emptying", 120, lambda: not {"todo", "doing"} & mail_jobs().keys())
        received = self.mail.received(person)
        expect(len(received) == 1, f"{len(received)} reset mails arrived")
        return "password-reset mail queued by A, sent once by one of the two workers"

    # rate limits shared by the instances -----------------------------------------------------

    def rate_limits(self) -> str:
        a, b = self.c.base("a"), self.c.base("b")
        person = self.data["locked"]
        guesser = self.browser("198.51.100.20")
        for attempt in range(5):
            base = (a, b)[attempt % 2]
            wrong = guesser.submit(
                f"{base}/en/accounts/login/", "login", {"login": person, "password": "wrong"}
            )
            expect(
                wrong.status_code == 200,
                f"wrong password {attempt + 1} answered {wrong.status_code}",
            )
        right = guesser.submit(
            f"{b}/en/accounts/login/", "login", {"login": person, "password": PASSWORD}
        )
        expect(
            right.status_code == 200,
            f"the right password after 5 wrong ones answered {right.status_code}",
        )
        expect("Too many failed login attempts" in right.text, "no lockout message")
        # A port written into Host does not open a fresh count: nginx passes the name alone.
        other_port = guesser.submit(
            f"{self.c.proxy}/en/accounts/login/",
            "login",
            {"login": person, "password": PASSWORD},
            headers={"Host": "127.0.0.1:1"},
        )
        expect("Too many failed login attempts" in other_port.text, "Host with a port: not locked")

        # Through nginx: 20 failures a minute from one address, whatever X-Forwarded-For the
        # visitor writes, lock that address; nginx spreads them over both instances.
        log = RUN / "nginx" / "access.log"
        skip = log.stat().st_size
        url = f"{self.c.proxy}/en/accounts/login/"
        # 20 a minute from one address: the Host check above was the first through nginx
        # (from 127.0.0.1, like every request nginx relays here), 19 wrong passwords follow.
        # Four visitors at once (every wrong password costs a password hash), each posting
        # its one form again and again: every POST is a request of its own for nginx.
        visitors = [self.browser() for _ in range(4)]
        forms = [visitor.form(url, "login") for visitor in visitors]

        def wrong_password(attempt: int):
            n = attempt % len(visitors)
            return visitors[n].post(
                forms[n],
                {"login": f"nobody{attempt}@example.org", "password": "x"},
                headers={"X-Forwarded-For": f"203.0.113.{attempt}"},
            )

        with concurrent.futures.ThreadPoolExecutor(len(visitors)) as pool:
            failures = list(pool.map(wrong_password, range(19)))
        statuses = sorted({answer.status_code for answer in failures})
        expect(statuses == [200], f"the failures through nginx answered {statuses}")
        early = sum("Too many failed login attempts" in answer.text for answer in failures)
        expect(early == 0, f"{early} of the first 20 attempts were already refused")
        visitor, form = visitors[0], forms[0]
        last = visitor.post(
            form,
            {"login": self.data["coordinator"], "password": PASSWORD},
            headers={"X-Forwarded-For": "203.0.113.99"},
        )
        expect(
            last.status_code == 200 and "Too many failed login attempts" in last.text,
            f"the 21st attempt through nginx answered {last.status_code} without the lockout",
        )
        with log.open() as lines:
            lines.seek(skip)
            served = set(
                re.findall(r'"POST /en/accounts/login/ [^"]*".*upstream="([^"]+)"', lines.read())
            )
        expect(
            set(self.c.web_ports.values()) <= {int(u.rsplit(":", 1)[1]) for u in served},
            f"the attempts did not reach both instances: {served}",
        )

        # nginx writes X-Forwarded-Proto itself: a visitor claiming https over plain http is
        # not believed (a secure request would need a Referer to pass the CSRF check: 403).
        claimed = {"X-Forwarded-Proto": "https"}
        direct = self.browser().submit(
            f"{a}/en/accounts/login/", "login", {"login": "x@example.org"}, headers=claimed
        )
        expect(
            direct.status_code == 403,
            f"A believed X-Forwarded-Proto? answered {direct.status_code}",
        )
        proxied = self.browser().submit(url, "login", {"login": "x@example.org"}, headers=claimed)
        expect(proxied.status_code != 403, "nginx passed on the visitor's X-Forwarded-Proto")
        return (
            "5 wrong passwords alternating A/B lock the account on B (and through nginx, a port "
            "written into Host changing nothing); 20 failures through nginx "
            "(forged X-Forwarded-For, both instances) lock the address; forged "
            "X-Forwarded-Proto overwritten"
        )

    # SIGTERM under load ---------------------------------------------------------------------

    def stop_under_load(self) -> str:
        marker, count = f"drill-term-{secrets.token_hex(3)}", 40
        self.mail.greeting_delay = 0.2
        queue_mails(marker, count)
        load = Load(self.c.proxy)
        load.start()
        worker = self.c.worker_ids["worker-1"]
        try:
            poll("load through nginx", 60, lambda: load.done >= 20)
            held = poll("worker 1 holding a mail job", 60, lambda: held_by(worker))
            web_unit = unit_command(WEB_UNIT, {})[1]
            worker_unit = unit_command(WORKER_UNIT, {})[1]
            expect(
                web_unit["KillSignal"] == worker_unit["KillSignal"] == "SIGTERM",
                "the units stop with another signal than SIGTERM",
            )
            before = load.done
            signalled = time.monotonic()
            self.c.signal("a", signal.SIGTERM)
            self.c.signal("worker-1", signal.SIGTERM)
            # Each within its unit's TimeoutStopSec, after which systemd would send SIGKILL.
            web_limit = float(web_unit["TimeoutStopSec"])
            worker_limit = float(worker_unit["TimeoutStopSec"])
            exits = self.c.wait_exits(["a", "worker-1"], max(web_limit, worker_limit), signalled)
            (web_code, web_seconds), (worker_code, worker_seconds) = exits["a"], exits["worker-1"]
            expect(web_seconds <= web_limit, f"gunicorn took {web_seconds:.0f} s to stop")
            expect(worker_seconds <= worker_limit, f"worker took {worker_seconds:.0f} s to stop")
            stopped = load.done
            # Long enough after the stop for nginx to meet the closed port again and again.
            poll("load after the stop", 120, lambda: load.done >= stopped + 40)
        finally:
            load.stop()
        held_status = job_statuses(held)
        poll(
            "the mails of the stop",
            180,
            lambda: sent_once(self.mail, marker, count)["sent"] >= count,
        )
        poll("the mail queue emptying", 60, lambda: not {"todo", "doing"} & mail_jobs().keys())
        mails = sent_once(self.mail, marker, count)
        retried = load.retried(RUN / "nginx" / "access.log", self.c.web_ports["a"])
        self.figures.update(
            {
                "Requests through nginx (during and after the stop)": (
                    f"{load.done} ({load.done - before} after SIGTERM)"
                ),
                "Errors (5xx or connection) seen by the client": str(len(load.errors)),
                "Requests nginx retried on the other instance": str(retried),
                "gunicorn A stopped (SIGTERM) in": f"{web_seconds:.1f} s, exit {web_code}",
                "Worker 1 stopped (SIGTERM) in": f"{worker_seconds:.1f} s, exit {worker_code}",
                "Mails deferred / sent / duplicates (SIGTERM)": (
                    f"{count} / {mails['sent']} / {mails['duplicates']}"
                ),
            }
        )
        expect(not load.errors, f"{len(load.errors)} failed requests: {load.errors[:3]}")
        expect(
            web_code == 0 and worker_code == 0,
            f"exit codes: gunicorn {web_code}, worker {worker_code}",
        )
        expect(
            held_status == ["succeeded"] * len(held),
            f"the stopped worker's jobs ended {held_status}",
        )
        expect(mails["sent"] == count and mails["duplicates"] == 0, f"mails: {mails}")
        expect(mail_jobs().get("failed", 0) == 0, "failed mail jobs")
        return (
            f"{load.done} requests through nginx, {len(load.errors)} errors "
            f"({retried} retried on B); "
            f"worker 1 finished its job {held} and exited {worker_code}; {count} mails sent once"
        )

    # SIGKILL to a worker holding mail tasks -----------------------------------------------------

    def kill_worker(self) -> str:
        from procrastinate.exceptions import AlreadyEnqueued

        from core.tasks import retry_stalled_jobs

        self.c.start_web("a")
        self.c.start_worker("worker-1")
        marker, count = f"drill-kill-{secrets.token_hex(3)}", 30
        self.mail.greeting_delay = 0.3
        queue_mails(marker, count)
        worker = self.c.worker_ids["worker-1"]
        held = poll("worker 1 holding a mail job", 120, lambda: held_by(worker), every=0.05)
        self.c.signal("worker-1", signal.SIGKILL)
        killed_at = time.monotonic()
        self.c.wait_exits(["worker-1"], 10, killed_at)

        def recovered():
            stalled = sql(
                "SELECT count(*) FROM procrastinate_jobs j LEFT JOIN procrastinate_workers w "
                "ON w.id = j.worker_id WHERE j.status = 'doing' AND (j.worker_id IS NULL OR "
                "w.last_heartbeat < now() - make_interval(secs => %s))",
                [STALLED_SECONDS],
            )[0][0]
            if stalled:
                # The periodic task (every 5 minutes) run now instead of at its next tick.
                with contextlib.suppress(AlreadyEnqueued):
                    retry_stalled_jobs.defer(timestamp=int(time.time()))
            jobs = mail_jobs()
            return (
                not {"todo", "doing"} & jobs.keys()
                and sent_once(self.mail, marker, count)["sent"] >= count
            )

        poll("recovery of the killed worker's jobs", 240, recovered, every=1)
        last_mail = max(m["at"] for m in self.mail.received(marker))
        recovery = last_mail - killed_at
        mails = sent_once(self.mail, marker, count)
        held_status = job_statuses(held)
        self.mail.greeting_delay = 0.0
        self.figures.update(
            {
                "Mails deferred / sent / duplicates (SIGKILL)": (
                    f"{count} / {mails['sent']} / {mails['duplicates']}"
                ),
                "Jobs held by the killed worker": (
                    f"{len(held)} ({', '.join(held_status)} after recovery)"
                ),
                "Recovery (SIGKILL to the last mail sent)": (
                    f"{recovery:.1f} s (a worker counts as dead after {STALLED_SECONDS} s)"
                ),
            }
        )
        expect(mails["sent"] == count, f"{count - mails['sent']} mails lost")
        expect(mails["duplicates"] == 0, f"{mails['duplicates']} mails sent twice")
        expect(mails["message_ids"] == count, "two mails shared a Message-ID")
        expect(
            held_status == ["succeeded"] * len(held),
            f"the killed worker's jobs ended {held_status}",
        )
        expect(mail_jobs().get("failed", 0) == 0, "failed mail jobs")
        return (
            f"worker 1 killed holding job {held}; recovered by the other worker after "
            f"{recovery:.1f} s; {mails['sent']}/{count} mails, none twice"
        )


class Load:
    """Clients looping over a few pages through nginx until stopped; every answer of 500 or
    more and every connection error is kept."""

    def __init__(self, proxy: str, clients: int = 4):
        self.proxy, self.clients = proxy, clients
        self.done, self.errors = 0, []
        self.lock = threading.Lock()
        self.running = threading.Event()
        self.threads = []

    def start(self) -> None:
        self.running.set()
        for n in range(self.clients):
            thread = threading.Thread(target=self._loop, args=(n,), daemon=True)
            thread.start()
            self.threads.append(thread)

    def _loop(self, n: int) -> None:
        import requests

        session = requests.Session()
        i = n
        while self.running.is_set():
            path = LOAD_PAGES[i % len(LOAD_PAGES)]
            i += 1
            try:
                status = session.get(self.proxy + path, timeout=60).status_code
                error = f"{path}: {status}" if status >= 500 else None
            except requests.RequestException as failure:
                error = f"{path}: {failure.__class__.__name__}"
            with self.lock:
                self.done += 1
                if error:
                    self.errors.append(error)

    def stop(self) -> None:
        self.running.clear()
        for thread in self.threads:
            thread.join(timeout=90)

    @staticmethod
    def retried(log: Path, port: int) -> int:
        """GETs that nginx sent to `port` first, then to the other instance."""
        return len(re.findall(rf'"GET [^"]*".*upstream="127\.0\.0\.1:{port}, ', log.read_text()))


# --- set-up, run, report --------------------------------------------------------------------


def create_data() -> dict:
    """A city, a theme and the drill's accounts (no two-factor: MFA_REQUIRED=none)."""
    from django.urls import reverse
    from django.utils import translation

    from accounts.services import user_create
    from cities.models import City, CityCoordinator
    from experiences.models import Theme

    city = City.objects.create(
        name="Ciudad del Simulacro",
        slug="simulacro",
        country="UY",
        state_province="Montevideo",
        latitude="-34.900000",
        longitude="-56.160000",
        summary="Resumen original.",
    )
    theme = Theme.objects.create(
        slug="simulacro", name_es="Simulacro", name_pt_br="Simulado", name_en="Drill"
    )
    accounts = {
        "coordinator": "coordinadora@simulacro.example",
        "locked": "bloqueada@simulacro.example",
        "reset": "olvido@simulacro.example",
    }
    for email_address in accounts.values():
        user = user_create(email=email_address, name=email_address.split("@")[0], password=PASSWORD)
        CityCoordinator.objects.create(user=user, city=city)
    with translation.override("en"):
        city_path = reverse("cities:detail", kwargs={"slug": city.slug})
    return {**accounts, "city_id": city.pk, "theme_id": theme.pk, "city_path": city_path}


def cluster_env(
    database_url: str, proxy_port: int, mail: MailServer, s3_endpoint: str, bucket: str
) -> dict:
    env = serving.production_env(database_url, proxy_port, RUN / "static")
    env.update(
        DJANGO_SETTINGS_MODULE="utds.settings",
        CACHE_URL=REDIS,
        TRUSTED_PROXY_COUNT="1",
        MFA_REQUIRED="none",
        MEDIA_ROOT=str(RUN / "media"),
        AWS_STORAGE_BUCKET_NAME=bucket,
        AWS_S3_ENDPOINT_URL=s3_endpoint,
        AWS_ACCESS_KEY_ID="cluster-drill",
        AWS_SECRET_ACCESS_KEY="cluster-drill",  # noqa: S106 - moto's, on loopback
        AWS_S3_REGION_NAME="us-east-1",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(mail.port),
        EMAIL_USE_TLS="0",
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        TASKS_STALLED_SECONDS=str(STALLED_SECONDS),
    )
    for name in ("SENTRY_DSN", "PROMETHEUS_MULTIPROC_DIR", "PGDATA_DIR"):
        env.pop(name, None)
    return env


def report(drill: Drill, facts: dict, seconds: float) -> list[str]:
    passed = all(ok for _name, _detail, ok in drill.rows)
    lines = [
        "## Cluster drill (`make cluster-drill`)",
        "",
        f"Run on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit "
        f"{serving.git_commit()[:12]}, in {seconds:.0f} s: nginx {facts['nginx']} with "
        "deploy/nginx/utds.conf on 127.0.0.1 in front of two gunicorn instances "
        f"({WEB_WORKERS} sync workers each, started with deploy/systemd/utds-web.service's "
        "command) and two Procrastinate workers (utds-worker.service's), DEBUG off, one "
        "fresh PostgreSQL database, one Redis database (page cache, rate limits), a private "
        "bucket of moto's S3 server and an SMTP server of the drill that records every "
        "message. The drill's accounts log in without two-factor (MFA_REQUIRED=none, "
        "created by the drill through accounts.services.user_create) and nginx speaks plain "
        "HTTP on loopback (SECURE_SSL_REDIRECT=0). A worker counts as dead after "
        f"{STALLED_SECONDS} s without a heartbeat (TASKS_STALLED_SECONDS); the drill runs "
        "the stalled-jobs task as soon as a job is stalled instead of waiting for its "
        "5-minute schedule. The mail server answers 0.2–0.3 s late at the greeting during "
        "the stop and kill checks, so that workers hold jobs when they are signalled; a kill "
        "in the milliseconds between the mail server accepting a message and the worker's "
        "commit would still send that one message twice (SMTP has no idempotency key), and "
        "the drill does not aim at that window.",
        "",
        "| Machine | |",
        "|---|---|",
        *[f"| {key} | {value} |" for key, value in facts["machine"].items()],
        "",
        "| Check | Result |",
        "|---|---|",
        *[f"| {name} | {detail.replace('|', '/')} |" for name, detail, _ok in drill.rows],
        "",
        "| Figure | Value |",
        "|---|---|",
        *[f"| {key} | {value} |" for key, value in drill.figures.items()],
        "",
        "Result: " + ("every check passed." if passed else "FAILED (see the rows marked FAILED)."),
    ]
    return lines


def _try_lock(lock) -> bool:
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def main() -> int:
    started = time.monotonic()
    binary = nginx_binary()
    nginx_version = (
        subprocess.run(  # noqa: S603
            [binary, "-v"], capture_output=True, text=True, check=False
        )
        .stderr.strip()
        .split("/")[-1]
    )
    shutil.rmtree(RUN, ignore_errors=True)
    RUN.mkdir(parents=True)
    # nginx's workers run as an unprivileged user when the drill is root: they must read here.
    os.chmod(RUN, 0o755)  # noqa: S103  # nosec B103

    import boto3
    import redis
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer

    say(f"fresh database {DATABASE} on {POSTGRES.split('@')[-1]}; Redis {REDIS}")
    database_url = serving.recreate_database(POSTGRES, DATABASE)
    redis.Redis.from_url(REDIS).flushdb()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's access log
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    host, port = moto.get_host_and_port()
    s3_endpoint = f"http://{host}:{port}"
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="cluster-drill",
        aws_secret_access_key="cluster-drill",  # noqa: S106
    )
    bucket = "utds-cluster-drill"
    s3.create_bucket(Bucket=bucket)
    mail = MailServer()
    proxy_port = serving.free_port()
    web_ports = {"a": serving.free_port(), "b": serving.free_port()}
    env = cluster_env(database_url, proxy_port, mail, s3_endpoint, bucket)
    cluster = Cluster(env, proxy_port, web_ports)
    drill = None
    try:
        serving.manage(env, "migrate", "--noinput", "-v", "0", timeout=900)
        serving.manage(env, "collectstatic", "--noinput", "-v", "0", timeout=900)
        os.environ.update(env)
        import django

        django.setup()
        data = create_data()
        facts = {
            "nginx": nginx_version,
            "machine": serving.machine(sql("SHOW server_version")[0][0]),
        }
        cluster.start_web("a")
        cluster.start_web("b")
        cluster.start_worker("worker-1")
        cluster.start_worker("worker-2")
        cluster.start_nginx(binary)
        drill = Drill(cluster, mail, s3, bucket, data)
        drill.check("nginx: static files, size cap", drill.proxy_basics)
        drill.check("Edit through A seen through B (page cache)", drill.edit_seen_everywhere)
        drill.check("Upload through A, download through B, /media/ refused", drill.upload_download)
        drill.check("Task deferred by A runs once", drill.task_once)
        drill.check("Rate limits across both instances", drill.rate_limits)
        drill.check("SIGTERM to A and worker 1 under load", drill.stop_under_load)
        drill.check("SIGKILL to a worker holding mail tasks", drill.kill_worker)
    except DrillError as failure:
        say(f"the cluster did not start: {failure}; logs in var/cluster/")
        return 1
    finally:
        cluster.stop_all()
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        moto.stop()
        mail.shutdown()
    seconds = time.monotonic() - started
    lines = report(drill, facts, seconds)
    serving.write_section(OUTPUT, START, END, lines, "# Operations")
    print("\n".join(lines), flush=True)
    say(f"results in {OUTPUT.relative_to(BASE_DIR)}; logs in var/cluster/")
    with contextlib.suppress(Exception):
        serving.drop_database(POSTGRES, DATABASE)
    return 0 if all(ok for _name, _detail, ok in drill.rows) else 1


if __name__ == "__main__":
    # One drill at a time on this machine: they share the database name, Redis database and
    # var/cluster/.
    (BASE_DIR / "var").mkdir(exist_ok=True)
    with open(BASE_DIR / "var" / "cluster.lock", "w") as lock:
        if not _try_lock(lock):
            say("another cluster drill is running here; waiting for it to end")
            fcntl.flock(lock, fcntl.LOCK_EX)
        sys.exit(main())
