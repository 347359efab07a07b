"""The security log: one line per event, with the user and the client address.

Lines go to the logger "utds.security" (stderr with the rest of the log, see settings
LOGGING); an operator can route that logger elsewhere. Nothing secret is written: no
passwords, codes or session keys.
"""

import logging

from allauth.core import context
from allauth.core.internal.httpkit import get_client_ip
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("utds.security")


def client_address(request) -> str:
    """The visitor's address as the rate limits see it (behind TRUSTED_PROXY_COUNT proxies)."""
    if request is None or not hasattr(request, "META"):
        return "-"
    try:
        return get_client_ip(request) or "-"
    except ImproperlyConfigured:  # fewer X-Forwarded-For entries than trusted proxies
        return request.META.get("REMOTE_ADDR") or "-"


def _clean(value) -> str:
    """One token of a log line: no spaces or control characters (a typed login cannot start
    a forged line), at most 200 characters."""
    text = str(value)[:200]
    return "".join(char if char.isprintable() and not char.isspace() else "_" for char in text)


def _user_label(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous"
    return f"{user.pk}:{user.email}"


def log_event(event: str, /, request=None, user=None, level=logging.INFO, **details) -> None:
    """Write `event user=… ip=… key=value…` to the security log.

    Without `request`, the request being answered is taken from allauth's context (set by
    its middleware), so a service can log the client address too.
    """
    if request is None:
        request = context.request
    if user is None and request is not None:
        user = getattr(request, "user", None)
    extra = " ".join(f"{key}={_clean(value)}" for key, value in details.items())
    logger.log(
        level,
        "%s user=%s ip=%s%s",
        event,
        _user_label(user),
        client_address(request),
        f" {extra}" if extra else "",
    )


# --- Signal receivers, connected in AccountsConfig.ready() ---------------------------------


def on_login(sender, request, user, **kwargs):
    log_event("login.success", request, user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password; only the login typed is kept.
    login = credentials.get("email") or credentials.get("username") or "-"
    log_event("login.failure", request, None, level=logging.WARNING, login=login)


def on_mfa_failed(sender, request, user, **kwargs):
    log_event("mfa.failure", request, user, level=logging.WARNING)


def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    log_event("mfa.added", request, user, type=authenticator.type)


def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    log_event("mfa.removed", request, user, level=logging.WARNING, type=authenticator.type)
