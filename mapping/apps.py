"""The mapping app's configuration."""

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_breakdowns(sender, apps=global_apps, using="default", **kwargs):
    """The fixed list of breakdowns exists after every migrate and flush, as content types
    do: values default to "total", which must be there. Rows present are left as edited."""
    from .models import BREAKDOWNS

    try:
        Breakdown = apps.get_model("mapping", "Breakdown")
    except LookupError:  # migrated back to before the list
        return
    Breakdown.objects.using(using).bulk_create(
        [
            Breakdown(code=code, name_es=es, name_pt_br=pt, name_en=en, position=position)
            for position, (code, es, pt, en, _aliases) in enumerate(BREAKDOWNS)
        ],
        ignore_conflicts=True,
    )


class MappingConfig(AppConfig):
    name = "mapping"
    verbose_name = _("social-problem mapping")

    def ready(self):
        post_migrate.connect(ensure_breakdowns, sender=self)
