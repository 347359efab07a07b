"""The synthetic practices of a scale run: their text, links and search vectors."""

import datetime
from decimal import Decimal

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Concat

from cities.models import City
from core.fulltext import config_for_row
from experiences.models import Practice
from experiences.search import vector_expression

from .practice_words import CURRENCIES, LANGUAGES, STATUSES, TEXT
from .run import BATCH, PRACTICES, Run, copy_links, scaled

PRACTICE_SLUG = "synthetic-practice-"


def synthetic_practices():
    return Practice.objects.filter(slug__startswith=PRACTICE_SLUG)


def _practice(run: Run, number: int, city_id: int, country: str) -> Practice:
    rng = run.rng
    language = run.pick(LANGUAGES)
    words = TEXT[language]
    status = run.pick(STATUSES)
    start = datetime.date(rng.randint(2000, 2024), rng.randint(1, 12), 1)
    ended = rng.random() < 0.3
    budget = Decimal(rng.randint(10, 50_000) * 1000) if rng.random() < 0.4 else None
    published_at = None
    if status in ("published", "archived"):
        published_at = run.now - datetime.timedelta(minutes=rng.randint(0, 10 * 365 * 1440))
    title = " ".join(
        [
            words["mark"],
            rng.choice(words["kind"]),
            rng.choice(words["subject"]),
            rng.choice(words["place"]),
        ]
    )

    def text(pool: str, count: int) -> str:
        return " ".join(rng.sample(words[pool], min(count, len(words[pool]))))

    return Practice(
        title=title,
        slug=f"{PRACTICE_SLUG}{number:05d}",
        city_id=city_id,
        language=language,
        summary=text("summary", 3),
        problem=text("problem", 2),
        objectives="\n".join(f"- {line}" for line in rng.sample(words["objectives"], 2)),
        actions=text("actions", 3),
        results=text("results", 2),
        lessons_learned=text("lessons", 2),
        target_population=words["target"],
        partners=words["partners"],
        start_date=start,
        end_date=start + datetime.timedelta(days=rng.randint(180, 2500)) if ended else None,
        budget=budget,
        currency=CURRENCIES.get(country, "USD") if budget is not None else "",
        funding_source="Presupuesto municipal" if budget is not None else "",
        status=status,
        featured=status == "published" and rng.random() < 0.01,
        is_sample=True,
        published_at=published_at,
    )


def _practice_links(run: Run, practice_id: int, city_id: int, all_city_ids, links) -> None:
    rng = run.rng
    themes = rng.sample(run.themes, rng.randint(1, 3))
    links["themes"] += [(practice_id, pk) for pk, _ in themes]
    links["goals"] += [(practice_id, pk) for pk in rng.sample(run.goals, rng.randint(1, 3))]
    links["social_problems"] += [
        (practice_id, pk) for pk in rng.sample(run.problems, rng.randint(1, 2))
    ]
    if run.lines:
        count = min(rng.randint(1, 2), len(run.lines))
        links["lines"] += [(practice_id, pk) for pk in rng.sample(run.lines, count)]
    if run.crc and any(slug == "children-adolescents" for _, slug in themes):
        links["crc_articles"] += [
            (practice_id, pk) for pk in rng.sample(run.crc, rng.randint(1, 3))
        ]
    partners = run.pick(((0, 60), (1, 25), (2, 10), (3, 5)))
    chosen = {rng.choice(all_city_ids) for _ in range(partners)} - {city_id}
    links["partner_cities"] += [(practice_id, pk) for pk in sorted(chosen)]


def create_practices(run: Run, synthetic: list[tuple[int, str]]) -> int:
    """Create the practices in batches, mostly in synthetic cities; returns the count."""
    fields = {field.name: field for field in Practice._meta.many_to_many}
    real = [(pk, str(country)) for pk, country, _, _ in run.real_cities]
    all_city_ids = [pk for pk, _ in synthetic + real]
    total = scaled(PRACTICES, run.scale)
    for first in range(1, total + 1, BATCH):
        numbers = range(first, min(first + BATCH, total + 1))
        owners = [run.rng.choice(synthetic if run.rng.random() < 0.95 else real) for _ in numbers]
        batch = [
            _practice(run, number, pk, country)
            for number, (pk, country) in zip(numbers, owners, strict=True)
        ]
        created = Practice.objects.bulk_create(batch)
        links = {name: [] for name in fields}
        for practice in created:
            _practice_links(run, practice.pk, practice.city_id, all_city_ids, links)
        for name, pairs in links.items():
            copy_links(fields[name], pairs)
    return total


def refresh_search() -> int:
    """One UPDATE: each vector from the practice's own columns plus, as the services
    do for one practice, its city's name and its themes' names in every language."""
    themes = Practice.themes.through
    theme_names = Subquery(
        themes.objects.filter(practice=OuterRef("pk"))
        .values("practice")
        .annotate(
            names=StringAgg(
                Concat(
                    "theme__name_es",
                    Value(" "),
                    "theme__name_pt_br",
                    Value(" "),
                    "theme__name_en",
                ),
                delimiter=" ",
            )
        )
        .values("names")
    )
    city_name = Subquery(City.objects.filter(pk=OuterRef("city_id")).values("name")[:1])
    extra = SearchVector(city_name, theme_names, weight="B", config=config_for_row())
    return synthetic_practices().update(search_vector=vector_expression() + extra)
