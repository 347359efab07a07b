"""E-mail coordinators whose cities' focal points nobody has confirmed for a year."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cities.services import focal_points_remind
from core.commands import DryRunCommand


class Command(DryRunCommand):
    help = "E-mail each coordinator once, listing their cities whose contacts are stale."

    dry_run_help = "Count the e-mails without sending them."

    def run(self, *, dry_run):
        report = focal_points_remind(dry_run=dry_run)
        if dry_run:
            summary = ngettext(
                "Dry run: %(count)d reminder would be sent.",
                "Dry run: %(count)d reminders would be sent.",
                report.sent,
            )
        else:
            summary = ngettext("%(count)d reminder sent.", "%(count)d reminders sent.", report.sent)
        self.stdout.write(
            _("Cities with stale contacts and a coordinator: %(count)d.") % {"count": report.cities}
        )
        for city in report.uncoordinated:
            self.stdout.write(
                self.style.WARNING(
                    _("%(city)s has stale contacts but no coordinator to remind.")
                    % {"city": city.name}
                )
            )
        return summary % {"count": report.sent}
