"""The stored full-text vector of a practice, built with the configuration of the language
it is written in (the query and the snippet are core/fulltext.py's)."""

from django.contrib.postgres.search import SearchVector
from django.db.models import TextField, Value

from core.fulltext import config_for_row

from .models import PRACTICE_TEXT_FIELDS


def vector_expression(extra_text: str = ""):
    """Title (A), summary and city or theme names (B), the other sections (C)."""
    config = config_for_row()
    vector = (
        SearchVector("title", weight="A", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector(*PRACTICE_TEXT_FIELDS[1:], "partners", weight="C", config=config)
    )
    if extra_text:
        vector += SearchVector(
            Value(extra_text, output_field=TextField()), weight="B", config=config
        )
    return vector
