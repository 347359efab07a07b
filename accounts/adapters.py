from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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
        # Write to a known user in their own language; otherwise in the current one.
        user = context.get("user")
        language = getattr(user, "language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)


class MFAAdapter(DefaultMFAAdapter):
    """The authenticator app cannot be removed by someone who must use two-factor."""

    def can_delete_authenticator(self, authenticator):
        if authenticator.type == Authenticator.Type.TOTP and mfa_required(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
