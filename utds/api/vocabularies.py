"""The open API's shared vocabularies: themes, goals, CRC articles, social problems and
indicators, named in the language asked for."""

from ninja import Router

from experiences import queries as practice_queries
from mapping import queries as mapping_queries

from . import schemas as s
from .listing import NoFilters, absolute_url, as_float, list_operation

router = Router(tags=["vocabularies"])


@list_operation(
    router,
    "/themes",
    s.ThemeOut,
    "Themes of the practices",
    NoFilters,
    lambda: practice_queries.vocabularies()["themes"],
    ("position", "pk"),
    modified=None,
)
def _theme(request, theme) -> dict:
    """The practices' themes in their list order, named in the language asked for."""
    return {"slug": theme.slug, "name": theme.name, "description": theme.description}


@list_operation(
    router,
    "/goals",
    s.GoalOut,
    "Development goals (MDG and SDG)",
    NoFilters,
    lambda: mapping_queries.vocabularies()["goals"],
    ("framework", "number", "pk"),
    modified=None,
)
def _goal(request, goal) -> dict:
    return {
        "slug": goal.slug,
        "framework": goal.framework,
        "number": goal.number,
        "code": goal.code,
        "name": goal.name,
        "title": goal.title,
        "colour": goal.colour,
    }


@list_operation(
    router,
    "/crc-articles",
    s.ArticleOut,
    "Articles of the Convention on the Rights of the Child",
    NoFilters,
    lambda: practice_queries.vocabularies()["crc_articles"],
    ("number", "pk"),
    modified=None,
)
def _article(request, article) -> dict:
    return {
        "number": article.number,
        "name": article.name,
        "general_principle": article.general_principle,
    }


@list_operation(
    router,
    "/social-problems",
    s.SocialProblemOut,
    "The catalogue of social problems",
    NoFilters,
    lambda: mapping_queries.vocabularies()["problems"],
    ("slug", "pk"),
    modified=None,
)
def _problem_entry(request, problem) -> dict:
    return {
        "slug": problem.slug,
        "category": problem.category,
        "category_name": str(problem.get_category_display()),
        "name": problem.name,
        "description": problem.description,
        "goals": [goal.slug for goal in problem.goals.all()],
        "url": absolute_url(request, problem),
    }


@list_operation(
    router,
    "/indicators",
    s.IndicatorOut,
    "Indicators with their units, definitions and breakdowns",
    NoFilters,
    lambda: mapping_queries.vocabularies()["indicators"],
    ("slug", "pk"),
    modified=None,
)
def _indicator(request, indicator) -> dict:
    """The shared indicators by slug, with their kind, range and the codes of the
    breakdowns their values are reported in."""
    return {
        "slug": indicator.slug,
        "code": indicator.code,
        "name": indicator.name,
        "definition": indicator.description,
        "unit": indicator.unit,
        "category": indicator.category,
        "goal": indicator.goal.slug if indicator.goal else None,
        "higher_is_better": indicator.higher_is_better,
        "decimals": indicator.decimals,
        "kind": indicator.kind,
        "min_value": as_float(indicator.min_value),
        "max_value": as_float(indicator.max_value),
        "whole_number": indicator.whole_number,
        "breakdowns": indicator.grid_breakdowns(),
        "source": indicator.source,
        "url": absolute_url(request, indicator),
    }
