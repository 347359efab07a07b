"""The machinery of the cluster drill (scripts/cluster_drill.py): the cluster's processes
started from deploy/ (nginx with its site, gunicorn and task workers with the systemd units'
command lines), a mail server that records what it receives, and a browser that speaks to
nginx or, as nginx would, to one app server directly."""

import contextlib
import email
import email.policy
import html.parser
import os
import re
import shlex
import shutil
import signal
import socketserver
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path

import serving
from serving import say

BASE_DIR = serving.BASE_DIR
RUN = BASE_DIR / "var" / "cluster"
SITE = BASE_DIR / "deploy" / "nginx" / "utds.conf"
WEB_UNIT = BASE_DIR / "deploy" / "systemd" / "utds-web.service"
WORKER_UNIT = BASE_DIR / "deploy" / "systemd" / "utds-worker.service"
WEB_WORKERS = int(os.environ.get("CLUSTER_WEB_WORKERS") or 2)
CLIENT = "198.51.100.10"  # the visitor's address nginx would forward


class DrillError(Exception):
    """A check that failed; the drill carries on with the next group of checks."""


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise DrillError(message)


def poll(what: str, seconds: float, test, every: float = 0.5):
    """test()'s first truthy answer, asked every `every` s for at most `seconds` s."""
    deadline = time.monotonic() + seconds
    while True:
        answer = test()
        if answer:
            return answer
        if time.monotonic() > deadline:
            raise DrillError(f"{what}: not within {seconds:.0f} s")
        time.sleep(every)


# --- the mail server ----------------------------------------------------------------------


