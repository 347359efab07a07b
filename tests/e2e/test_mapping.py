"""Browser flows of the mapping pages: a coordinator imports a CSV (fixing a bad line first),
and the public filters the joint map by country. axe-core runs on every page visited."""

import re

import pytest
from playwright.sync_api import expect

from mapping.models import SocialProblem
from tests.e2e.conftest import assert_accessible, log_in
from tests.factories import cast_city
from tests.mapping.factories import (
    CityProblemFactory,
    SocialProblemFactory,
    named_indicator,
)

HEADER = "city_slug,indicator_code,year,value,source\n"


def check_file(page, path, *years_and_values):
    """Writes Quilmes's unemployment values ("2023,6.8", …) from EPH to a CSV file at `path`
    and sends it to the import page's check."""
    rows = "".join(f"quilmes-ar,sdg-8-5-2,{row},EPH\n" for row in years_and_values)
    path.write_text(HEADER + rows, encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(path)
    page.get_by_role("button", name="Check the file").click()


@pytest.fixture
def unemployment(transactional_db):
    return named_indicator("sdg-8-5-2")


def test_coordinator_fixes_a_bad_line_imports_and_sees_the_new_value(
    page, ana, city_a, unemployment, password, tmp_path
):
    log_in(page, ana.email, password)
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()
    page.goto("/en/mapping/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import indicator values")
    assert_accessible(page)

    check_file(page, tmp_path / "values.csv", "2022,7.5", "2023,seven")
    errors = page.get_by_role("alert")
    expect(errors).to_contain_text("The file was not imported: 1 error")
    expect(errors.get_by_role("row", name=re.compile(r"^3 value"))).to_contain_text(
        "“seven” is not a number."
    )
    assert_accessible(page)

    check_file(page, tmp_path / "values-fixed.csv", "2022,7.5", "2023,6.8")
    expect(page.get_by_role("heading", name="Check before importing")).to_be_visible()
    expect(page.get_by_text("2 new, 0 changed, 0 unchanged")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm the import").click()
    expect(page.get_by_role("status")).to_contain_text("Imported 2 values: 2 new")
    assert_accessible(page)

    page.goto("/en/mapping/indicators/sdg-8-5-2/")
    expect(page.get_by_role("heading", name="Compared across cities, 2023")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("^Quilmes"))
    expect(row.first).to_contain_text("6.8")
    expect(
        page.get_by_role("img", name=re.compile("Unemployment rate by city, 2023"))
    ).to_be_visible()
    assert_accessible(page)

    # The city profile charts the new series, with its latest value beside the chart.
    page.goto("/en/cities/quilmes-ar/")
    indicators = page.get_by_role("region", name="Indicators")
    expect(indicators.get_by_text("Latest value (2023)")).to_be_visible()
    expect(indicators.locator("strong", has_text="6.8")).to_be_visible()
    expect(indicators.get_by_role("img").first).to_be_visible()
    assert_accessible(page)


@pytest.fixture
def joint_map(transactional_db):
    poverty = SocialProblemFactory(slug="urban-poverty", name_en="Urban poverty")
    housing = SocialProblemFactory(
        slug="inadequate-housing",
        name_en="Inadequate housing",
        category=SocialProblem.Category.HOUSING,
    )
    quilmes = cast_city("quilmes-ar")
    porto = cast_city("porto-alegre-br")
    CityProblemFactory(city=quilmes, problem=poverty, year=2024, priority=1)
    CityProblemFactory(city=quilmes, problem=housing, year=2024, priority=2)
    CityProblemFactory(city=porto, problem=housing, year=2024, priority=1)


def test_the_public_filters_the_joint_map_by_country(page, joint_map):
    page.goto("/en/mapping/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Joint map of social problems")
    table = page.get_by_role("table", name=re.compile("Priority of each problem"))
    expect(table.get_by_role("columnheader", name=re.compile("Porto Alegre"))).to_be_visible()
    # the map is drawn by the script, without any tile from the internet
    expect(page.locator("#mapping-map .map-pin")).to_have_count(2)
    assert_accessible(page)

    page.get_by_label("Country").select_option(label="Argentina")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"country=AR"))
    table = page.get_by_role("table", name=re.compile("Priority of each problem"))
    expect(table.get_by_role("columnheader", name=re.compile("Quilmes"))).to_be_visible()
    expect(table.get_by_role("columnheader", name=re.compile("Porto Alegre"))).to_have_count(0)
    expect(page.get_by_label("Country")).to_have_value("AR")

    page.get_by_role("button", name="Quilmes").click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Urban poverty (priority 1)")
    assert_accessible(page)


@pytest.mark.parametrize(
    "path",
    [
        "/en/mapping/problems/urban-poverty/",
        "/en/mapping/indicators/",
        "/en/mapping/indicators/sdg-8-5-2/?year=abc",
        "/en/mapping/export/",
        "/mapping/",
    ],
)
def test_public_mapping_pages_have_no_axe_violations(page, joint_map, unemployment, path):
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert_accessible(page)


def test_data_entry_page_with_errors_has_no_axe_violations(
    page, ana, city_a, unemployment, password, joint_map
):
    """The profile grid with a wrong cell, then a problem removed after its confirmation."""
    log_in(page, ana.email, password)
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()
    page.goto("/en/mapping/cities/quilmes-ar/edit/")
    expect(page).to_have_url(re.compile(r"/en/mapping/cities/quilmes-ar/profile/2024/$"))
    assert_accessible(page)
    page.get_by_label("Value: Unemployment rate, Total").fill("abc")
    page.get_by_role("button", name="Save the profile").first.click()
    expect(page.locator("#grid-errors")).to_contain_text("“abc” is not a number.")
    expect(page.get_by_label("Value: Unemployment rate, Total")).to_have_value("abc")
    assert_accessible(page)
    page.get_by_role("link", name="Remove Urban poverty").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove a problem")
    assert_accessible(page)
    page.get_by_role("button", name="Remove").click()
    expect(page.get_by_role("status")).to_contain_text("The problem was removed.")
    expect(page.get_by_role("link", name="Remove Urban poverty")).to_have_count(0)
    assert_accessible(page)
