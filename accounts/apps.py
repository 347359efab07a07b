"""The accounts app's configuration."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = _("accounts")

    def ready(self):
        from allauth.account import signals as account_signals
        from allauth.mfa import signals as mfa_signals
        from django.contrib.auth import signals as auth_signals

        from . import security, sessions

        auth_signals.user_logged_in.connect(sessions.on_login, dispatch_uid="accounts.session")
        for signal in (account_signals.password_changed, account_signals.password_set):
            signal.connect(sessions.on_password_changed, dispatch_uid="accounts.password")
        auth_signals.user_logged_in.connect(security.on_login, dispatch_uid="accounts.log_in")
        auth_signals.user_login_failed.connect(
            security.on_login_failed, dispatch_uid="accounts.log_login_failed"
        )
        mfa_signals.authentication_failed.connect(
            security.on_mfa_failed, dispatch_uid="accounts.log_mfa_failed"
        )
        mfa_signals.authenticator_added.connect(
            sessions.on_authenticator_added, dispatch_uid="accounts.mfa_added"
        )
        mfa_signals.authenticator_added.connect(
            security.on_authenticator_added, dispatch_uid="accounts.log_mfa_added"
        )
        mfa_signals.authenticator_removed.connect(
            sessions.on_authenticator_removed, dispatch_uid="accounts.mfa_removed"
        )
        mfa_signals.authenticator_removed.connect(
            security.on_authenticator_removed, dispatch_uid="accounts.log_mfa_removed"
        )


class SecretariatAdminConfig(admin_apps.AdminConfig):
    """The Django admin, open to the secretariat only, logging in through allauth."""

    default = False
    default_site = "accounts.admin_site.SecretariatAdminSite"
