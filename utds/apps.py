"""The roof: the project's settings, URLs and the pages that compose every app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UtdsConfig(AppConfig):
    name = "utds"
    verbose_name = _("portal")
