"""python manage.py import_indicators FILE.csv [--user EMAIL]

The same checks as the import page (mapping/importing.py) and the same write
(services.indicator_values_import): any error stops the whole import, nothing is written,
every error is printed with its line, and the command exits with a non-zero status.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from mapping import importing, services
from mapping.permissions import can_import, importable_city_ids


class Command(BaseCommand):
    help = "Import indicator values from a CSV file (city_slug,indicator_code,year,value,source)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file.")
        parser.add_argument(
            "--user",
            metavar="EMAIL",
            help="Import as this coordinator (only their cities); without it, as the secretariat.",
        )

    def handle(self, *args, path, user=None, **options):
        by = self._user(user)
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file.")
        if file.stat().st_size > importing.MAX_BYTES:
            raise CommandError(f"{path}: {importing.too_big_message(file.stat().st_size)}")
        allowed = importable_city_ids(by) if by is not None else None
        parsed = importing.parse_indicator_csv(file.read_bytes(), allowed_city_ids=allowed)
        if parsed.errors:
            for error in parsed.errors:
                where = f"line {error.line}" if error.line else "file"
                column = f" [{error.column}]" if error.column else ""
                self.stderr.write(f"{path}: {where}{column}: {error.message}")
            raise CommandError(f"{len(parsed.errors)} error(s): nothing was imported.")
        outcome = services.indicator_values_import(rows=parsed.rows, by=by)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {outcome.total} values: {outcome.created} new, "
                f"{outcome.changed} changed, {outcome.unchanged} unchanged."
            )
        )

    def _user(self, email):
        if not email:
            return None
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with the e-mail {email}.")
        if not can_import(user):
            raise CommandError(f"{email} coordinates no city and is not in the secretariat.")
        return user