class _SmtpSession(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        server = self.server
        # A slow server answers late from the start: a worker killed meanwhile has handed
        # nothing over yet.
        time.sleep(server.greeting_delay)
        self.reply("220 cluster-drill ESMTP")
        lines, in_data = [], False
        while line := self.rfile.readline():
            if in_data:
                if line.rstrip(b"\r\n") == b".":
                    server.deliver(b"".join(lines))
                    lines, in_data = [], False
                    self.reply("250 2.0.0 queued")
                else:
                    lines.append(line[1:] if line.startswith(b"..") else line)
                continue
            verb = line[:4].upper()
            if verb == b"DATA":
                in_data = True
                self.reply("354 end with <CRLF>.<CRLF>")
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            else:  # EHLO/HELO, MAIL, RCPT, RSET, NOOP
                self.reply("250 ok")


class MailServer(socketserver.ThreadingTCPServer):
    """An SMTP server on the loopback address that keeps every message it accepts."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SmtpSession)
        self.greeting_delay = 0.0
        self.lock = threading.Lock()
        self.messages: list[dict] = []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def deliver(self, data: bytes) -> None:
        message = email.message_from_bytes(data, policy=email.policy.default)
        with self.lock:
            self.messages.append(
                {
                    "subject": str(message["Subject"] or ""),
                    "to": str(message["To"] or ""),
                    "message_id": str(message["Message-ID"] or ""),
                    "at": time.monotonic(),
                }
            )

    def received(self, marker: str) -> list[dict]:
        with self.lock:
            return [m for m in self.messages if marker in m["subject"] or marker in m["to"]]


# --- HTTP as a browser does it ------------------------------------------------------------


class Browser:
    """One visitor with its cookies. Towards an app server directly it sends the headers nginx
    would (Host: the name alone; X-Forwarded-For: its address; X-Forwarded-Proto: http)."""

    def __init__(self, proxy: str, address: str = CLIENT):
        import requests

        self.http = requests.Session()
        self.proxy = proxy
        self.address = address

    def request(self, method: str, url: str, headers=None, **kwargs):
        headers = dict(headers or {})
        if not url.startswith(self.proxy):
            headers = {
                "Host": "127.0.0.1",
                "X-Forwarded-For": self.address,
                "X-Forwarded-Proto": "http",
                **headers,
            }
        kwargs.setdefault("timeout", 60)
        answer = self.http.request(method, url, headers=headers, allow_redirects=False, **kwargs)
        # The portal's cookies are Secure (DEBUG off); the drill's plain HTTP still sends them.
        for cookie in self.http.cookies:
            cookie.secure = False
        return answer

    def get(self, url: str, **kwargs):
        return self.request("GET", url, **kwargs)

    def form(self, url: str, field: str) -> dict:
        """The form holding `field` on the page at `url`, with the URL it posts to."""
        page = self.get(url)
        expect(page.status_code == 200, f"GET {url} answered {page.status_code}")
        form = form_with(page.text, field)
        expect(form is not None, f"no form with a {field!r} field at {url}")
        return {**form, "url": urllib.parse.urljoin(url, form["action"] or url)}

    def post(self, form: dict, changes: dict, files=None, headers=None):
        """POST `form` filled with `changes` (a list value gives several values); the
        answer, not followed."""
        data = [(name, value) for name, value in form["fields"] if name not in changes]
        for name, value in changes.items():
            data += [(name, item) for item in (value if isinstance(value, list) else [value])]
        return self.request("POST", form["url"], data=data, files=files, headers=headers)

    def submit(self, url: str, field: str, changes: dict, files=None, headers=None):
        """GET the page at `url` and POST its form holding `field`, filled with `changes`."""
        return self.post(self.form(url, field), changes, files=files, headers=headers)


class _Forms(html.parser.HTMLParser):
    """The forms of a page: action, field names, and the values a browser would send."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._text, self._select = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action") or "", "fields": [], "names": set()}
            self.forms.append(self._form)
            return
        if self._form is None or (not a.get("name") and tag != "option"):
            return
        if tag in {"input", "textarea", "select"}:
            self._form["names"].add(a["name"])
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self._form["fields"].append((a["name"], a.get("value") or ""))
        elif tag == "textarea":
            self._text = [a["name"], []]
        elif tag == "select":
            self._select = {"name": a["name"], "multiple": "multiple" in a, "all": [], "on": []}
        elif tag == "option" and self._select is not None:
            self._select["all"].append(a.get("value") or "")
            if "selected" in a:
                self._select["on"].append(a.get("value") or "")

    def handle_data(self, data):
        if self._text is not None:
            self._text[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._text is not None:
            text = "".join(self._text[1])
            self._form["fields"].append((self._text[0], text.removeprefix("\n")))
            self._text = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["on"]
            if not chosen and not self._select["multiple"] and self._select["all"]:
                chosen = self._select["all"][:1]
            self._form["fields"] += [(self._select["name"], value) for value in chosen]
            self._select = None


def form_with(page: str, field: str) -> dict | None:
    parser = _Forms()
    parser.feed(page)
    return next((form for form in parser.forms if field in form["names"]), None)


# --- the cluster's processes --------------------------------------------------------------


def unit_command(unit: Path, replacements: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """The ExecStart of a systemd unit as an argument list, with its ${…} variables and
    program paths replaced; and its other settings (KillSignal, TimeoutStopSec…)."""
    settings = {}
    for line in unit.read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            settings.setdefault(key.strip(), value.strip())
    command = settings["ExecStart"]
    for old, new in replacements.items():
        expect(old in command, f"{unit.name}: ExecStart no longer has {old!r}; update the drill")
        command = command.replace(old, new)
    return shlex.split(command), settings


def render_site(port: int, upstreams: list[int], static_root: Path, logs: Path) -> str:
    """deploy/nginx/utds.conf on 127.0.0.1:`port` in front of the given gunicorn ports."""
    text = SITE.read_text()

    def one(old: str, new: str) -> None:
        nonlocal text
        expect(text.count(old) == 1, f"{SITE.name}: expected {old!r} once; update the drill")
        text = text.replace(old, new)

    instance = re.search(r"^( *)server 127\.0\.0\.1:8000 ([^;]*;).*\n", text, re.MULTILINE)
    expect(instance is not None, f"{SITE.name}: no 'server 127.0.0.1:8000' upstream line")
    indent, parameters = instance.group(1), instance.group(2)
    one(
        instance.group(0),
        "".join(f"{indent}server 127.0.0.1:{p} {parameters}\n" for p in upstreams),
    )
    one("listen 80 default_server;", f"listen 127.0.0.1:{port} default_server;")
    one("    listen [::]:80 default_server;\n", "")
    one("listen 80;", f"listen 127.0.0.1:{port};")
    one("    listen [::]:80;\n", "")
    one("server_name utds.example.org;", "server_name 127.0.0.1;")
    one("alias /srv/utds/static/;", f"alias {static_root}/;")
    one("/var/log/nginx/utds.access.log", str(logs / "access.log"))
    one("/var/log/nginx/utds.error.log", str(logs / "error.log"))
    return text


NGINX_MAIN = """worker_processes 1;
pid {run}/nginx.pid;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {run}/tmp/body;
    proxy_temp_path {run}/tmp/proxy;
    fastcgi_temp_path {run}/tmp/fastcgi;
    uwsgi_temp_path {run}/tmp/uwsgi;
    scgi_temp_path {run}/tmp/scgi;
    include {run}/utds.conf;
}}
"""


def nginx_binary() -> str:
    found = shutil.which("nginx", path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("nginx is not installed: run `sudo apt-get install -y nginx` first.")
    say("installing nginx from Debian (apt-get install -y nginx)")
    apt = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=apt)  # noqa: S607
    subprocess.run(["apt-get", "install", "-y", "-qq", "nginx"], check=True, env=apt)  # noqa: S607
    # Debian starts the system service on install where it can; the drill never uses it.
    return shutil.which("nginx", path="/usr/sbin:/usr/bin") or "/usr/sbin/nginx"


class Cluster:
    """The processes of the drill, by name, with their logs in var/cluster/."""

    def __init__(self, env: dict, proxy_port: int, web_ports: dict[str, int]):
        self.env, self.proxy_port, self.web_ports = env, proxy_port, web_ports
        self.proxy = f"http://127.0.0.1:{proxy_port}"
        self.processes: dict[str, subprocess.Popen] = {}
        self.worker_ids: dict[str, int] = {}

    def base(self, name: str) -> str:
        return f"http://127.0.0.1:{self.web_ports[name]}"

    def _spawn(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        log = open(RUN / f"{name}.log", "ab")  # noqa: SIM115 - kept open for the child
        process = subprocess.Popen(  # noqa: S603
            command,
            env=env,
            cwd=BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.processes[name] = process
        return process

    def start_web(self, name: str) -> None:
        port = self.web_ports[name]
        command, _unit = unit_command(
            WEB_UNIT,
            {
                "/srv/utds/app/.venv/bin/gunicorn": str(serving.BIN / "gunicorn"),
                "${UTDS_BIND}": f"127.0.0.1:{port}",
                "${UTDS_WEB_WORKERS}": str(WEB_WORKERS),
            },
        )
        metrics = RUN / f"metrics-{name}"  # the unit's RuntimeDirectory: new at each start
        shutil.rmtree(metrics, ignore_errors=True)
        metrics.mkdir()
        say(f"gunicorn {name} on 127.0.0.1:{port} ({WEB_WORKERS} workers)")
        process = self._spawn(name, command, {**self.env, "PROMETHEUS_MULTIPROC_DIR": str(metrics)})
        serving.wait_healthy(self.base(name), process, seconds=180)

    def start_worker(self, name: str) -> None:
        command, _unit = unit_command(
            WORKER_UNIT, {"/srv/utds/app/.venv/bin/python": serving.PYTHON}
        )
        before = newest_worker_id()
        say(f"task worker {name}")
        process = self._spawn(name, command, self.env)

        def registered():
            expect(
                process.poll() is None, f"worker {name} exited at start; see var/cluster/{name}.log"
            )
            newest = newest_worker_id()
            return newest if newest > before else None

        self.worker_ids[name] = poll(f"worker {name} registering", 180, registered)

    def start_nginx(self, binary: str) -> None:
        logs = RUN / "nginx"
        (RUN / "tmp").mkdir(parents=True, exist_ok=True)
        logs.mkdir(parents=True, exist_ok=True)
        site = render_site(self.proxy_port, list(self.web_ports.values()), RUN / "static", logs)
        (RUN / "utds.conf").write_text(site)
        (RUN / "nginx.conf").write_text(NGINX_MAIN.format(run=RUN))
        command = [
            binary,
            "-p",
            f"{RUN}/",
            "-e",
            str(logs / "startup.log"),
            "-c",
            str(RUN / "nginx.conf"),
        ]
        checked = subprocess.run(  # noqa: S603
            [*command, "-t", "-q"], capture_output=True, text=True, check=False
        )
        expect(checked.returncode == 0, f"nginx -t refused the site: {checked.stderr.strip()}")
        say(f"nginx {self.proxy} in front of {', '.join(map(str, self.web_ports.values()))}")
        process = self._spawn("nginx", [*command, "-g", "daemon off;"], self.env)
        serving.wait_healthy(self.proxy, process, seconds=60)

    def signal(self, name: str, sig: int) -> None:
        os.kill(self.processes[name].pid, sig)

    def wait_exits(self, names: list[str], seconds: float, since: float) -> dict:
        """{name: (exit code, seconds from `since`, the signal, to its exit)}, watching the
        processes together; fails when one still runs `seconds` after `since`."""
        exits = {}
        while len(exits) < len(names):
            for name in names:
                code = self.processes[name].poll()
                if name not in exits and code is not None:
                    exits[name] = (code, time.monotonic() - since)
            late = [name for name in names if name not in exits]
            if late and time.monotonic() - since > seconds:
                raise DrillError(
                    f"{', '.join(late)} still running {seconds:.0f} s after the signal"
                )
            time.sleep(0.05)
        return exits

    def stop_all(self) -> None:
        for name, process in reversed(list(self.processes.items())):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(process.pid, signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
        for process in self.processes.values():
            serving.wait_or_kill(process, 40)


# --- the database, as seen from the drill -------------------------------------------------


def sql(query: str, params=()) -> list[tuple]:
    """Rows of `query` on the cluster's database (the drill's own Django connection)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def newest_worker_id() -> int:
    return sql("SELECT coalesce(max(id), 0) FROM procrastinate_workers")[0][0]
