"""What the peers panels read: practices of comparable cities for a city's urgent problems,
and the transfers of a practice or a city. Each function costs a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from experiences.models import Practice
from mapping.models import CityProblem

from .models import CityComparability, Transfer

URGENT_PRIORITIES = (1, 2)
PER_PROBLEM = 3
# Candidates read per panel at most, the most recently published first: a bound on the
# rows one panel reads however many practices address a common problem.
CANDIDATES_READ = 300
# Recency: published within a year +1, within three years +0.5.
RECENT = ((datetime.timedelta(days=365), 1.0), (datetime.timedelta(days=3 * 365), 0.5))


@dataclass
class Suggestion:
    practice: Practice
    score: float
    reason: str


@dataclass
class ProblemSuggestions:
    problem: object
    priority: int
    suggestions: list[Suggestion] = field(default_factory=list)


def _recency(published_at, now) -> float:
    for age, bonus in RECENT:
        if published_at and now - published_at <= age:
            return bonus
    return 0.0


def _problem_bonus(other_priority: int | None) -> float:
    """The other city reports the same problem: +2 when among its urgent ones, else +1."""
    if other_priority is None:
        return 0.0
    return 2.0 if other_priority in URGENT_PRIORITIES else 1.0


# Why a practice is shown, by what the other city reports of the problem (first, another
# priority, nothing) and how it resembles the reader's city (size, country, neither).
REASONS = {
    ("first", "size"): gettext_lazy(
        "%(city)s, a city of similar size, also ranks %(problem)s first."
    ),
    ("first", "country"): gettext_lazy(
        "%(city)s, in the same country, also ranks %(problem)s first."
    ),
    ("first", ""): gettext_lazy("%(city)s also ranks %(problem)s first."),
    ("ranked", "size"): gettext_lazy(
        "%(city)s, a city of similar size, also ranks %(problem)s at priority %(priority)s."
    ),
    ("ranked", "country"): gettext_lazy(
        "%(city)s, in the same country, also ranks %(problem)s at priority %(priority)s."
    ),
    ("ranked", ""): gettext_lazy("%(city)s also ranks %(problem)s at priority %(priority)s."),
    ("", "size"): gettext_lazy(
        "%(city)s, a city of similar size, addressed %(problem)s with this practice."
    ),
    ("", "country"): gettext_lazy(
        "%(city)s, in the same country, addressed %(problem)s with this practice."
    ),
    ("", ""): gettext_lazy("%(city)s addressed %(problem)s with this practice."),
}


def reason(*, city: str, problem: str, similar_size: bool, same_country: bool, priority) -> str:
    """The one line saying why a practice is shown: what the two cities share."""
    ranking = "" if priority is None else "first" if priority == 1 else "ranked"
    likeness = "size" if similar_size else "country" if same_country else ""
    return str(REASONS[ranking, likeness]) % {
        "city": city,
        "problem": problem,
        "priority": priority,
    }


def urgent_problems(city) -> list[CityProblem]:
    """The city's priority 1 and 2 problems of its latest reported year (one query)."""
    return list(
        CityProblem.objects.latest_year_of_city(city)
        .filter(priority__in=URGENT_PRIORITIES)
        .select_related("problem")
        .order_by("priority", "problem__slug")
    )


def suggestions_for_city(
    city, per_problem: int = PER_PROBLEM, city_problems=None
) -> list[ProblemSuggestions]:
    """For each urgent problem of `city`, up to `per_problem` published practices of other
    cities addressing it, best first (README: comparability, the other city's own ranking of
    the problem, recency; then newest, then id). Two queries (one given `city_problems`,
    the city's problems of its latest year), one (none) when nothing is urgent."""
    if city_problems is None:
        urgent = urgent_problems(city)
    else:  # the page read the city's latest problems already (its social profile)
        urgent = sorted(
            (item for item in city_problems if item.priority in URGENT_PRIORITIES),
            key=lambda item: (item.priority, item.problem.slug),
        )
    if not urgent:
        return []
    problem_ids = [item.problem_id for item in urgent]
    pair = CityComparability.objects.filter(city=city, other=models.OuterRef("practice__city"))
    latest = (
        CityProblem.objects.filter(city=models.OuterRef("city"))
        .order_by("-year")
        .values("year")[:1]
    )
    # the other city's priority for the same problem in its own latest year
    their_priority = CityProblem.objects.filter(
        city=models.OuterRef("practice__city"),
        problem=models.OuterRef("socialproblem"),
        year=models.Subquery(latest),
    ).values("priority")[:1]
    links = list(
        Practice.social_problems.through.objects.filter(
            socialproblem_id__in=problem_ids, practice__status=Practice.Status.PUBLISHED
        )
        .exclude(practice__city=city)
        .annotate(
            score=models.Subquery(pair.values("score")[:1]),
            similar_size=models.Subquery(pair.values("same_population_band")[:1]),
            same_country=models.Subquery(pair.values("same_country")[:1]),
            their_priority=models.Subquery(their_priority),
        )
        .select_related("practice__city")
        .order_by("-practice__published_at", "-practice_id")[:CANDIDATES_READ]
    )
    now = timezone.now()
    groups = {item.problem_id: ProblemSuggestions(item.problem, item.priority) for item in urgent}
    for link in links:
        practice = link.practice
        score = (
            (link.score or 0.0)
            + _problem_bonus(link.their_priority)
            + _recency(practice.published_at, now)
        )
        line = reason(
            city=practice.city.name,
            problem=groups[link.socialproblem_id].problem.name,
            similar_size=bool(link.similar_size),
            same_country=bool(link.same_country),
            priority=link.their_priority,
        )
        groups[link.socialproblem_id].suggestions.append(Suggestion(practice, score, line))
    for group in groups.values():
        group.suggestions.sort(
            key=lambda s: (-s.score, -s.practice.published_at.timestamp(), -s.practice.pk)
        )
        del group.suggestions[per_problem:]
    return list(groups.values())


def published_transfers_of(practice) -> list[Transfer]:
    """The published transfers of a practice with their cities (one query)."""
    return list(
        Transfer.objects.published()
        .filter(practice=practice)
        .select_related("city")
        .order_by("city__name")
    )


def transfers_of_city(user, city) -> dict:
    """What `city` took from others and what others took from it, as `user` may see them
    (drafts for its coordinators and the secretariat); one query."""
    rows = (
        Transfer.objects.visible_to(user)
        .with_card_data()
        .filter(models.Q(city=city) | models.Q(practice__city=city))
        .order_by("-started_on", "-pk")
    )
    adopted, adopted_from = [], []
    for transfer in rows:
        (adopted if transfer.city_id == city.pk else adopted_from).append(transfer)
    return {"adopted": adopted, "adopted_from": adopted_from}


def published_transfers():
    """Every published transfer of a published practice, for open data and the API (never
    the contact)."""
    return (
        Transfer.objects.published()
        .filter(practice__status=Practice.Status.PUBLISHED)
        .with_card_data()
        .order_by("-published_at", "-pk")
    )
