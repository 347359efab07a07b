"""The open API's tests reuse the practices' vocabulary fixtures and the fixed cast."""

import pytest

from tests.experiences.conftest import (  # noqa: F401  (fixtures, used by name)
    crc_article,
    draft,
    goal,
    make_practice,
    problem,
    published,
    themes,
)


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    """Most tests ask many times; test_http.py turns the limit back on where it is tested."""
    settings.API_RATE_LIMIT = 0


def api_get(client, path, **headers):
    return client.get(f"/api/v1/{path}", **headers)
