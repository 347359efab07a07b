"""The accounts app's configuration."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = _("accounts")

    def ready(self):
        from allauth.account import signals as account
        from allauth.mfa import signals as mfa
        from django.contrib.auth import signals as auth

        from . import security, sessions

        # (signal, receiver, dispatch_uid): each receiver connected once.
        receivers = [
            (auth.user_logged_in, sessions.on_login, "accounts.session"),
            (account.password_changed, sessions.on_password_changed, "accounts.password"),
            (account.password_set, sessions.on_password_changed, "accounts.password"),
            (auth.user_logged_in, security.on_login, "accounts.log_in"),
            (auth.user_login_failed, security.on_login_failed, "accounts.log_login_failed"),
            (mfa.authentication_failed, security.on_mfa_failed, "accounts.log_mfa_failed"),
            (mfa.authenticator_added, sessions.on_authenticator_added, "accounts.mfa_added"),
            (mfa.authenticator_added, security.on_authenticator_added, "accounts.log_mfa_added"),
            (mfa.authenticator_removed, sessions.on_authenticator_removed, "accounts.mfa_removed"),
            (
                mfa.authenticator_removed,
                security.on_authenticator_removed,
                "accounts.log_mfa_removed",
            ),
        ]
        for signal, receiver, dispatch_uid in receivers:
            signal.connect(receiver, dispatch_uid=dispatch_uid)


class SecretariatAdminConfig(admin_apps.AdminConfig):
    """The Django admin, open to the secretariat only, logging in through allauth."""

    default = False
    default_site = "accounts.admin_site.SecretariatAdminSite"
