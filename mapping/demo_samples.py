"""Sample content for `seed_demo`: problems and indicator series of a few demo cities, labelled
as samples (is_sample=True, source "Sample data (demo)") and never replacing a real row."""

from decimal import Decimal

from cities.models import City

from .models import CityProblem, Indicator, IndicatorValue, SocialProblem

SAMPLE_SOURCE = "Sample data (demo)"
SAMPLE_PROBLEM_YEARS = (2022, 2024)
# city slug → {year: [(problem slug, priority, affected population or None)]}
SAMPLE_PROBLEMS = {
    "quilmes-ar": {
        2022: [
            ("urban-poverty", 1, 98000),
            ("informal-settlements", 2, 45000),
            ("youth-unemployment", 3, 12000),
            ("gender-violence", 4, None),
            ("school-dropout", 5, 3100),
        ],
        2024: [
            ("urban-poverty", 1, 121000),
            ("food-insecurity", 2, 64000),
            ("informal-settlements", 3, 46500),
            ("gender-violence", 4, None),
            ("youth-unemployment", 5, 13400),
        ],
    },
    "montevideo-uy": {
        2022: [
            ("homelessness", 1, 3900),
            ("ageing-care", 2, 58000),
            ("urban-violence", 3, None),
            ("migrant-exclusion", 4, 21000),
            ("problematic-drug-use", 5, None),
        ],
        2024: [
            ("homelessness", 1, 4700),
            ("urban-violence", 2, None),
            ("ageing-care", 3, 61000),
            ("child-malnutrition", 4, 2800),
            ("migrant-exclusion", 5, 24000),
        ],
    },
    "porto-alegre-br": {
        2022: [
            ("inadequate-housing", 1, 150000),
            ("urban-violence", 2, None),
            ("homelessness", 3, 3100),
            ("health-access", 4, None),
            ("income-inequality", 5, None),
        ],
        2024: [
            ("inadequate-housing", 1, 210000),
            ("homelessness", 2, 4200),
            ("urban-violence", 3, None),
            ("food-insecurity", 4, 90000),
            ("health-access", 5, None),
        ],
    },
    "villa-carlos-paz-ar": {
        2022: [
            ("ageing-care", 1, 11000),
            ("informal-work", 2, 9000),
            ("problematic-drug-use", 3, None),
            ("teen-pregnancy", 4, 300),
        ],
        2024: [
            ("informal-work", 1, 10500),
            ("ageing-care", 2, 11800),
            ("disability-exclusion", 3, 5200),
            ("problematic-drug-use", 4, None),
        ],
    },
    "rosario-ar": {
        2022: [
            ("urban-violence", 1, None),
            ("urban-poverty", 2, 250000),
            ("informal-settlements", 3, 170000),
            ("problematic-drug-use", 4, None),
            ("school-dropout", 5, 7500),
        ],
        2024: [
            ("urban-violence", 1, None),
            ("urban-poverty", 2, 310000),
            ("food-insecurity", 3, 140000),
            ("informal-settlements", 4, 172000),
            ("youth-unemployment", 5, 26000),
        ],
    },
    "sao-paulo-br": {
        2022: [
            ("homelessness", 1, 31800),
            ("inadequate-housing", 2, 1200000),
            ("income-inequality", 3, None),
            ("urban-violence", 4, None),
            ("migrant-exclusion", 5, 400000),
        ],
        2024: [
            ("homelessness", 1, 52000),
            ("inadequate-housing", 2, 1250000),
            ("food-insecurity", 3, 1900000),
            ("income-inequality", 4, None),
            ("migrant-exclusion", 5, 410000),
        ],
    },
}

