"""The open API's list of published practices, with the practices page's filters."""

from typing import Literal

from ninja import Field, Router

from experiences import queries as practice_queries
from experiences.filters import PracticeFilter

from . import schemas as s
from .listing import ListParams, absolute_url, city_ref, list_operation

router = Router(tags=["practices"])

# The columns a row is built from: the search vector (half of a row's size), the contacts
# and the review notes are never read.
COLUMNS = (
    *("slug", "title", "language", "summary", "problem", "objectives", "actions", "results"),
    *("lessons_learned", "target_population", "start_date", "end_date", "featured"),
    *("published_at", "updated_at", "city__slug", "city__name", "city__country"),
)


class PracticeParams(ListParams):
    q: str | None = Field(
        None, max_length=1000, description="Words in the text (full-text, accents ignored)."
    )
    theme: list[str] = Field([], description="Slugs of themes (any of them).")
    goal: str | None = Field(None, description="Slug of a development goal.", examples=["sdg-01"])
    problem: str | None = Field(None, description="Slug of a social problem.")
    crc: int | None = Field(None, description="Number of an article of the CRC.", examples=[12])
    country: str | None = Field(None, description="ISO code of the practice's city's country.")
    city: str | None = Field(None, description="Slug of a city (its own and partner practices).")
    year_from: int | None = Field(None, ge=1990, le=2100, description="Running from this year.")
    year_to: int | None = Field(None, ge=1990, le=2100, description="Running until this year.")
    language: Literal["es", "pt-br", "en"] | None = Field(None, description="Written in.")
    featured: bool | None = Field(None, description="Featured practices only.")


@list_operation(
    router,
    "/practices",
    s.PracticeOut,
    "Published practices",
    PracticeParams,
    lambda: practice_queries.published_with_vocabularies().only(*COLUMNS),
    ("-published_at", "-pk"),
    PracticeFilter,
)
def _practice(request, practice) -> dict:
    """Published practices, newest first, with the filters of the practices page (never a
    draft, a practice in review, a pending change or a contact)."""
    return {
        "slug": practice.slug,
        "title": practice.title,
        "url": absolute_url(request, practice),
        "city": city_ref(practice.city),
        "partner_cities": practice.partner_list,
        "language": practice.language,
        "summary": practice.summary,
        "problem": practice.problem,
        "objectives": practice.objectives,
        "actions": practice.actions,
        "results": practice.results,
        "lessons_learned": practice.lessons_learned,
        "target_population": practice.target_population,
        "start_date": practice.start_date,
        "end_date": practice.end_date,
        "featured": practice.featured,
        "published_at": practice.published_at,
        "updated_at": practice.updated_at,
        "themes": practice.theme_list,
        # the code as DevelopmentGoal.code writes it: "SDG 1"
        "goals": [
            {
                "slug": goal["slug"],
                "code": f"{goal['framework'].upper()} {goal['number']}",
                "name": goal["name"],
            }
            for goal in practice.goal_list
        ],
        "crc_articles": practice.article_list,
        "social_problems": practice.problem_list,
        "lines": practice.line_list,
    }
