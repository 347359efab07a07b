"""Full-text search shared by every app that searches user text: the query and the snippet.

A row's vector is built with the configuration of the language it is written in
(`utds_es`, `utds_pt`, `utds_en`: the language's stemmer behind `unaccent`, created by
the migrations of the apps that search). A visitor's words are parsed with all three and
the queries OR-ed, so a Portuguese reader finds a Spanish text and accents never matter.
"""

import re
from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db.models import Case, TextField, Value, When

from core.text import MARK_END, MARK_START

# Language of a row (its `language` column) → text search configuration.
SEARCH_CONFIGS = {"es": "utds_es", "pt-br": "utds_pt", "en": "utds_en"}
# Longer input is cut: websearch_to_tsquery never fails, but a page of words is no query.
MAX_QUERY_LENGTH = 200

_CONTROL = re.compile(r"[\x00-\x1f\x7f\ue000\ue001]")


_CREATE_CONFIG = """
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'utds_NAME') THEN
    CREATE TEXT SEARCH CONFIGURATION utds_NAME (COPY = pg_catalog.BASE);
    ALTER TEXT SEARCH CONFIGURATION utds_NAME
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, BASE_stem;
  END IF;
END $$;
"""


def create_configs_sql() -> str:
    """SQL creating the configurations when they are missing (safe to run twice)."""
    configs = (("es", "spanish"), ("pt", "portuguese"), ("en", "english"))
    return "CREATE EXTENSION IF NOT EXISTS unaccent;\n" + "".join(
        _CREATE_CONFIG.replace("NAME", name).replace("BASE", base) for name, base in configs
    )


def clean_query_text(text) -> str:
    """The visitor's words without control characters (PostgreSQL rejects NUL), capped."""
    text = _CONTROL.sub(" ", str(text or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def search_query(text):
    """A websearch-style query in every language, or None when nothing is left."""
    text = clean_query_text(text)
    if not text:
        return None
    queries = [
        SearchQuery(text, config=config, search_type="websearch")
        for config in dict.fromkeys(SEARCH_CONFIGS.values())
    ]
    return reduce(or_, queries)


def config_for_row():
    """The row's own text search configuration, chosen from its `language` column."""
    return Case(
        *[When(language=code, then=Value(config)) for code, config in SEARCH_CONFIGS.items()],
        default=Value(SEARCH_CONFIGS["es"]),
        output_field=TextField(),
    )


def headline(field: str, query, *, config=None, max_words=40, min_words=15):
    """A snippet of `field` with the matches between MARK_START and MARK_END, in `config`
    (by default the row's own, see config_for_row)."""
    return SearchHeadline(
        field,
        query,
        config=config_for_row() if config is None else config,
        start_sel=MARK_START,
        stop_sel=MARK_END,
        max_words=max_words,
        min_words=min_words,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
