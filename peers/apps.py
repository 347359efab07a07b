"""The peers app: from a city's problems to what worked in comparable cities; transfers of
practices between cities and questions to a practice's city. It stands above the domain
apps (it reads cities, mapping, practices and funding) and below the portal's roof."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeersConfig(AppConfig):
    name = "peers"
    verbose_name = _("learning from peers")
