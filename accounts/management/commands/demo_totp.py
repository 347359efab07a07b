"""Prints the demo accounts' current two-factor codes (development only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_TOTP_SECRETS, current_code


class Command(BaseCommand):
    help = "Print the current two-factor code of each demo account (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "DEBUG is off: the demo accounts' codes are only for a development database."
            )
        for email, secret in DEMO_TOTP_SECRETS.items():
            self.stdout.write(f"{email}  {current_code(secret)}")
