"""Loads the demo data of every app, or a synthetic network at scale for the benchmarks."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import demo as accounts_demo
from accounts.models import User
from cities import demo as cities_demo
from cities.models import City
from events import demo as events_demo
from events.models import Event
from experiences import demo as experiences_demo
from experiences.models import Practice
from funding import demo as funding_demo
from funding.models import FundingCall
from mapping import demo as mapping_demo
from peers import services as peers_services
from unit import demo as unit_demo
from unit.models import LineOfWork, NewsItem
from utds import scale as scale_data

# Which line of the 2012 plan each sample practice, event and funding call serves.
SAMPLE_LINES = {
    Practice: {
        "ejemplo-mesas-barriales-de-ninez-y-adolescencia": ["2012-ninez-y-adolescencia"],
        "ejemplo-presupuesto-participativo-con-enfoque-de-derechos": [
            "2012-intercambio-de-politicas"
        ],
        "exemplo-acolhimento-de-familias-migrantes-e-refugiadas": [
            "2012-trabajo-con-otras-unidades"
        ],
        "ejemplo-huertas-urbanas-comunitarias": ["2012-objetivos-de-desarrollo"],
        "ejemplo-centros-de-dia-para-personas-mayores": ["2012-intercambio-de-politicas"],
        "exemplo-primeira-infancia-nos-territorios": ["2012-ninez-y-adolescencia"],
        "exemplo-juventudes-e-trabalho-primeira-oportunidade": ["2012-objetivos-de-desarrollo"],
        "ejemplo-registro-unico-de-personas-con-discapacidad": ["2012-intercambio-de-politicas"],
    },
    Event: {
        "ejemplo-cumbre-social": ["2012-ampliar-la-red", "2012-agenda-social-latinoamericana"],
        "ejemplo-reunion-derechos-humanos": ["2012-trabajo-con-otras-unidades"],
        "ejemplo-taller-nuevos-miembros": ["2012-ampliar-la-red"],
        "ejemplo-webinar-indicadores": ["2012-mapa-de-problemas-sociales"],
    },
    FundingCall: {
        "ejemplo-ciudades-inclusivas": ["2012-financiamiento"],
        "ejemplo-ninez-y-participacion": ["2012-financiamiento", "2012-ninez-y-adolescencia"],
    },
}
# (news slug, related city slug, related event slug)
SAMPLE_NEWS_LINKS = [
    ("ejemplo-taller-para-nuevas-ciudades", "", "ejemplo-taller-nuevos-miembros"),
    ("ejemplo-balance-del-mapa-social", "quilmes-ar", ""),
]


def link_samples_to_lines() -> None:
    """Point the sample activities at the lines they serve, once (a line already chosen
    by someone is kept)."""
    lines = {line.slug: line for line in LineOfWork.objects.all()}
    for model, by_slug in SAMPLE_LINES.items():
        for item in model.objects.filter(slug__in=by_slug, lines__isnull=True):
            item.lines.set([lines[slug] for slug in by_slug[item.slug] if slug in lines])
    for slug, city_slug, event_slug in SAMPLE_NEWS_LINKS:
        NewsItem.objects.filter(slug=slug, city__isnull=True, event__isnull=True).update(
            city=City.objects.filter(slug=city_slug).first(),
            event=Event.objects.filter(slug=event_slug).first(),
        )


class Command(BaseCommand):
    help = "Load the demo data (labelled as samples) once; running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Allow seeding with DEBUG off. Demo accounts have a published password.",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=None,
            help=(
                "Also generate a synthetic network for load tests: at 1, about 400 cities, "
                "20,000 practices, 60,000 city problems, 240,000 indicator values and 1,000 "
                "events (fractions allowed, e.g. 0.1). Replaces the previous synthetic rows."
            ),
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed of the synthetic network."
        )

    def handle(self, *args, force=False, scale=None, seed=1, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: demo accounts have a published password, so seed_demo refuses "
                "to run on what may be a production database. Use --force if you are sure."
            )
        if scale is not None and not 0 < scale <= scale_data.MAX_SCALE:
            raise CommandError(f"--scale must be above 0 and at most {scale_data.MAX_SCALE}.")
        with transaction.atomic():
            logins = accounts_demo.seed()
            city_count = cities_demo.seed()
            mapping_demo.seed()
            mapping_demo.seed_values()
            mapping_demo.seed_samples()
            experiences_demo.seed()
            events_demo.seed()
            funding_demo.seed()
            unit_demo.seed()
            link_samples_to_lines()
            cities_demo.seed_demo_people({user.email: user for user in User.objects.all()})
            peers_services.comparability_refresh()
        self.stdout.write(self.style.SUCCESS(f"Demo data is in place: {city_count} member cities."))
        self.stdout.write(f"Demo logins (password: {accounts_demo.DEMO_PASSWORD}):")
        for email, role in logins:
            self.stdout.write(f"  {email:<32} {role}")
        self.stdout.write(
            "Two-factor codes of the demo accounts: make demo-codes (or add their published "
            "demo secrets to an authenticator app, see README)."
        )
        if scale is not None:
            self.seed_scale(scale, seed)

    def seed_scale(self, scale: float, seed: int) -> None:
        started = time.monotonic()
        counts = scale_data.seed_scale(scale=scale, seed=seed)
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Synthetic network (scale {scale:g}, seed {seed}): {summary}.")
        )
        self.stdout.write(f"Generated in {elapsed:.0f} s.")
