"""Shared vocabularies for `seed_demo`: development goals (from data/reference/) and the
catalogue of social problems (editorial, by category), indicators and their reference values.
Idempotent: matched by slug. The labelled sample rows of demo cities are in demo_samples."""

import csv
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from cities.models import City

from .demo_samples import seed_samples
from .models import (
    DevelopmentGoal,
    Indicator,
    IndicatorValue,
    SocialProblem,
    default_breakdowns_for,
    kind_and_range_for_unit,
)

__all__ = ["seed", "seed_samples", "seed_values"]

DATA = Path(settings.BASE_DIR) / "data" / "reference" / "taxonomies"

C = SocialProblem.Category
# (slug, category, (es, pt-br, en), related SDG numbers)
SOCIAL_PROBLEMS = [
    ("urban-poverty", C.POVERTY, ("Pobreza urbana", "Pobreza urbana", "Urban poverty"), [1]),
    ("extreme-poverty", C.POVERTY, ("Indigencia", "Extrema pobreza", "Extreme poverty"), [1]),
    (
        "income-inequality",
        C.POVERTY,
        ("Desigualdad de ingresos", "Desigualdade de renda", "Income inequality"),
        [10],
    ),
    ("informal-work", C.WORK, ("Trabajo informal", "Trabalho informal", "Informal work"), [8]),
    ("unemployment", C.WORK, ("Desempleo", "Desemprego", "Unemployment"), [8]),
    (
        "youth-unemployment",
        C.WORK,
        ("Desempleo juvenil", "Desemprego juvenil", "Youth unemployment"),
        [8],
    ),
    ("child-labour", C.CHILDHOOD, ("Trabajo infantil", "Trabalho infantil", "Child labour"), [8]),
    ("school-dropout", C.EDUCATION, ("Abandono escolar", "Evasão escolar", "School drop-out"), [4]),
    (
        "early-childhood-care",
        C.CHILDHOOD,
        (
            "Falta de cuidado en la primera infancia",
            "Falta de cuidado na primeira infância",
            "Gaps in early-childhood care",
        ),
        [4],
    ),
    (
        "street-children",
        C.CHILDHOOD,
        (
            "Niñez en situación de calle",
            "Crianças em situação de rua",
            "Children living on the street",
        ),
        [1],
    ),
    (
        "inadequate-housing",
        C.HOUSING,
        ("Vivienda inadecuada", "Moradia inadequada", "Inadequate housing"),
        [11],
    ),
    (
        "informal-settlements",
        C.HOUSING,
        ("Asentamientos informales", "Assentamentos informais", "Informal settlements"),
        [11],
    ),
    (
        "homelessness",
        C.HOUSING,
        ("Personas en situación de calle", "População em situação de rua", "Homelessness"),
        [11],
    ),
    (
        "food-insecurity",
        C.FOOD,
        ("Inseguridad alimentaria", "Insegurança alimentar", "Food insecurity"),
        [2],
    ),
    (
        "child-malnutrition",
        C.FOOD,
        ("Malnutrición infantil", "Desnutrição infantil", "Child malnutrition"),
        [2],
    ),
    (
        "health-access",
        C.HEALTH,
        ("Acceso desigual a la salud", "Acesso desigual à saúde", "Unequal access to health"),
        [3],
    ),
    (
        "teen-pregnancy",
        C.HEALTH,
        ("Embarazo adolescente", "Gravidez na adolescência", "Teenage pregnancy"),
        [3, 5],
    ),
    (
        "problematic-drug-use",
        C.HEALTH,
        ("Consumo problemático de drogas", "Uso problemático de drogas", "Problematic drug use"),
        [3],
    ),
    (
        "gender-violence",
        C.VIOLENCE,
        ("Violencia de género", "Violência de gênero", "Gender-based violence"),
        [5, 16],
    ),
    (
        "domestic-violence",
        C.VIOLENCE,
        ("Violencia intrafamiliar", "Violência doméstica", "Domestic violence"),
        [16],
    ),
    (
        "urban-violence",
        C.VIOLENCE,
        ("Violencia urbana", "Violência urbana", "Urban violence"),
        [16],
    ),
    (
        "migrant-exclusion",
        C.INCLUSION,
        (
            "Exclusión de personas migrantes",
            "Exclusão de pessoas migrantes",
            "Exclusion of migrants",
        ),
        [10],
    ),
    (
        "disability-exclusion",
        C.INCLUSION,
        (
            "Barreras para personas con discapacidad",
            "Barreiras para pessoas com deficiência",
            "Barriers for people with disabilities",
        ),
        [10],
    ),
    (
        "ageing-care",
        C.INCLUSION,
        ("Envejecimiento y cuidados", "Envelhecimento e cuidados", "Ageing and care"),
        [3],
    ),
    (
        "discrimination",
        C.INCLUSION,
        ("Discriminación", "Discriminação", "Discrimination"),
        [10, 16],
    ),
]


