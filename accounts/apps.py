from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = _("accounts")


class SecretariatAdminConfig(admin_apps.AdminConfig):
    """The Django admin, open to the secretariat only, logging in through allauth."""

    default = False
    default_site = "accounts.admin_site.SecretariatAdminSite"
