"""experiences.demo.seed(): vocabularies and clearly marked sample practices, idempotent."""

import pytest
from django.utils import translation

from experiences import demo
from experiences.models import CRCArticle, Practice, Theme
from mapping import demo as mapping_demo
from tests.factories import CityFactory, in_each_language

CITY_SLUGS = [
    "quilmes-ar",
    "montevideo-uy",
    "porto-alegre-br",
    "rosario-ar",
    "villa-carlos-paz-ar",
    "sao-paulo-br",
]


@pytest.fixture
def seeded(db):
    for slug in CITY_SLUGS:
        CityFactory(slug=slug, name=slug.rsplit("-", 1)[0].title(), country=slug[-2:].upper())
    mapping_demo.seed()
    demo.seed()


def test_vocabularies_are_seeded_in_three_languages(seeded):
    assert Theme.objects.count() == 12
    assert CRCArticle.objects.count() == 42
    assert set(
        CRCArticle.objects.filter(general_principle=True).values_list("number", flat=True)
    ) == {
        2,
        3,
        6,
        12,
    }
    theme = Theme.objects.get(slug="children-adolescents")
    assert in_each_language(lambda: theme.name) == (
        "Derechos de niñas, niños y adolescentes",
        "Direitos de crianças e adolescentes",
        "Rights of children and adolescents",
    )
    with translation.override("en"):
        assert str(CRCArticle.objects.get(number=3)) == "Art. 3 · Best interests of the child"


def test_samples_are_marked_spread_over_cities_and_languages(seeded):
    samples = Practice.objects.filter(is_sample=True)
    assert 6 <= samples.count() <= 8
    assert all(p.title.startswith(("[Ejemplo]", "[Exemplo]")) for p in samples)
    assert samples.filter(status="draft").count() == 1
    assert samples.filter(status="published").count() == samples.count() - 1
    assert set(samples.values_list("language", flat=True)) == {"es", "pt-br"}
    assert samples.values("city").distinct().count() == 6
    assert all(p.themes.exists() for p in samples)


def test_seeding_twice_changes_nothing(seeded):
    before = (Theme.objects.count(), CRCArticle.objects.count(), Practice.objects.count())
    demo.seed()
    assert (Theme.objects.count(), CRCArticle.objects.count(), Practice.objects.count()) == before


def test_sample_practices_are_searchable_without_accents(seeded):
    assert Practice.objects.published().search("ninez").exists()
    assert Practice.objects.published().search("familias migrantes").exists()


def test_seed_skips_missing_cities(db):
    mapping_demo.seed()
    assert demo.seed() == 0
    assert Theme.objects.count() == 12


def test_each_sample_says_the_language_it_is_written_in(seeded):
    """Brazilian cities write in Portuguese ("[Exemplo]"), the others in Spanish."""
    for spec in demo.SAMPLES:
        brazilian = spec["city"].endswith("-br")
        assert spec["language"] == ("pt-br" if brazilian else "es"), spec["slug"]
        assert spec["title"].startswith("[Exemplo]" if brazilian else "[Ejemplo]"), spec["slug"]
    portuguese = Practice.objects.filter(is_sample=True, city__country="BR")
    assert portuguese.exists()
    assert set(portuguese.values_list("language", flat=True)) == {"pt-br"}
    with translation.override("pt-br"):
        assert all(p.og_locale == "pt_BR" for p in portuguese)
