"""Load on one page of a running portal: wrk at saturation, a fixed-rate client that counts
queueing, and the bytes the page and its assets transfer."""

import gzip
import http.client
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

from serving import say

ACCEPT = {"Accept-Encoding": "gzip", "User-Agent": "utds-bench"}
REQUEST_TIMEOUT = 10  # seconds, for every request of the load generators
RATE_THREADS = 32  # in-flight requests of the fixed-rate generator at most


def grace(seconds: int) -> int:
    """How long after a fixed-rate run of `seconds` an unsent request is dropped (and counted)."""
    return max(REQUEST_TIMEOUT, seconds)


WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %d %d %d %d\\n",
    summary.requests, summary.duration, summary.bytes, e.status,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


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
    deadline = start + seconds + grace(seconds)
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
