"""The unit app's configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitConfig(AppConfig):
    name = "unit"
    verbose_name = _("the unit's work")
