"""The open API's list of the network's cities, with the directory's filters."""

from typing import Literal

from django_countries import countries
from ninja import Field, Router

from cities import queries as city_queries
from cities.filters import CityFilter

from . import schemas as s
from .listing import ListParams, absolute_url, as_float, list_operation

router = Router(tags=["cities"])


class CityParams(ListParams):
    q: str | None = Field(None, max_length=100, description="Words in the name (accents ignored).")
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code.", examples=["UY"])
    status: Literal["member", "applicant", "former"] | None = None
    working_group: str | None = Field(None, description="Slug of a working group.")
    role: Literal["coordinator", "sub_coordinator", "member"] | None = Field(
        None, description="Role in the unit this year."
    )


# The directory leaves out the cities' change times: no Last-Modified, the ETag suffices.
@list_operation(
    router,
    "/cities",
    s.CityOut,
    "Cities of the network",
    CityParams,
    lambda: city_queries.directory_cities(None),
    ("name", "pk"),
    CityFilter,
    modified=None,
)
def _city(request, city) -> dict:
    """The cities of the directory, by name, with the directory's filters (no contacts)."""
    return {
        "slug": city.slug,
        "name": city.name,
        "country": city.country.code,
        "country_name": str(countries.name(city.country.code)),
        "state_province": city.state_province,
        "latitude": as_float(city.latitude),
        "longitude": as_float(city.longitude),
        "population": city.population,
        "population_year": city.population_year,
        "status": city.status,
        "current_role": city.current_role or "",
        "joined_year": city.joined_year,
        "website": city.website,
        "url": absolute_url(request, city),
    }
