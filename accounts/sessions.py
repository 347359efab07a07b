"""Session lifetimes and ending sessions.

A logged-in session ends after SESSION_IDLE_SECONDS without a request, and in any case
SESSION_MAX_SECONDS after the login; the secretariat's limits are shorter. The login time,
the last activity and the limits are kept in the session itself (set at login), so the
check costs no query; the last activity is written at most once a minute.
"""

import copy
import functools
import time

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import login
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.translation import gettext as _
from ua_parser import parse as parse_user_agent

from .permissions import is_secretariat

LOGIN_AT = "utds.login_at"
SEEN_AT = "utds.seen_at"
LIMITS = "core.limits"
HAS_TOTP = "utds.has_totp"
# The last activity is rewritten only when older than this (one session write a minute).
TOUCH_SECONDS = 60


def now() -> int:
    return int(time.time())


def limits_for(user) -> tuple[int, int]:
    """(idle seconds, absolute seconds) of the user's sessions."""
    if is_secretariat(user):
        return (
            settings.SESSION_IDLE_SECONDS_SECRETARIAT,
            settings.SESSION_MAX_SECONDS_SECRETARIAT,
        )
    return settings.SESSION_IDLE_SECONDS, settings.SESSION_MAX_SECONDS


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def start(request, user) -> None:
    """Stamp a new login's session (receiver of django.contrib.auth's user_logged_in)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    moment = now()
    session[LOGIN_AT] = moment
    session[SEEN_AT] = moment
    # A copy: the roles cached by is_secretariat() stay off the caller's user object.
    session[LIMITS] = list(limits_for(copy.copy(user)))
    session[HAS_TOTP] = has_totp(user)


def on_login(sender, request, user, **kwargs):
    start(request, user)


def end_user_sessions(user, *, keep_session_key: str | None = None) -> int:
    """End every session of `user` the portal knows of, except `keep_session_key`.

    Sessions are listed by allauth's user sessions (one row per login). A deactivated
    user's remaining sessions would be refused anyway (Django does not load an inactive
    user), this removes them for good. Returns how many were ended.
    """

    ended = 0
    for user_session in UserSession.objects.filter(user=user):
        if user_session.session_key != keep_session_key:
            user_session.end()
            ended += 1
    return ended


def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    if authenticator.type == Authenticator.Type.TOTP and hasattr(request, "session"):
        request.session[HAS_TOTP] = True
        # The person has just typed a code of the app: the recovery codes shown next do not
        # ask for the password again, however long installing the app took.
        record_authentication(
            request, user, method="mfa", type=authenticator.type, reauthenticated=True
        )


def login_with_new_password(request, user) -> None:
    """Log in a person who has just chosen their password (an accepted invitation).

    Choosing it counts as typing it again, so setting up two-factor authentication right
    after (allauth asks for a recent password first) does not ask for it once more.
    """
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    record_authentication(request, user, method="password", reauthenticated=True)


def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    if authenticator.type == Authenticator.Type.TOTP and hasattr(request, "session"):
        request.session.pop(HAS_TOTP, None)


def live_user_sessions(user) -> list:
    """The user's sessions that still exist, oldest first; rows of ended ones are dropped.

    Two queries whatever the number of sessions (allauth's own list reads each session and
    its user one by one).
    """

    listed = list(UserSession.objects.filter(user=user).order_by("created_at"))
    live = set(
        Session.objects.filter(
            session_key__in=[row.session_key for row in listed], expire_date__gt=timezone.now()
        ).values_list("session_key", flat=True)
    )
    dead = [row.pk for row in listed if row.session_key not in live]
    if dead:
        UserSession.objects.filter(pk__in=dead).delete()
    return [row for row in listed if row.session_key in live]


def on_password_changed(sender, request, user, **kwargs):
    """A password change or set ends every other session of the user at once."""
    end_user_sessions(user, keep_session_key=request.session.session_key)


def end_user_session(user, pk: int, *, keep_session_key: str | None = None) -> bool:
    """End one session of `user` (by its row in allauth's user sessions); never
    `keep_session_key`, the one making the request. False when there is no such session."""

    user_session = (
        UserSession.objects.filter(user=user, pk=pk).exclude(session_key=keep_session_key).first()
    )
    if user_session is None:
        return False
    user_session.end()
    return True


# Devices whose name says more than their system's ("Safari on iPhone").
NAMED_DEVICES = {"iPhone", "iPad", "iPod", "Mac"}


@functools.lru_cache(maxsize=256)
def _parsed(user_agent: str) -> tuple[str, str, str]:
    result = parse_user_agent(user_agent[:512])
    browser = result.user_agent.family if result.user_agent else ""
    system = result.os.family if result.os else ""
    device = result.device.family if result.device else ""
    return browser, system, "" if device in ("Other", "Generic Smartphone") else device


def describe_user_agent(user_agent: str) -> str:
    """ "Chrome on Linux", "Safari on iPhone", "Chrome on Android (Samsung SM-S918B)": the
    browser, system and device of a session, read by ua-parser; in the current language."""
    browser, system, device = _parsed(user_agent or "")
    # "Mobile Safari", "Chrome Mobile": the device already says it is a phone.
    browser = " ".join(word for word in browser.split() if word != "Mobile")
    if not browser or browser == "Other":
        browser = _("Unknown browser")
    if device in NAMED_DEVICES:
        place = device
    elif system and system != "Other" and device:
        place = f"{system} ({device})"
    elif system and system != "Other":
        place = system
    else:
        place = device
    if not place:
        return browser
    return _("%(browser)s on %(place)s") % {"browser": browser, "place": place}
