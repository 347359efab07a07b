"""Delete the delegates' personal data some time after each event, keeping the counts."""

from django.utils.translation import ngettext

from core.commands import DryRunCommand
from events.services import delegate_retention_days, delegates_purge


class Command(DryRunCommand):
    help = (
        "Delete the names, positions and e-mails of delegates of events that ended more than "
        "EVENTS_DELEGATE_RETENTION_DAYS days ago (default 180); each city's count is kept."
    )

    dry_run_help = "Count the registrations without deleting."

    def run(self, *, dry_run):
        count = delegates_purge(dry_run=dry_run)
        if dry_run:
            message = ngettext(
                "Dry run: the delegates of %(count)d registration would be deleted "
                "(events ended more than %(days)d days ago).",
                "Dry run: the delegates of %(count)d registrations would be deleted "
                "(events ended more than %(days)d days ago).",
                count,
            )
        else:
            message = ngettext(
                "The delegates of %(count)d registration were deleted "
                "(events ended more than %(days)d days ago).",
                "The delegates of %(count)d registrations were deleted "
                "(events ended more than %(days)d days ago).",
                count,
            )
        return message % {"count": count, "days": delegate_retention_days()}
