"""mapping/0004 and 0005 on a database made before them: kinds and ranges from the reference
units; the free-text breakdowns land on the fixed list
("mujeres", "mulheres", "female" → women), what matches nothing stays as unmapped text, and
no value is lost."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mapping.models import Breakdown, IndicatorValue
from tests.factories import CityFactory

BEFORE = [("mapping", "0003_indicator_category_and_year_index")]


def migrate(targets):
    # The test runs in one transaction: checks made at once leave no pending trigger events
    # that would stop the next ALTER TABLE (each migration commits on its own in real use).
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    ContentType.objects.clear_cache()
    return executor.loader.project_state(list(executor.loader.applied_migrations)).apps


@pytest.fixture
def old_apps(db):
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_free_text_breakdowns_are_matched_to_the_list_and_nothing_is_lost(old_apps):
    Indicator = old_apps.get_model("mapping", "Indicator")
    OldValue = old_apps.get_model("mapping", "IndicatorValue")
    quilmes, porto = CityFactory(slug="q-ar"), CityFactory(slug="p-br")
    rate = Indicator.objects.create(
        slug="sdg-8-5-2",
        name_es="Tasa de desempleo",
        name_en="Unemployment rate, by sex, age and persons with disabilities",
        unit="% of labour force",
    )
    texts = {
        (quilmes.pk, 2020): ["total", "mujeres", "Varones", "=1+1"],
        (porto.pk, 2020): ["", "mulheres", "HOMENS", "age 0-14"],
        (quilmes.pk, 2021): ["female", "Mujéres"],  # both mean women in the same year
    }
    for (city_id, year), breakdowns in texts.items():
        for n, text in enumerate(breakdowns):
            OldValue.objects.create(
                city_id=city_id,
                indicator=rate,
                year=year,
                breakdown=text,
                value=Decimal(n),
                source="x",
            )

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    rows = set(
        IndicatorValue.objects.values_list("city__slug", "year", "breakdown", "unmapped_breakdown")
    )
    assert IndicatorValue.objects.count() == 10
    assert {
        ("q-ar", 2020, "total", ""),
        ("q-ar", 2020, "women", ""),
        ("q-ar", 2020, "men", ""),
        ("q-ar", 2020, None, "=1+1"),
        ("p-br", 2020, "total", ""),
        ("p-br", 2020, "women", ""),
        ("p-br", 2020, "men", ""),
        ("p-br", 2020, "age_0_14", ""),
    } <= rows
    # "female" and "Mujéres" both mean women: one takes the group, the other stays unmapped
    women_2021 = sorted((r[2] or "", r[3]) for r in rows if r[:2] == ("q-ar", 2021))
    assert women_2021 in ([("", "Mujéres"), ("women", "")], [("", "female"), ("women", "")])
    assert set(Breakdown.objects.values_list("code", flat=True)) >= {"total", "women", "men"}
    indicator = IndicatorValue.objects.first().indicator
    assert indicator.grid_breakdowns()[:3] == ["total", "women", "men"]
    assert indicator.kind == "percentage" and indicator.max_value == 100


def test_the_secretariat_assigns_an_unmapped_value_to_a_breakdown(sofia_client, city_a):
    from .factories import IndicatorValueFactory

    value = IndicatorValueFactory(
        city=city_a, breakdown=None, unmapped_breakdown="mujeres jefas", value=Decimal("4")
    )
    url = "/en/admin/mapping/indicatorvalue/"
    listing = sofia_client.get(url, {"unmapped": "yes"})
    assert "mujeres jefas" in listing.content.decode()
    response = sofia_client.post(
        f"{url}{value.pk}/change/",
        {
            "city": city_a.pk,
            "indicator": value.indicator.pk,
            "year": value.year,
            "breakdown": "women",
            "value": "4",
            "source": value.source,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    value.refresh_from_db()
    assert (value.breakdown_id, value.unmapped_breakdown) == ("women", "")
    assert "mujeres jefas" not in sofia_client.get(url, {"unmapped": "yes"}).content.decode()
