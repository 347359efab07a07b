"""The funding app: calls for funding that member cities may apply to, and their interest."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("funding calls")
