"""The open API's response bodies: every field typed and described, nothing private (the
allow-list in tests/api/allowed_fields.txt names each one)."""

import datetime
from typing import Literal

from ninja import Field, Schema

Language = Literal["es", "pt-br", "en"]


class Problem(Schema):
    """An error as RFC 9457 problem details."""

    type: str = Field(examples=["about:blank"])
    title: str = Field(examples=["Bad Request"])
    status: int = Field(examples=[400])
    detail: str = Field(examples=["Invalid query parameter “theme”: not one of the choices."])
    instance: str = Field(description="The path asked for.", examples=["/api/v1/practices"])
    invalid_params: list["InvalidParam"] = Field(
        description="The query parameters that were wrong, each with the reason."
    )


class InvalidParam(Schema):
    name: str = Field(examples=["theme"])
    reason: str = Field(examples=["Select a valid choice."])


Problem.model_rebuild()


# --- references to vocabulary entries and cities, nested in other objects --------------


class CityRef(Schema):
    slug: str = Field(examples=["montevideo"])
    name: str = Field(examples=["Montevideo"])
    country: str = Field(description="ISO 3166-1 alpha-2 code.", examples=["UY"])


class TermRef(Schema):
    slug: str = Field(examples=["childhood"])
    name: str = Field(description="In the language of the response.", examples=["Infancia"])


class GoalRef(Schema):
    slug: str = Field(examples=["sdg-01"])
    code: str = Field(examples=["SDG 1"])
    name: str = Field(
        description="In the language of the response.", examples=["Fin de la pobreza"]
    )


class ArticleRef(Schema):
    number: int = Field(examples=[12])
    name: str = Field(description="In the language of the response.")


class LineRef(Schema):
    slug: str = Field(examples=["social-inclusion"])
    number: int = Field(examples=[1])
    title: str = Field(description="In the language of the response.")


# --- the resources ----------------------------------------------------------------------


class CityOut(Schema):
    slug: str = Field(examples=["montevideo"])
    name: str = Field(examples=["Montevideo"])
    country: str = Field(description="ISO 3166-1 alpha-2 code.", examples=["UY"])
    country_name: str = Field(description="In the language of the response.", examples=["Uruguay"])
    state_province: str
    latitude: float | None = Field(examples=[-34.9011])
    longitude: float | None = Field(examples=[-56.1645])
    population: int | None = Field(examples=[1319108])
    population_year: int | None = Field(examples=[2011])
    status: Literal["member", "applicant", "former"]
    current_role: Literal["coordinator", "sub_coordinator", ""] = Field(
        description="Its role in the unit this year, empty when it is a member only."
    )
    joined_year: int | None
    website: str
    url: str = Field(description="The city's page on the portal.")


class PracticeOut(Schema):
    slug: str = Field(examples=["escuelas-abiertas"])
    title: str = Field(examples=["Escuelas abiertas"])
    url: str = Field(description="The practice's page on the portal.")
    city: CityRef
    partner_cities: list[CityRef]
    language: Language = Field(description="The language the practice is written in.")
    summary: str
    problem: str
    objectives: str
    actions: str
    results: str
    lessons_learned: str
    target_population: str
    start_date: datetime.date
    end_date: datetime.date | None
    featured: bool
    published_at: datetime.datetime
    updated_at: datetime.datetime
    themes: list[TermRef]
    goals: list[GoalRef]
    crc_articles: list[ArticleRef]
    social_problems: list[TermRef]
    lines: list[LineRef]


class ThemeOut(Schema):
    slug: str = Field(examples=["childhood"])
    name: str = Field(description="In the language of the response.", examples=["Infancia"])
    description: str


class GoalOut(Schema):
    slug: str = Field(examples=["sdg-01"])
    framework: Literal["mdg", "sdg"]
    number: int = Field(examples=[1])
    code: str = Field(examples=["SDG 1"])
    name: str = Field(description="Short title in the language of the response.")
    title: str = Field(description="Official title in the language of the response.")
    colour: str = Field(examples=["#E5243B"])


class ArticleOut(Schema):
    number: int = Field(examples=[12])
    name: str = Field(description="Short title in the language of the response.")
    general_principle: bool


class SocialProblemOut(Schema):
    slug: str = Field(examples=["child-labour"])
    category: str = Field(examples=["childhood"])
    category_name: str = Field(description="In the language of the response.")
    name: str = Field(description="In the language of the response.")
    description: str
    goals: list[str] = Field(description="Slugs of the related development goals.")
    url: str


