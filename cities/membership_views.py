"""Public pages of the membership flow: the application form and the invitation link."""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import User
from accounts.sessions import login_with_new_password

from . import services
from .membership_forms import InvitationAcceptForm, InvitationConfirmForm, JoinForm
from .models import CoordinatorInvitation

# Accepted applications per IP address and hour: enough for a person, too few for a bot.
JOIN_RATE_LIMIT = 5
JOIN_RATE_WINDOW = 60 * 60


def _posted(request):
    """The submitted data, or None for a GET (an empty POST still binds the form)."""
    return request.POST if request.method == "POST" else None


def _join_key(request) -> str:
    # allauth's reading of the client address, so the login limits and this one agree on
    # proxies (ALLAUTH_TRUSTED_PROXY_COUNT / ALLAUTH_TRUSTED_CLIENT_IP_HEADER).
    try:
        address = get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        address = "unknown"
    return f"cities:join:{address}"


def _join_limited(request) -> bool:
    return cache.get(_join_key(request), 0) >= JOIN_RATE_LIMIT


def _count_join(request) -> None:
    key = _join_key(request)
    if not cache.add(key, 1, JOIN_RATE_WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, JOIN_RATE_WINDOW)


def _submit(request, form) -> bool:
    """Record a valid application (a honeypot hit is dropped quietly); False on a duplicate."""
    _count_join(request)
    if form.is_spam:
        return True
    try:
        services.application_submit(**form.application_data(), language=get_language())
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@require_http_methods(["GET", "HEAD", "POST"])
def join(request):
    """A city asks to take part in the unit, or to join Mercociudades (the two paths of
    MembershipApplication.Kind); the form links to the privacy notice."""
    # ?path=unit or ?path=network (the links of the unit's page) chooses the path beforehand.
    form = JoinForm(_posted(request), initial={"kind": request.GET.get("path")})
    if request.method == "POST" and _join_limited(request):
        form.add_error(
            None,
            _(
                "Too many applications have been sent from your connection. Please try again "
                "in an hour. What you typed is kept below."
            ),
        )
        return render(request, "cities/join.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid() and _submit(request, form):
        return redirect("cities:join_sent")
    return render(request, "cities/join.html", {"form": form})


@require_safe
def join_sent(request):
    return render(request, "cities/join_sent.html")


def _current_user(request):
    return request.user if request.user.is_authenticated else None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request, token):
    """The link of an invitation e-mail: set a password (new account) or confirm (existing)."""
    invitation = get_object_or_404(
        CoordinatorInvitation.objects.select_related("city"),
        token_hash=services.invitation_hash(token),
    )
    context = {"invitation": invitation}
    if invitation.is_used or invitation.is_expired:
        return render(request, "cities/invitation_invalid.html", context, status=410)
    # An existing account accepts only when logged in as itself (password and two-factor).
    account = User.objects.filter(email__iexact=invitation.email).first()
    if _current_user(request) != account:
        return render(request, "cities/invitation_login.html", {**context, "account": account})
    if account is None:
        form = InvitationAcceptForm(_posted(request), invitation=invitation)
    else:
        form = InvitationConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation, user=account, **form.accept_data()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _welcome(request, user, invitation, new_account=account is None)
    return render(request, "cities/invitation_accept.html", {**context, "form": form})


def _welcome(request, user, invitation, *, new_account: bool):
    if new_account:
        login_with_new_password(request, user)
    messages.success(
        request, _("Welcome! You now coordinate %(city)s.") % {"city": invitation.city.name}
    )
    return redirect("dashboard")
