from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import demo as accounts_demo
from accounts.models import User
from cities import demo as cities_demo
from events import demo as events_demo
from experiences import demo as experiences_demo
from experiences import funding_demo
from mapping import demo as mapping_demo


class Command(BaseCommand):
    help = "Load the demo data (labelled as samples) once; running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Allow seeding with DEBUG off. Demo accounts have a published password.",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: demo accounts have a published password, so seed_demo refuses "
                "to run on what may be a production database. Use --force if you are sure."
            )
        with transaction.atomic():
            logins = accounts_demo.seed()
            city_count = cities_demo.seed()
            mapping_demo.seed()
            mapping_demo.seed_values()
            mapping_demo.seed_samples()
            experiences_demo.seed()
            events_demo.seed()
            funding_demo.seed()
            cities_demo.seed_demo_people({user.email: user for user in User.objects.all()})
        self.stdout.write(self.style.SUCCESS(f"Demo data is in place: {city_count} member cities."))
        self.stdout.write(f"Demo logins (password: {accounts_demo.DEMO_PASSWORD}):")
        for email, role in logins:
            self.stdout.write(f"  {email:<32} {role}")
