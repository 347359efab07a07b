"""The synthetic cities of a scale run, placed near real member cities."""

from decimal import Decimal

from cities.models import City
from core.text import sort_key

from .run import BATCH, CITIES, SOURCE, Run, scaled

CITY_SLUG = "synthetic-"
CITY_NAME = "Synthetic city"


def synthetic_cities():
    return City.objects.filter(slug__startswith=CITY_SLUG, name__startswith=CITY_NAME)


def create_cities(run: Run) -> list[tuple[int, str]]:
    """Create the synthetic cities near real ones; returns (pk, country) of each."""
    rows = []
    for number in range(1, scaled(CITIES, run.scale) + 1):
        _, country, lat, lon = run.rng.choice(run.real_cities)
        lat = float(lat if lat is not None else -30)
        lon = float(lon if lon is not None else -58)
        name = f"{CITY_NAME} {number:04d}"
        rows.append(
            City(
                name=name,
                sort_name=sort_key(name),  # bulk_create does not call save()
                slug=f"{CITY_SLUG}{number:04d}",
                country=country,
                latitude=Decimal(f"{lat + run.rng.uniform(-1.5, 1.5):.6f}"),
                longitude=Decimal(f"{lon + run.rng.uniform(-1.5, 1.5):.6f}"),
                population=run.rng.randint(20_000, 3_000_000),
                population_year=2020,
                population_source=SOURCE,
                status=City.Status.MEMBER,
                joined_year=run.rng.randint(1995, 2024),
                summary="Synthetic city generated for load tests; not a real member.",
            )
        )
    created = City.objects.bulk_create(rows, batch_size=BATCH)
    return [(city.pk, str(city.country.code)) for city in created]
