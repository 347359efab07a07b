"""Real member cities, the unit's roles by period and its working groups, for `seed_demo`.

Read from data/reference/ (see SOURCES.md there). Idempotent: rows are matched by slug.
"""

import csv
import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from .models import City, CityCoordinator, FocalPoint, UnitRole, WorkingGroup

DATA = Path(settings.BASE_DIR) / "data" / "reference"

# Cities with stated or indirect evidence of membership; "unconfirmed" rows are not loaded.
LOADED_STATUSES = {"confirmed": True, "probable": False}

# (city slug, role, from year, to year, source) — the unit's coordination by period.
UNIT_ROLES = [
    ("quilmes-ar", UnitRole.Role.COORDINATOR, 2012, 2012),
    ("zarate-ar", UnitRole.Role.SUB_COORDINATOR, 2012, 2012),
    ("montevideo-uy", UnitRole.Role.SUB_COORDINATOR, 2012, 2012),
    ("villa-carlos-paz-ar", UnitRole.Role.COORDINATOR, 2023, 2024),
    ("ayacucho-ar", UnitRole.Role.SUB_COORDINATOR, 2023, 2024),
]

WORKING_GROUPS = [
    (
        "migrations",
        WorkingGroup.Kind.WORKING_GROUP,
        ("Migraciones", "Migrações", "Migrations"),
        ["quilmes-ar", "montevideo-uy", "porto-alegre-br", "sao-paulo-br"],
    ),
    (
        "human-rights",
        WorkingGroup.Kind.WORKING_GROUP,
        ("Derechos Humanos", "Direitos Humanos", "Human Rights"),
        ["quilmes-ar", "zarate-ar", "rosario-ar", "montevideo-uy"],
    ),
    ("youth", WorkingGroup.Kind.RELATED_UNIT, ("Juventudes", "Juventudes", "Youth"), []),
    ("gender", WorkingGroup.Kind.RELATED_UNIT, ("Género", "Gênero", "Gender"), []),
    ("culture", WorkingGroup.Kind.RELATED_UNIT, ("Cultura", "Cultura", "Culture"), []),
    (
        "economic-development",
        WorkingGroup.Kind.RELATED_UNIT,
        ("Desarrollo Económico Local", "Desenvolvimento Econômico Local", "Economic Development"),
        [],
    ),
]


def _joined_year(roles_text: str) -> int | None:
    for pattern in (
        r"founding member \((\d{4})\)",
        r"member since (\d{4})",
        r"joined (?:[A-Z][a-z]{2} )?(\d{4})",
    ):
        match = re.search(pattern, roles_text)
        if match:
            return int(match.group(1))
    return None


def _brazil_population_2010() -> dict[str, int]:
    path = DATA / "indicators" / "br_atlas2013_selected_municipalities.csv"
    with path.open(encoding="utf-8") as handle:
        return {
            row["municipality"]: int(row["population"])
            for row in csv.DictReader(handle)
            if row["year"] == "2010" and row["population"]
        }


def seed_cities() -> int:
    """Create or update the member cities; return how many are in the registry."""
    atlas = _brazil_population_2010()
    with (DATA / "mercociudades" / "member_cities.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["membership_status"] not in LOADED_STATUSES:
            continue
        values = {
            "name": row["name"],
            "country": row["country_iso2"],
            "state_province": row["admin1_name"],
            "state_code": row["admin1_iso3166_2"],
            "latitude": Decimal(row["latitude"]) if row["latitude"] else None,
            "longitude": Decimal(row["longitude"]) if row["longitude"] else None,
            "status": City.Status.MEMBER,
            "membership_verified": LOADED_STATUSES[row["membership_status"]],
            "joined_year": _joined_year(row["network_roles"]),
            "geonames_id": int(row["geonameid"]) if row["geonameid"] else None,
        }
        if row["country_iso2"] == "BR" and row["name"] in atlas:
            values.update(
                population=atlas[row["name"]],
                population_year=2010,
                population_source="Atlas do Desenvolvimento Humano no Brasil (PNUD/Ipea/FJP)",
            )
        elif row["population_geonames"]:
            values.update(
                population=int(row["population_geonames"]),
                population_year=None,
                population_source="GeoNames (locality, undated snapshot)",
            )
        City.objects.update_or_create(slug=row["id"], defaults=values)
    return City.objects.count()


def seed_roles_and_groups() -> None:
    roles_path = DATA / "mercociudades" / "network_roles.csv"
    with roles_path.open(encoding="utf-8") as handle:
        sources = {
            (row["city"], row["role"].lower().replace("-", "_")): row["source_url"]
            for row in csv.DictReader(handle)
            if row["body"] == "UT Desarrollo Social"
        }
    cities = {city.slug: city for city in City.objects.all()}
    for slug, role, from_year, to_year in UNIT_ROLES:
        city = cities[slug]
        UnitRole.objects.update_or_create(
            city=city,
            role=role,
            from_year=from_year,
            defaults={"to_year": to_year, "source_url": sources.get((city.name, role), "")},
        )
    for slug, kind, (es, pt, en), members in WORKING_GROUPS:
        group, _ = WorkingGroup.objects.update_or_create(
            slug=slug, defaults={"kind": kind, "name_es": es, "name_pt_br": pt, "name_en": en}
        )
        group.cities.add(*[cities[s] for s in members])


# Demo coordinators and sample contacts (clearly labelled; not real people).
DEMO_COORDINATORS = {
    "ana@quilmes.example": "quilmes-ar",
    "bruno@portoalegre.example": "porto-alegre-br",
}


def seed_demo_people(users_by_email) -> None:
    for email, slug in DEMO_COORDINATORS.items():
        city = City.objects.get(slug=slug)
        CityCoordinator.objects.get_or_create(user=users_by_email[email], city=city)
        FocalPoint.objects.get_or_create(
            city=city,
            name=f"{city.name} — contacto de ejemplo (demo)",
            defaults={
                "position": "Secretaría de Desarrollo Social (ejemplo)",
                "email": f"contacto@{slug}.example",
                "phone": "+54 11 0000 0000" if city.country.code == "AR" else "+55 51 0000 0000",
                "is_primary": True,
            },
        )


def seed() -> int:
    count = seed_cities()
    seed_roles_and_groups()
    return count
