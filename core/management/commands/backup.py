"""Writes a backup of the database and the uploaded files."""

import datetime
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backups import create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, custom format) and the uploaded files into a new "
        "folder with a manifest of row counts and checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Folder to create (default: BACKUP_DIR or var/backups, then the time).",
        )

    def handle(self, *args, output=None, **options):
        if output is None:
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
            output = backup_root() / stamp
        if output.exists():
            raise CommandError(f"{output} already exists; a backup never overwrites one.")
        manifest = create_backup(output)
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {output}: {len(manifest['tables'])} tables, {rows} rows, "
                f"{len(manifest['media'])} media files."
            )
        )


def backup_root() -> Path:
    default = getattr(settings, "BACKUP_DIR", settings.BASE_DIR / "var" / "backups")
    return Path(os.environ.get("BACKUP_DIR") or default)
