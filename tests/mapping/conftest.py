"""Mapping fixtures on top of the fixed cast (tests/conftest.py): two problems, two indicators
and helpers to build CSV uploads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from mapping.models import SocialProblem
from tests.factories import in_three

from .factories import SocialProblemFactory, named_indicator


@pytest.fixture(autouse=True)
def _english():
    # The es/pt catalogues are filled later: assert visible text in English.
    with translation.override("en"):
        yield


@pytest.fixture
def poverty(db):
    return SocialProblemFactory(
        slug="urban-poverty",
        category=SocialProblem.Category.POVERTY,
        **in_three("name", "Pobreza urbana", "Pobreza urbana", "Urban poverty"),
    )


@pytest.fixture
def violence(db):
    return SocialProblemFactory(
        slug="gender-violence",
        category=SocialProblem.Category.VIOLENCE,
        **in_three("name", "Violencia de género", "Violência de gênero", "Gender-based violence"),
    )


@pytest.fixture
def unemployment(db):
    return named_indicator("sdg-8-5-2")


@pytest.fixture
def income(db):
    return named_indicator("br-atlas-rdpc")


def csv_upload(text: str | bytes, name="values.csv", encoding="utf-8") -> SimpleUploadedFile:
    data = text if isinstance(text, bytes) else text.encode(encoding)
    return SimpleUploadedFile(name, data, content_type="text/csv")