def seed_goals() -> None:
    with (DATA / "mdg_goals.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            DevelopmentGoal.objects.update_or_create(
                slug=row["slug"],
                defaults={
                    "framework": DevelopmentGoal.Framework.MDG,
                    "number": int(row["goal"]),
                    "name_es": row["title_es"],
                    "name_pt_br": row["title_pt"],
                    "name_en": row["title_en"],
                    "title_es": row["title_es"],
                    "title_pt_br": row["title_pt"],
                    "title_en": row["title_en"],
                },
            )
    with (DATA / "sdg_goals.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            DevelopmentGoal.objects.update_or_create(
                slug=row["slug"],
                defaults={
                    "framework": DevelopmentGoal.Framework.SDG,
                    "number": int(row["goal"]),
                    "name_es": row["short_es"],
                    "name_pt_br": row["short_pt"],
                    "name_en": row["short_en"],
                    "title_es": row["title_es"],
                    "title_pt_br": row["title_pt"],
                    "title_en": row["title_en"],
                    "colour": row["color_hex"],
                },
            )


def seed_problems() -> None:
    sdgs = {goal.number: goal for goal in DevelopmentGoal.objects.filter(framework="sdg")}
    for slug, category, (es, pt, en), goal_numbers in SOCIAL_PROBLEMS:
        problem, _ = SocialProblem.objects.update_or_create(
            slug=slug,
            defaults={"category": category, "name_es": es, "name_pt_br": pt, "name_en": en},
        )
        problem.goals.set([sdgs[n] for n in goal_numbers])


def seed() -> None:
    """Vocabularies only; values need the cities (see seed_values)."""
    seed_goals()
    seed_problems()
    seed_indicators()
    link_problems_to_indicators()


INDICATORS = Path(settings.BASE_DIR) / "data" / "reference" / "indicators"
HIGHER_IS_BETTER_THEMES = {
    "education",
    "social_protection",
    "basic_services",
    "water_sanitation",
    "income",
    "identity",
}
ATLAS_SOURCE = "Atlas do Desenvolvimento Humano no Brasil 2013 (PNUD/Ipea/FJP)"
# Atlas column → indicator slug, decimals
ATLAS_COLUMNS = {
    "gini_0_1": "br-atlas-gini",
    "income_per_capita_brl_aug2010": "br-atlas-rdpc",
    "poor_pct": "br-atlas-pmpob",
}
DECIMALS = {"br-atlas-gini": 2, "wb-si-pov-gini": 1, "br-atlas-rdpc": 2}


def indicator_slug(indicator_id: str) -> str:
    return indicator_id.lower().replace(".", "-").replace("_", "-")


def _goal_for(indicator_id: str, goals):
    framework, _, rest = indicator_id.partition("-")
    if framework in ("sdg", "mdg") and rest:
        return goals.get((framework, int(rest.split(".")[0])))
    return None


