"""The open API's lists of the cities' social profiles: their problems and indicator values."""

from ninja import Field, Router

from mapping import queries as mapping_queries
from mapping.filters import CityProblemFilter, IndicatorValueFilter

from . import schemas as s
from .listing import ListParams, city_ref, list_operation, term_ref

router = Router(tags=["social profiles"])


class CityProblemParams(ListParams):
    city: str | None = Field(None, description="Slug of a city.", examples=["quilmes-ar"])
    country: str | None = Field(None, description="ISO code.", examples=["AR"])
    problem: str | None = Field(None, description="Slug of a social problem.")
    category: str | None = Field(None, description="Category of the problem.")
    year: int | None = Field(None, ge=1900, le=2100)


class IndicatorValueParams(ListParams):
    city: str | None = Field(None, description="Slug of a city.", examples=["quilmes-ar"])
    country: str | None = Field(None, description="ISO code.", examples=["AR"])
    indicator: str | None = Field(None, description="Slug of an indicator.")
    year: int | None = Field(None, ge=1900, le=2100)
    breakdown: str | None = Field(
        None,
        description="Code of a breakdown: “total”, “women”, “men”, “age_0_14”…",
        examples=["total"],
    )


@list_operation(
    router,
    "/city-problems",
    s.CityProblemOut,
    "The problems in each city's social profile",
    CityProblemParams,
    lambda: mapping_queries.public_city_problems(),
    ("-year", "pk"),
    CityProblemFilter,
)
def _city_problem(request, row) -> dict:
    """Latest year first, with the filters of the open-data export."""
    return {
        "city": city_ref(row.city),
        "problem": term_ref(row.problem),
        "year": row.year,
        "priority": row.priority,
        "affected_population": row.affected_population,
        "notes": row.notes,
        "source": row.source,
        "updated_at": row.updated_at,
    }


@list_operation(
    router,
    "/indicator-values",
    s.IndicatorValueOut,
    "The cities' indicator values",
    IndicatorValueParams,
    lambda: mapping_queries.public_indicator_values(),
    ("-year", "pk"),
    IndicatorValueFilter,
)
def _indicator_value(request, row) -> dict:
    """Latest year first, with the filters of the open-data export."""
    return {
        "city": city_ref(row.city),
        "indicator": row.indicator.slug,
        "year": row.year,
        "breakdown": row.breakdown_id,
        "value": float(row.value),
        "source": row.source,
        "updated_at": row.updated_at,
    }
