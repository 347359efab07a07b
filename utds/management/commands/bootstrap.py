"""Migrates the database and, with --demo, loads the demo data, one process at a time."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

# Any fixed number: every process of every checkout that bootstraps the same database
# waits on this lock, so two `make` commands started together do not migrate twice.
BOOTSTRAP_LOCK_ID = 460_905_1995


class Command(BaseCommand):
    help = "Migrate the database, and with --demo load the demo data, one process at a time."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="Also run seed_demo.")

    def handle(self, *args, demo=False, **options):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [BOOTSTRAP_LOCK_ID])
            try:
                call_command(
                    "migrate",
                    interactive=False,
                    verbosity=options["verbosity"] - 1 if options["verbosity"] else 0,
                )
                if demo:
                    call_command("seed_demo", stdout=self.stdout)
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [BOOTSTRAP_LOCK_ID])
