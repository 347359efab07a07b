"""allauth's adapters: invitation-only sign-up, login limits and e-mails in the user's
language."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.mail import absolute_url, recipient_language, send_after_commit

from .permissions import mfa_required


def _lockout_message() -> str:
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    return ngettext(
        "Too many failed login attempts. Wait %(minutes)d minute and try again.",
        "Too many failed login attempts. Wait %(minutes)d minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


class AccountAdapter(DefaultAccountAdapter):
    """Closed sign-up, a lockout message that says when to retry, e-mail in the user's language."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": lazy(_lockout_message, str)(),
    }

    def is_open_for_signup(self, request):
        # Coordinators are invited by the secretariat; there is no public sign-up.
        return False

    def format_email_subject(self, subject):
        return f"[{_('UTDS Mercociudades')}] {subject}"

    def send_mail(self, template_prefix, email, context):
        # Write to a known user in their own language; otherwise in the current one. The
        # site is named from settings, never from the request's Host header.
        user = context.get("user")
        language = recipient_language(getattr(user, "language", None) or translation.get_language())
        site = SimpleNamespace(
            name=_("UTDS Mercociudades"), domain=urlsplit(settings.PORTAL_URL).netloc
        )
        context = {
            "request": allauth_context.request,
            "email": email,
            "current_site": site,
            **context,
        }
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        # Queued like every e-mail of the portal: a mail server that is down delays it and
        # never turns the page into an error.
        send_after_commit([message])

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        # A notice (password or address changed) is written in the account's language too.
        super().send_notification_mail(
            template_prefix, user, {"user": user, **(context or {})}, email=email
        )

    def send_password_reset_mail(self, user, email, context):
        # The link opens the page in the language the e-mail is written in, on PORTAL_URL.
        with translation.override(recipient_language(user.language)):
            path = reverse(
                "account_reset_password_from_key",
                kwargs={"uidb36": context["uid"], "key": context["key"]},
            )
        super().send_password_reset_mail(
            user, email, {**context, "password_reset_url": absolute_url(path)}
        )

    def get_email_confirmation_url(self, request, emailconfirmation):
        # As for the password reset: the owner's language, on PORTAL_URL.
        user = emailconfirmation.email_address.user
        with translation.override(recipient_language(user.language)):
            return absolute_url(reverse("account_confirm_email", args=[emailconfirmation.key]))


class MFAAdapter(DefaultMFAAdapter):
    """The authenticator app cannot be removed by someone who must use two-factor."""

    def can_delete_authenticator(self, authenticator):
        if authenticator.type == Authenticator.Type.TOTP and mfa_required(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