# Indicator theme (reference data) → the problem category it is listed under.
THEME_CATEGORIES = {
    "poverty": C.POVERTY,
    "extreme_poverty": C.POVERTY,
    "structural_poverty": C.POVERTY,
    "income": C.POVERTY,
    "inequality": C.POVERTY,
    "social_protection": C.POVERTY,
    "employment": C.WORK,
    "youth": C.WORK,
    "education": C.EDUCATION,
    "child_labour": C.CHILDHOOD,
    "child_protection": C.CHILDHOOD,
    "basic_services": C.HOUSING,
    "water_sanitation": C.HOUSING,
    "housing": C.HOUSING,
    "nutrition": C.FOOD,
    "health": C.HEALTH,
    "child_mortality": C.HEALTH,
    "gender_violence": C.VIOLENCE,
    "violence": C.VIOLENCE,
    "identity": C.INCLUSION,
}
# Problem slug → indicators that measure it (editorial).
PROBLEM_INDICATORS = {
    "urban-poverty": ["sdg-1-2-1", "ar-indec-pobreza", "br-atlas-pmpob", "ar-indec-nbi"],
    "extreme-poverty": ["sdg-1-1-1", "ar-indec-indigencia", "br-atlas-pind"],
    "income-inequality": ["wb-si-pov-gini", "br-atlas-gini", "sdg-10-2-1", "br-atlas-rdpc"],
    "unemployment": ["sdg-8-5-2"],
    "youth-unemployment": ["sdg-8-6-1"],
    "child-labour": ["sdg-8-7-1"],
    "school-dropout": ["sdg-4-1-2", "gen-school-attendance"],
    "early-childhood-care": ["sdg-4-2-2"],
    "inadequate-housing": ["sdg-11-1-1", "sdg-1-4-1"],
    "informal-settlements": ["sdg-11-1-1"],
    "child-malnutrition": ["sdg-2-2-1"],
    "health-access": ["mdg-4-2", "sdg-3-2-1"],
    "gender-violence": ["sdg-5-2-1"],
    "domestic-violence": ["sdg-16-2-1"],
    "urban-violence": ["sdg-16-1-1"],
}


def seed_indicators() -> None:
    goals = {(g.framework, g.number): g for g in DevelopmentGoal.objects.all()}
    with (INDICATORS / "indicator_definitions.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            slug = indicator_slug(row["indicator_id"])
            kind, low, high, whole = kind_and_range_for_unit(row["unit"])
            fields = {
                "code": row["code"],
                "name_en": row["name_en"],
                "name_es": row["name_es"] or row["name_en"],
                "name_pt_br": row["name_pt"],
                "description_en": row["definition_or_note"],
                "unit": row["unit"],
                "goal": _goal_for(row["indicator_id"], goals),
                "category": THEME_CATEGORIES.get(row["theme"], ""),
                "higher_is_better": row["theme"] in HIGHER_IS_BETTER_THEMES,
                "decimals": DECIMALS.get(slug, 1),
                "source": row["source"],
            }
            # the range is the secretariat's once set: a new seed does not undo its edits
            indicator, created = Indicator.objects.update_or_create(
                slug=slug,
                defaults=fields,
                create_defaults={
                    **fields,
                    "kind": kind,
                    "min_value": low,
                    "max_value": high,
                    "whole_number": whole,
                },
            )
            if created:
                indicator.breakdowns.set(default_breakdowns_for(row["name_en"]))


def link_problems_to_indicators() -> None:
    indicators = {i.slug: i for i in Indicator.objects.all()}
    for problem in SocialProblem.objects.filter(slug__in=PROBLEM_INDICATORS):
        slugs = PROBLEM_INDICATORS[problem.slug]
        problem.indicators.add(*[indicators[slug] for slug in slugs if slug in indicators])


def seed_atlas_values() -> int:
    """Real municipal values for the member cities in the Brazilian Atlas extract."""

    cities = {city.name: city for city in City.objects.filter(country="BR")}
    indicators = {i.slug: i for i in Indicator.objects.filter(slug__in=ATLAS_COLUMNS.values())}
    count = 0
    with (INDICATORS / "br_atlas2013_selected_municipalities.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            city = cities.get(row["municipality"])
            if city is None:
                continue
            for column, slug in ATLAS_COLUMNS.items():
                if not row[column]:
                    continue
                IndicatorValue.objects.update_or_create(
                    city=city,
                    indicator=indicators[slug],
                    year=int(row["year"]),
                    breakdown_id=IndicatorValue.TOTAL,
                    defaults={"value": Decimal(row[column]), "source": ATLAS_SOURCE},
                )
                count += 1
    return count


def seed_values() -> None:
    seed_atlas_values()
