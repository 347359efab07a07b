"""The ground floor's app: shared template tags, the infrastructure commands and the page
cache's write watcher."""

from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("portal infrastructure")

    def ready(self):
        # Cache invalidation is the one accepted use of signals here (writes belong in
        # services.py): every database connection gets a watcher that starts a new page
        # cache generation after any write to a content table (core/cache.py).
        from core import cache

        watcher = cache.ContentWriteWatcher(cache.content_tables())

        def watch(sender, connection, **kwargs):
            cache.watch_connection(connection, watcher)

        connection_created.connect(watch, weak=False, dispatch_uid="core.cache.watch")
        for connection in connections.all(initialized_only=True):
            cache.watch_connection(connection, watcher)
