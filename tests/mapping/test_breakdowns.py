"""The breakdown list in the page's language (issue 18): labels in es, pt-br and en, in the
list's order, on the indicator page's breakdown choice and its caption."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from mapping.models import Breakdown, breakdown_key, breakdown_spellings

from .factories import IndicatorValueFactory


def test_every_breakdown_has_its_three_labels(db):
    for breakdown in Breakdown.objects.all():
        assert breakdown.name_es and breakdown.name_pt_br and breakdown.name_en
    assert list(Breakdown.objects.values_list("code", flat=True)[:3]) == ["total", "women", "men"]


def test_spellings_ignore_case_accents_and_dashes(db):
    spellings = breakdown_spellings(Breakdown.objects.all())
    assert breakdown_key(" Mujéres ") == "mujeres"
    for text in ("MUJERES", "Mulheres", "female", "Women"):
        assert spellings[breakdown_key(text)] == "women"
    assert spellings[breakdown_key("Age 15–24")] == "age_15_24"
    assert breakdown_key("=1+1") not in spellings


@pytest.mark.parametrize(
    ("language", "label"), [("es", "Mujeres"), ("pt-br", "Mulheres"), ("en", "Women")]
)
def test_the_indicator_page_names_breakdowns_in_its_language(
    visitor, city_a, unemployment, language, label
):
    IndicatorValueFactory(city=city_a, indicator=unemployment, year=2022, value=Decimal("7"))
    IndicatorValueFactory(
        city=city_a, indicator=unemployment, year=2022, breakdown_id="women", value=Decimal("8")
    )
    with translation.override(language):
        url = reverse("mapping:indicator", kwargs={"slug": unemployment.slug})
    page = visitor.get(url, {"breakdown": "women"}).content.decode()
    assert f'<option value="women" selected>{label}</option>' in page
    assert f"{label}." in page
