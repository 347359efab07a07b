"""Full-text search over practices: the stored vector. The query and the snippet are
shared (core/fulltext.py): each practice's vector is built with the configuration of the
language it is written in, and a visitor's words are parsed in all three languages.
"""

from django.contrib.postgres.search import SearchVector
from django.db.models import TextField, Value

from core.fulltext import (  # noqa: F401  (re-exported: part of this module's public names)
    MAX_QUERY_LENGTH,
    clean_query_text,
    config_for_row,
    headline,
    search_query,
)
from core.text import MARK_END, MARK_START  # noqa: F401


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