SAMPLE_SERIES_CITIES = ("quilmes-ar", "rosario-ar", "villa-carlos-paz-ar", "montevideo-uy")
SAMPLE_SERIES_YEARS = range(2016, 2025)
# indicator slug → city slug → level in 2016; a shared shape over the years is added to it.
SAMPLE_LEVELS = {
    "sdg-8-5-2": {
        "quilmes-ar": 9.6,
        "rosario-ar": 8.1,
        "villa-carlos-paz-ar": 6.4,
        "montevideo-uy": 7.9,
    },
    "sdg-8-6-1": {
        "quilmes-ar": 19.5,
        "rosario-ar": 16.8,
        "villa-carlos-paz-ar": 14.2,
        "montevideo-uy": 15.1,
    },
    "mdg-4-2": {
        "quilmes-ar": 10.8,
        "rosario-ar": 9.4,
        "villa-carlos-paz-ar": 8.1,
        "montevideo-uy": 7.2,
    },
    "sdg-1-2-1": {
        "quilmes-ar": 34.0,
        "rosario-ar": 29.5,
        "villa-carlos-paz-ar": 22.0,
        "montevideo-uy": 9.8,
    },
}
# indicator slug → change from 2016 for each year 2016…2024 (the pandemic shows in 2020).
SAMPLE_SHAPES = {
    "sdg-8-5-2": (0, -0.2, 0.6, 1.1, 3.4, 1.6, -0.4, -0.9, 0.3),
    "sdg-8-6-1": (0, 0.3, 0.9, 1.2, 4.1, 2.2, 0.5, -0.2, 0.4),
    "mdg-4-2": (0, -0.3, -0.5, -0.9, -1.0, -1.2, -1.5, -1.7, -1.8),
    "sdg-1-2-1": (0, -1.5, 2.0, 5.5, 8.0, 4.5, 2.5, 6.0, 9.5),
}
SAMPLE_SEX_GAP = {"women": Decimal("1.12"), "men": Decimal("0.90")}


def _sample_values(cities, indicators):
    """(city, indicator, year, breakdown) → value for the sample series (deterministic)."""
    values = {}
    for slug, levels in SAMPLE_LEVELS.items():
        indicator = indicators.get(slug)
        if indicator is None:
            continue
        for city_slug, level in levels.items():
            city = cities.get(city_slug)
            if city is None:
                continue
            for index, year in enumerate(SAMPLE_SERIES_YEARS):
                total = Decimal(str(level + SAMPLE_SHAPES[slug][index])).quantize(Decimal("0.1"))
                values[(city, indicator, year, IndicatorValue.TOTAL)] = total
                if slug == "sdg-8-5-2" and year >= 2022:
                    for breakdown, factor in SAMPLE_SEX_GAP.items():
                        gap = (total * factor).quantize(Decimal("0.1"))
                        values[(city, indicator, year, breakdown)] = gap
    return values


def seed_samples() -> dict[str, int]:
    """Sample problems for six demo cities (two years) and sample indicator series for the
    Argentine and Uruguayan ones. Idempotent; never replaces a real (non-sample) row."""
    slugs = set(SAMPLE_PROBLEMS) | set(SAMPLE_SERIES_CITIES)
    cities = {city.slug: city for city in City.objects.filter(slug__in=slugs)}
    problems = {problem.slug: problem for problem in SocialProblem.objects.all()}
    real_problems = set(
        CityProblem.objects.filter(city__in=cities.values(), is_sample=False).values_list(
            "city_id", "problem_id", "year"
        )
    )
    problem_rows = 0
    for city_slug, years in SAMPLE_PROBLEMS.items():
        city = cities.get(city_slug)
        for year, entries in years.items():
            for problem_slug, priority, affected in entries:
                problem = problems.get(problem_slug)
                if city is None or problem is None:
                    continue
                if (city.pk, problem.pk, year) in real_problems:
                    continue
                CityProblem.objects.update_or_create(
                    city=city,
                    problem=problem,
                    year=year,
                    defaults={
                        "priority": priority,
                        "affected_population": affected,
                        "source": SAMPLE_SOURCE,
                        "is_sample": True,
                    },
                )
                problem_rows += 1
    indicators = {i.slug: i for i in Indicator.objects.filter(slug__in=SAMPLE_LEVELS)}
    real_values = set(
        IndicatorValue.objects.filter(
            city__in=cities.values(), indicator__in=indicators.values(), is_sample=False
        ).values_list("city_id", "indicator_id", "year", "breakdown_id")
    )
    rows = [
        IndicatorValue(
            city=city,
            indicator=indicator,
            year=year,
            breakdown_id=breakdown,
            value=value,
            source=SAMPLE_SOURCE,
            is_sample=True,
        )
        for (city, indicator, year, breakdown), value in _sample_values(cities, indicators).items()
        if (city.pk, indicator.pk, year, breakdown) not in real_values
    ]
    IndicatorValue.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["city", "indicator", "year", "breakdown"],
        update_fields=["value", "source", "is_sample"],
    )
    return {"problems": problem_rows, "values": len(rows)}
