"""Full-text search over practices: the stored vector, the query and the snippet.

Each practice's vector is built with the configuration of the language it is written in
(`utds_es`, `utds_pt`, `utds_en`: the language's stemmer behind `unaccent`, created by
migration 0001). A visitor's words are parsed with all three and the queries OR-ed, so a
Portuguese reader finds a Spanish practice and accents never matter.
"""

import re
from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchVector
from django.db.models import Case, TextField, Value, When

# Longer input is cut: websearch_to_tsquery never fails, but a page of words is no query.
MAX_QUERY_LENGTH = 200
# Markers ts_headline puts around matches; user text is escaped before they become <mark>.
MARK_START = "\ue000"
MARK_END = "\ue001"

_CONTROL = re.compile(r"[\x00-\x1f\x7f\ue000\ue001]")


def search_configs() -> dict[str, str]:
    from .models import SEARCH_CONFIGS

    return SEARCH_CONFIGS


def clean_query_text(text) -> str:
    """The visitor's words without control characters (PostgreSQL rejects NUL), capped."""
    text = _CONTROL.sub(" ", str(text or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def search_query(text):
    """A websearch-style query in every practice language, or None when nothing is left."""
    text = clean_query_text(text)
    if not text:
        return None
    queries = [
        SearchQuery(text, config=config, search_type="websearch")
        for config in dict.fromkeys(search_configs().values())
    ]
    return reduce(or_, queries)


def config_for_row():
    """The row's own text search configuration, chosen from its `language` column."""
    configs = search_configs()
    return Case(
        *[When(language=code, then=Value(config)) for code, config in configs.items()],
        default=Value(configs["es"]),
        output_field=TextField(),
    )


def vector_expression(extra_text: str = ""):
    """Title (A), summary and city or theme names (B), the other sections (C)."""
    config = config_for_row()
    vector = (
        SearchVector("title", weight="A", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector(
            "problem",
            "objectives",
            "actions",
            "results",
            "lessons_learned",
            "target_population",
            "partners",
            weight="C",
            config=config,
        )
    )
    if extra_text:
        vector += SearchVector(
            Value(extra_text, output_field=TextField()), weight="B", config=config
        )
    return vector


def headline(field: str, query):
    return SearchHeadline(
        field,
        query,
        config=config_for_row(),
        start_sel=MARK_START,
        stop_sel=MARK_END,
        max_words=40,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
