"""Shared vocabularies for `seed_demo`: development goals (from data/reference/) and the
catalogue of social problems (editorial, by category). Idempotent: matched by slug."""

import csv
from pathlib import Path

from django.conf import settings

from .models import DevelopmentGoal, SocialProblem

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
    seed_goals()
    seed_problems()
