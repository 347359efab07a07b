"""Per-request account rules: session lifetimes and the two-factor requirement."""

from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from . import sessions
from .permissions import mfa_required
from .security import client_address, log_event


class SessionLifetimeMiddleware:
    """Log out a session that was idle too long or is older than its absolute lifetime."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self.check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def check(self, request):
        session = request.session
        moment = sessions.now()
        login_at, seen_at = session.get(sessions.LOGIN_AT), session.get(sessions.SEEN_AT)
        if login_at is None or seen_at is None:
            # A session from before these rules: its lifetime starts now.
            session[sessions.LOGIN_AT] = session[sessions.SEEN_AT] = moment
            return None
        idle, lifetime = session.get(sessions.LIMITS) or sessions.limits_for(request.user)
        if moment - seen_at > idle or moment - login_at > lifetime:
            log_event("session.expired", request, request.user, idle=moment - seen_at)
            logout(request)
            messages.info(request, _("Your session has ended. Log in again to continue."))
            return redirect_to_login(request.get_full_path())
        if moment - seen_at >= sessions.TOUCH_SECONDS:
            session[sessions.SEEN_AT] = moment
            self.track(request)
        return None

    def track(self, request):
        UserSession.objects.filter(session_key=request.session.session_key).update(
            last_seen_at=timezone.now(), ip=client_address(request)
        )


# URL names a user who must set up two-factor authentication may still open.
MFA_EXEMPT_NAMES = {"account_logout", "account_reauthenticate", "healthz", "robots_txt"}


class MFARequiredMiddleware:
    """Send a logged-in user who must use two-factor authentication, and has not set it
    up, to the authenticator-app activation page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.session.get(sessions.HAS_TOTP):
            return None
        match = request.resolver_match
        name = match.url_name if match else None
        if name is None or name.startswith("mfa_") or name in MFA_EXEMPT_NAMES:
            return None
        if not mfa_required(user):
            return None
        if sessions.has_totp(user):
            request.session[sessions.HAS_TOTP] = True
            return None
        messages.warning(
            request,
            _(
                "Your account must be protected by two-factor authentication. Set up an "
                "authenticator app to continue; you will also get recovery codes."
            ),
        )
        return redirect("mfa_activate_totp")