class IndicatorOut(Schema):
    slug: str = Field(examples=["unemployment-rate"])
    code: str
    name: str = Field(description="In the language of the response.")
    definition: str = Field(description="In the language of the response.")
    unit: str = Field(examples=["%"])
    category: str
    goal: str | None = Field(description="Slug of the related development goal.")
    higher_is_better: bool
    decimals: int
    kind: Literal["percentage", "rate", "amount", "count", "index", "growth"]
    min_value: float | None = Field(description="Lowest accepted value; null: no minimum.")
    max_value: float | None = Field(description="Highest accepted value; null: no maximum.")
    whole_number: bool
    breakdowns: list[str] = Field(
        description="Codes of the breakdowns reported: “total” first, then e.g. “women”, “men”.",
        examples=[["total", "women", "men"]],
    )
    source: str = Field(description="Where the definition comes from.")
    url: str


class CityProblemOut(Schema):
    city: CityRef
    problem: TermRef
    year: int = Field(examples=[2023])
    priority: int = Field(description="1 (most pressing) to 5 (least pressing).", examples=[1])
    affected_population: int | None
    notes: str
    source: str
    updated_at: datetime.datetime


class IndicatorValueOut(Schema):
    city: CityRef
    indicator: str = Field(description="Slug of the indicator.", examples=["unemployment-rate"])
    year: int = Field(examples=[2023])
    breakdown: str = Field(
        description="Code of the breakdown: “total”, “women”, “men”, “age_0_14”…",
        examples=["total"],
    )
    value: float = Field(examples=[7.4])
    source: str
    updated_at: datetime.datetime


class EventOut(Schema):
    slug: str
    title: str
    kind: Literal["summit", "meeting", "workshop", "webinar", "assembly"]
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    time_zone: str = Field(examples=["America/Montevideo"])
    place: str
    host_city: CityRef | None
    working_group: TermRef | None
    lines: list[LineRef]
    description: str
    registration_open: bool
    cancelled: bool
    updated_at: datetime.datetime
    url: str


class TransferPracticeRef(Schema):
    slug: str
    title: str = Field(description="In the practice's own language.")
    url: str = Field(description="The practice's page on the portal.")
    city: CityRef = Field(description="The practice's own city.")


class TransferOut(Schema):
    id: int
    practice: TransferPracticeRef
    city: CityRef = Field(description="The city that adopted or adapted the practice.")
    kind: Literal["adopted", "adapted"] = Field(description="Adopted as it was, or adapted.")
    started_on: datetime.date = Field(description="When the city started it.")
    changes: str = Field(description="What the city changed from the original practice.")
    results: str = Field(description="First results.")
    published_at: datetime.datetime
    url: str = Field(description="The transfer's page on the portal.")


class FundingCallOut(Schema):
    slug: str
    title: str
    funder: str
    summary: str
    status: Literal["open", "upcoming", "closed"]
    opens_on: datetime.date
    closes_on: datetime.date
    amount_min: float | None
    amount_max: float | None
    currency: str
    eligible_countries: list[str] = Field(description="ISO codes; empty means every country.")
    themes: list[TermRef]
    lines: list[LineRef]
    link: str = Field(description="The funder's page of the call.")
    updated_at: datetime.datetime
    url: str


class NewsOut(Schema):
    slug: str
    title: str
    summary: str
    body: str
    language: Language = Field(description="The language the item is written in.")
    published_at: datetime.datetime
    lines: list[LineRef]
    updated_at: datetime.datetime
    url: str


class LineOut(Schema):
    slug: str
    number: int
    title: str = Field(description="In the language of the response.")
    description: str = Field(description="In the language of the response.")


class PlanOut(Schema):
    start_year: int = Field(examples=[2024])
    end_year: int | None = Field(examples=[2026])
    title: str = Field(description="In the language of the response.")
    summary: str = Field(description="In the language of the response.")
    lines: list[LineOut]
    updated_at: datetime.datetime
    url: str


# --- the lists --------------------------------------------------------------------------


def page_of(item, name: str) -> type[Schema]:
    """The list schema of `item`: the language, the next page's address and the rows."""
    return type(
        name,
        (Schema,),
        {
            "__annotations__": {
                "language": Language,
                "next": str | None,
                "results": list[item],
            },
            "__doc__": f"One page of {item.__name__} rows, in a stable order.",
            "language": Field(description="The language of the texts.", examples=["es"]),
            "next": Field(description="The next page's address; null on the last page."),
        },
    )
