"""Open registration for an event and e-mail the coordinators, once."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.models import Event
from events.services import event_open_registration


class Command(BaseCommand):
    help = "Open registration for the event with this slug and notify every coordinator once."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The event's slug.")

    def handle(self, *args, slug, **options):
        event = Event.objects.filter(slug=slug.replace("\x00", "")).first()
        if event is None:
            raise CommandError(_("No event has the slug “%(slug)s”.") % {"slug": slug})
        try:
            sent = event_open_registration(event=event)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if sent:
            message = ngettext(
                "Registration is open; %(count)d coordinator was notified.",
                "Registration is open; %(count)d coordinators were notified.",
                sent,
            ) % {"count": sent}
        else:
            message = _("Registration is open; the coordinators had already been notified.")
        self.stdout.write(self.style.SUCCESS(message))
