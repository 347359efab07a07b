"""How comparable two cities are: pure functions over plain values, so the ranking can be
read and tested without a database. services.comparability_refresh stores the result.

The score of a pair (README, "Learning from peers"):
- population band (under 100 000; to 500 000; to 1 million; to 5 million; more): the same
  band +3, a neighbouring band +1;
- the same country +2, and the same state or province +1 more;
- +1 per social problem both report in their latest year, at most +3;
- when both report values of the same indicators (totals, each city's latest year):
  +2 × the share of those indicators whose values differ by 25 % or less.
"""

from dataclasses import dataclass, field
from decimal import Decimal

POPULATION_BANDS = (100_000, 500_000, 1_000_000, 5_000_000)
SHARED_PROBLEMS_COUNTED = 3
CLOSE_ENOUGH = Decimal("0.25")


@dataclass
class CityFacts:
    """What the score reads of one city."""

    pk: int
    population: int | None = None
    country: str = ""
    region: str = ""
    problems: frozenset = frozenset()
    indicators: dict = field(default_factory=dict)  # indicator id → latest total value


@dataclass(frozen=True)
class Comparison:
    score: float
    same_population_band: bool
    same_country: bool
    same_region: bool
    shared_problems: int
    indicator_closeness: float | None


def population_band(population: int | None) -> int | None:
    if population is None:
        return None
    return sum(population >= limit for limit in POPULATION_BANDS)


def _close(a: Decimal, b: Decimal) -> bool:
    largest = max(abs(a), abs(b))
    return largest == 0 or abs(a - b) / largest <= CLOSE_ENOUGH


def compare(city: CityFacts, other: CityFacts) -> Comparison:
    """The comparability of two cities (the same whichever comes first)."""
    score = 0.0
    band, other_band = population_band(city.population), population_band(other.population)
    same_band = band is not None and band == other_band
    if same_band:
        score += 3
    elif band is not None and other_band is not None and abs(band - other_band) == 1:
        score += 1
    same_country = bool(city.country) and city.country == other.country
    same_region = same_country and bool(city.region) and city.region == other.region
    score += 2 * same_country + same_region
    shared = len(city.problems & other.problems)
    score += min(shared, SHARED_PROBLEMS_COUNTED)
    common = city.indicators.keys() & other.indicators.keys()
    closeness = None
    if common:
        close = sum(_close(city.indicators[key], other.indicators[key]) for key in common)
        closeness = close / len(common)
        score += 2 * closeness
    return Comparison(
        score=round(score, 4),
        same_population_band=same_band,
        same_country=same_country,
        same_region=same_region,
        shared_problems=shared,
        indicator_closeness=closeness,
    )
