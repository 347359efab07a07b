"""A base for management commands that do their work, or with --dry-run only count it."""

from django.core.management.base import BaseCommand


class DryRunCommand(BaseCommand):
    """Adds `--dry-run` (described by `dry_run_help`) and hands it to `run`, whose summary
    line is written as a success."""

    dry_run_help = "Count without changing anything."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=self.dry_run_help)

    def handle(self, *args, dry_run=False, **options):
        self.stdout.write(self.style.SUCCESS(self.run(dry_run=dry_run)))

    def run(self, *, dry_run: bool) -> str:
        """Do the work (or, with `dry_run`, only count it) and return the summary line."""
        raise NotImplementedError
