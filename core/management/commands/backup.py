"""Writes a backup of the database and the uploaded files."""

import datetime
import os
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backups import create_backup
from core.storage import StorageUnavailable


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, custom format) and the uploaded files (read from "
        "the configured storage) into a new folder with a manifest of row counts and "
        "checksums. Fails when a file named by the database is missing from the storage."
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
        try:
            manifest = create_backup(output)
        except StorageUnavailable as error:
            shutil.rmtree(output, ignore_errors=True)  # created by this run, half written
            raise CommandError(
                f"The file store cannot be reached ({error.__cause__}); no backup was written."
            ) from error
        rows = sum(table["rows"] for table in manifest["tables"].values())
        summary = (
            f"Backup written to {output}: {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['media'])} media files."
        )
        if manifest["missing"]:
            raise CommandError(
                f"{summary} INCOMPLETE: {len(manifest['missing'])} files named by the database "
                "are missing from the storage:\n" + "\n".join(manifest["missing"])
            )
        self.stdout.write(self.style.SUCCESS(summary))


def backup_root() -> Path:
    default = getattr(settings, "BACKUP_DIR", settings.BASE_DIR / "var" / "backups")
    return Path(os.environ.get("BACKUP_DIR") or default)
