"""The shared parts of a synthetic run: its sizes, its random source and vocabularies, and COPY."""

import random

from django.db import connection
from django.utils import timezone

from cities.models import City, WorkingGroup
from experiences.models import CRCArticle, Theme
from mapping.models import DevelopmentGoal, Indicator, SocialProblem
from unit.models import LineOfWork

# Sizes at N = 1.
CITIES = 400
PRACTICES = 20_000
EVENTS = 1_000
PROBLEMS_PER_CITY = 150  # 400 × 150 = 60,000
VALUES_PER_CITY = 600  # 400 × 600 = 240,000
REGISTRATIONS_PER_EVENT = 10  # 1,000 × 10 = 10,000
MAX_SCALE = 20  # bounded: N = 20 is already 400,000 practices

SOURCE = "Synthetic data (seed_demo --scale), not real figures"
BATCH = 1_000


def scaled(count: int, scale: float) -> int:
    """`count` at scale `scale`, at least 1."""
    return max(1, round(count * scale))


def copy_rows(model, columns: list[str], rows) -> int:
    """COPY `rows` (tuples in `columns` order) into `model`'s table; returns the count."""
    quote = connection.ops.quote_name
    columns_sql = ", ".join(quote(column) for column in columns)
    statement = f"COPY {quote(model._meta.db_table)} ({columns_sql}) FROM STDIN"
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def copy_links(field, pairs: list[tuple[int, int]]) -> None:
    """COPY (source id, target id) pairs into the through table of m2m `field`."""
    through = field.remote_field.through
    columns = [field.m2m_column_name(), field.m2m_reverse_name()]
    copy_rows(through, columns, pairs)


class Run:
    """One run: the random source and the vocabularies, read once."""

    def __init__(self, *, scale: float, seed: int):
        self.rng = random.Random(seed)  # noqa: S311  (test data, not secrets)
        self.scale = scale
        self.now = timezone.now()
        self.themes = list(Theme.objects.order_by("slug").values_list("pk", "slug"))
        self.goals = list(DevelopmentGoal.objects.order_by("slug").values_list("pk", flat=True))
        self.problems = list(SocialProblem.objects.order_by("slug").values_list("pk", flat=True))
        self.crc = list(CRCArticle.objects.order_by("number").values_list("pk", flat=True))
        self.lines = list(
            LineOfWork.objects.filter(plan__start_year=2012)
            .order_by("number")
            .values_list("pk", flat=True)
        )
        self.groups = list(WorkingGroup.objects.order_by("slug").values_list("pk", flat=True))
        self.groups = self.groups or [None]
        self.indicators = list(Indicator.objects.order_by("slug").values_list("pk", "decimals"))
        self.real_cities = list(
            City.objects.order_by("slug").values_list("pk", "country", "latitude", "longitude")
        )
        if not (self.real_cities and self.themes and self.problems and self.indicators):
            raise RuntimeError("Load the demo data first: the scale data builds on it.")

    def pick(self, weighted):
        values, weights = zip(*weighted, strict=True)
        return self.rng.choices(values, weights=weights)[0]
