"""What an operator sees of the running portal: errors without personal data (Sentry or
queued admin e-mails), log lines tagged with the request id, and the task queue's backlog."""

import contextvars
import datetime
import hashlib
import hmac
import json
import logging
import re
import uuid

from django.conf import settings
from django.core.signals import request_finished
from django.db import connection
from django.dispatch import receiver
from django.utils.log import AdminEmailHandler

# --- Errors without personal data (Sentry's before_send) -------------------------------------

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Client addresses in log messages: IPv4, and whatever follows "ip=" (the security log's IPv6).
ADDRESS = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])|(?<=\bip=)[^\s,;]+")
FILTERED = "[Filtered]"
# Keys whose values are never sent, wherever they appear (headers, local variables, extra).
SECRET_KEYS = re.compile(
    r"authorization|cookie|csrf|session|password|passwd|secret|token|api_?key|signature|"
    r"credential|^(e-?mail|email_address|otp|code|key|ip|ip_address|remote_addr)$",
    re.IGNORECASE,
)
# Random-looking path parts of a URL: password-reset keys, invitation and download tokens.
URL_TOKEN = re.compile(r"(?<=/)(?=[A-Za-z0-9_:-]*\d)[A-Za-z0-9_:-]{20,}")


def opaque_user_id(user_id) -> str:
    """A stable pseudonym for a user id: the same person's errors group together, but the
    id itself (and so the account) cannot be read back without the portal's secret key."""
    digest = hmac.new(settings.SECRET_KEY.encode(), str(user_id).encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def _secret(key) -> bool:
    return isinstance(key, str) and SECRET_KEYS.search(key) is not None


def _scrub(value, depth=0):
    if depth > 20:
        return FILTERED
    if isinstance(value, str):
        return ADDRESS.sub("[ip]", EMAIL.sub("[email]", value))
    if isinstance(value, dict):
        return {
            key: FILTERED if _secret(key) else _scrub(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrub(item, depth + 1) for item in value]
    return value


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """Sentry's before_send: drop the request's body, cookies and identifying headers, keep
    the user as an opaque id only, and blank e-mail addresses and secret-looking keys
    everywhere else (messages, breadcrumbs, exception values, local variables)."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "env"):
            request.pop(key, None)
        for key in ("url", "query_string"):
            if isinstance(request.get(key), str):
                request[key] = URL_TOKEN.sub("[token]", request[key])
        if request.get("query_string"):
            request["query_string"] = re.sub(
                r"(?i)((?:key|token|code|email|password)[^=&]*)=[^&]*",
                r"\1=" + FILTERED,
                request["query_string"],
            )
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value
                for name, value in headers.items()
                if not re.search(r"authorization|cookie|csrf|forwarded|real-ip", name, re.I)
            }
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": opaque_user_id(user["id"])} if user.get("id") else {}
    event.pop("server_name", None)
    return _scrub(event)


# --- The request id --------------------------------------------------------------------------

_request_id = contextvars.ContextVar("request_id", default="-")
# A proxy's id is kept when it is a plain token (nginx's $request_id, a UUID, a trace id).
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")


def current_request_id() -> str:
    """The id of the request being handled in this context, or "-" outside a request."""
    return _request_id.get()


class RequestIdMiddleware:
    """Take the proxy's X-Request-ID when it is a sane token, else make one; every log record
    of the request carries it (RequestIdFilter) and the response sends it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.headers.get("X-Request-ID", "")
        if not SANE_REQUEST_ID.fullmatch(request_id):
            request_id = uuid.uuid4().hex
        request.request_id = request_id
        # Kept until the response is closed: Django logs a 4xx/5xx after the middlewares.
        _request_id.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


@receiver(request_finished, dispatch_uid="core.observability.forget_request_id")
def forget_request_id(**kwargs):
    _request_id.set("-")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record passing the handler it is attached to."""

    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line (LOG_FORMAT=json): time in UTC, level, logger, message,
    request id, process, and the traceback when there is one."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "process": record.process,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class QueuedAdminEmailHandler(AdminEmailHandler):
    """Django's error e-mail to ADMINS, queued through core.mail.send_after_commit like every
    other e-mail, so a mail server that is down delays it instead of losing it."""

    def send_mail(self, subject, message, *args, **kwargs):
        from django.core.mail import EmailMultiAlternatives

        from .mail import send_after_commit

        if not settings.ADMINS:
            return
        mail = EmailMultiAlternatives(
            subject=f"{settings.EMAIL_SUBJECT_PREFIX}{subject}",
            body=message,
            from_email=settings.SERVER_EMAIL,
            to=[address for _name, address in settings.ADMINS],
        )
        if kwargs.get("html_message"):
            mail.attach_alternative(kwargs["html_message"], "text/html")
        send_after_commit([mail])


# --- The task queue's backlog ----------------------------------------------------------------

BACKLOG_SQL = """
SELECT
    count(*) FILTER (WHERE status = 'todo'),
    count(*) FILTER (WHERE status = 'doing'),
    count(*) FILTER (WHERE status = 'failed'),
    (
        SELECT EXTRACT(EPOCH FROM now() - min(ready.at))
        FROM (
            SELECT GREATEST(
                job.scheduled_at,
                (SELECT max(event.at) FROM procrastinate_events event WHERE event.job_id = job.id)
            ) AS at
            FROM procrastinate_jobs job
            WHERE job.status = 'todo' AND (job.scheduled_at IS NULL OR job.scheduled_at <= now())
        ) ready
    )
FROM procrastinate_jobs
"""


def task_backlog() -> dict | None:
    """Jobs waiting (todo), running (doing) and failed, and how long the oldest job that is
    due has waited, in seconds (None when none waits); None when the queue's tables do not
    exist. Two queries."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return None
        cursor.execute(BACKLOG_SQL)
        todo, doing, failed, oldest = cursor.fetchone()
    return {
        "todo": todo,
        "doing": doing,
        "failed": failed,
        "oldest_todo_seconds": None if oldest is None else round(float(oldest), 1),
    }
