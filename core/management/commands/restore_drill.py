"""Proves that the latest backup restores completely into a scratch database."""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backups import latest_backup, restore_drill
from core.storage import StorageUnavailable

from .backup import backup_root


class Command(BaseCommand):
    help = (
        "Restore a backup into a scratch database and a scratch part of the configured "
        "storage, compare every table's row count and checksum and every file's hash with "
        "the manifest, check that every file the database names was backed up, then drop "
        "the scratch copy. Exits with an error when anything differs or is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from", dest="source", type=Path, help="Backup folder (default: latest)."
        )

    def handle(self, *args, source=None, **options):
        source = source or latest_backup(backup_root())
        if source is None or not (source / "manifest.json").exists():
            raise CommandError("No backup found: run `make backup` first or pass --from FOLDER.")
        with tempfile.TemporaryDirectory(prefix="utds-restore-") as scratch:
            try:
                result = restore_drill(source, Path(scratch))
            except StorageUnavailable as error:
                raise CommandError(
                    f"The file store cannot be reached ({error.__cause__}); the drill could "
                    "not restore the files."
                ) from error
        summary = (
            f"Restore drill of {source}: {result.tables_checked} tables, {result.rows_checked} "
            f"rows and {result.files_checked} media files compared in {result.seconds:.1f} s."
        )
        if not result.ok:
            raise CommandError(summary + "\n" + "\n".join(result.problems))
        self.stdout.write(self.style.SUCCESS(summary + " Everything matches."))
