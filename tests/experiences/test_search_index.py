"""The full-text search really uses the GIN index once the table has grown."""

import datetime

from django.db import connection
from django.utils import timezone

from experiences.models import Practice
from experiences.services import practice_refresh_all_search

ROWS = 6000
SYLLABLES = ["ba", "ce", "di", "fo", "gu", "la", "me", "ni", "po", "ru", "sa", "te", "vi", "jo"]


def word(i: int) -> str:
    """One of 2,744 made-up words, so the table has a realistic spread of lexemes."""
    s = SYLLABLES
    return s[i % 14] + s[(i // 14) % 14] + s[(i // 196) % 14] + "r"


def text(n: int, count: int) -> str:
    return " ".join(word((n * 7919 + k * 104729) % 2744) for k in range(count))


def test_search_plan_names_the_gin_index(city_a, django_assert_max_num_queries):
    now = timezone.now()
    Practice.objects.bulk_create(
        [
            Practice(
                title=f"Programa municipal {n}",
                slug=f"programa-{n}",
                city=city_a,
                language="pt-br" if n % 3 == 0 else "es",
                summary=text(n, 30),
                actions=text(n + 1, 40),
                start_date=datetime.date(2000 + n % 20, 1, 1),
                status=Practice.Status.PUBLISHED,
                published_at=now,
            )
            for n in range(ROWS)
        ]
        + [
            Practice(
                title="Huertas de zanahorias",
                slug="huertas-de-zanahorias",
                city=city_a,
                summary="Cultivo comunitario de zanahorias.",
                start_date=datetime.date(2020, 1, 1),
                status=Practice.Status.PUBLISHED,
                published_at=now,
            )
        ],
        batch_size=1000,
    )
    assert practice_refresh_all_search() == ROWS + 1
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE experiences_practice")

    # The queryset the list page runs for ?q=zanahoria (ranked, newest as tie-break).
    queryset = (
        Practice.objects.published()
        .search("zanahoria")
        .order_by("-rank", "-published_at", "pk")[:12]
    )
    plan = queryset.explain()
    assert "experiences_practice_search" in plan, plan
    assert [p.slug for p in queryset] == ["huertas-de-zanahorias"]
