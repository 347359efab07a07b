"""Proves that the latest backup restores completely into a scratch database."""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backups import latest_backup, restore_drill

from .backup import backup_root


class Command(BaseCommand):
    help = (
        "Restore a backup into a scratch database and folder, compare every table's row "
        "count and checksum and every file's hash with the manifest, then drop the scratch "
        "copy. Exits with an error when anything differs."
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
            result = restore_drill(source, Path(scratch))
        summary = (
            f"Restore drill of {source}: {result.tables_checked} tables, {result.rows_checked} "
            f"rows and {result.files_checked} media files compared in {result.seconds:.1f} s."
        )
        if not result.ok:
            raise CommandError(summary + "\n" + "\n".join(result.problems))
        self.stdout.write(self.style.SUCCESS(summary + " Everything matches."))
