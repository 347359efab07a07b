"""Rules the data keeps even without the forms: database constraints."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from experiences.models import CRCArticle, Practice


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        ({"end_date": datetime.date(2000, 1, 1)}, "experiences_practice_dates_order"),
        ({"status": "published", "published_at": None}, "experiences_practice_published_has_date"),
        ({"budget": -5, "currency": "ARS"}, "experiences_practice_budget_not_negative"),
        ({"budget": 5, "currency": ""}, "experiences_practice_budget_has_currency"),
        ({"version": 0}, "experiences_practice_version_positive"),
    ],
)
def test_practice_constraints(draft, changes, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Practice.objects.filter(pk=draft.pk).update(**changes)


def test_crc_articles_are_numbered_1_to_42(db):
    with pytest.raises(IntegrityError, match="experiences_crcarticle_number_range"):
        CRCArticle.objects.create(number=43, name_es="x", name_pt_br="x", name_en="x")


def test_slug_is_unique(draft, make_practice):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_practice(slug=draft.slug)


def test_missing_sections_lists_what_blocks_publication(draft):
    draft.problem = ""
    draft.results = "  "
    assert draft.missing_sections() == ["problem addressed", "results"]
