"""Recompute the comparability of cities now (the hourly task does it when profiles
change); `--queue` hands the work to a background worker instead."""

from django.core.management.base import BaseCommand

from core.tasks import enqueue
from peers import services, tasks


class Command(BaseCommand):
    help = "Recompute the comparability of member cities (peers.CityComparability)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue", action="store_true", help="Queue the refresh for a worker instead."
        )

    def handle(self, *args, queue=False, **options):
        if queue:
            enqueue(tasks.refresh_comparability)
            self.stdout.write("Refresh of the city comparability queued.")
            return
        count = services.comparability_refresh()
        self.stdout.write(f"City comparability refreshed: {count} pairs.")
