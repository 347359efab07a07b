"""A coordinator keeps her city's social profile for a year in one sitting, in Spanish and in
Portuguese: dashboard → the year's grid → one value out of range and one without its source
→ both errors shown, everything typed kept → fixed → the replaced value confirmed "old → new"
→ saved once → the city page shows the figures. Then offline: the template downloaded,
changed as in a spreadsheet, imported back through the import page, and the grid shows the
change. axe-core runs on every page visited."""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mapping.models import CityProblem, IndicatorKind, IndicatorValue, SocialProblem
from tests.e2e.conftest import assert_accessible, log_in
from tests.factories import in_three
from tests.mapping.factories import IndicatorValueFactory, SocialProblemFactory, named_indicator

YEAR = 2023


@pytest.fixture
def profile_data(transactional_db, city_a):
    unemployment = named_indicator("sdg-8-5-2")
    unemployment.kind = IndicatorKind.PERCENTAGE
    unemployment.min_value, unemployment.max_value = Decimal(0), Decimal(100)
    unemployment.save()
    income = named_indicator("br-atlas-rdpc")
    IndicatorValueFactory(
        city=city_a, indicator=unemployment, year=YEAR, value=Decimal("9.1"), is_sample=True
    )
    poverty = SocialProblemFactory(
        slug="urban-poverty",
        category=SocialProblem.Category.POVERTY,
        **in_three("name", "Pobreza urbana", "Pobreza urbana", "Urban poverty"),
    )
    return unemployment, income, poverty


def cell(page, indicator, name):
    return page.locator(f"#id_v{indicator.pk}-total-{name}")


def save(page):
    with page.expect_navigation():
        page.locator('main form[method="post"] button[name="save"]').first.click()


@pytest.mark.parametrize(("prefix", "language"), [("", "es"), ("/pt-br", "pt-br")])
def test_a_coordinator_keeps_a_year_of_the_profile_in_one_sitting_and_offline(
    page, ana, city_a, password, profile_data, tmp_path, prefix, language
):
    unemployment, income, poverty = profile_data
    comma = "7,4"  # both languages write a decimal comma

    # From the dashboard to the latest year's grid.
    log_in(page, ana.email, password)
    page.goto(f"{prefix}/dashboard/")
    assert_accessible(page)
    page.locator(f'main a[href="{prefix}/mapping/cities/{city_a.slug}/edit/"]').click()
    expect(page).to_have_url(re.compile(rf"{prefix}/mapping/cities/{city_a.slug}/profile/{YEAR}/$"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(cell(page, unemployment, "value")).to_have_value("9,1")
    expect(page.locator(".sample-badge").first).to_be_visible()
    assert_accessible(page)

    # One value out of range, one without its source, and a new problem.
    cell(page, unemployment, "value").fill("141")
    cell(page, income, "value").fill("512,5")
    page.locator("#id_new0-problem").select_option(str(poverty.pk))
    page.locator("#id_new0-priority").select_option("1")
    page.locator("#id_new0-affected_population").fill("15000")
    page.locator("#id_new0-source").fill("Observatorio social")
    save(page)
    summary = page.locator("#grid-errors")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link")).to_have_count(2)
    expect(page.locator(f"#id_v{unemployment.pk}-total-value_error")).to_contain_text("100")
    expect(page.locator(f"#id_v{income.pk}-total-source_error")).to_be_visible()
    # everything typed is kept
    expect(cell(page, unemployment, "value")).to_have_value("141")
    expect(cell(page, income, "value")).to_have_value("512,5")
    expect(page.locator("#id_new0-source")).to_have_value("Observatorio social")
    assert_accessible(page)
    assert not CityProblem.objects.exists()

    # Fixed, saved once; the replaced value is confirmed old → new first.
    cell(page, unemployment, "value").fill(comma)
    cell(page, income, "source").fill("Atlas 2013")
    save(page)
    expect(page.locator("del").first).to_have_text("9,1")
    expect(page.locator("ins").first).to_have_text(comma)
    assert_accessible(page)
    assert IndicatorValue.objects.get(indicator=unemployment).value == Decimal("9.1")
    with page.expect_navigation():
        page.locator('button[name="confirm"]').click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(cell(page, unemployment, "value")).to_have_value(comma)
    assert_accessible(page)
    stored = IndicatorValue.objects.get(indicator=unemployment)
    assert (stored.value, stored.is_sample) == (Decimal("7.4"), False)

    # The city page shows the figures.
    page.goto(f"{prefix}/cities/{city_a.slug}/")
    main = page.locator("main")
    expect(main).to_contain_text("Pobreza urbana")
    expect(main.locator("strong", has_text=comma).first).to_be_visible()
    expect(main.locator("strong", has_text="512,5").first).to_be_visible()
    assert_accessible(page)

    # Offline: the template, changed as in a spreadsheet, imported back.
    page.goto(f"{prefix}/mapping/cities/{city_a.slug}/profile/{YEAR}/")
    with page.expect_download() as info:
        page.locator(f'a[href$="/profile/{YEAR}/template.csv"]').click()
    lines = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text("utf-8"))))
    for line in lines:
        if line["indicator_code"] == income.slug:
            line["value"] = "600"
    edited = tmp_path / "perfil.csv"
    with open(edited, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(lines[0]))
        writer.writeheader()
        writer.writerows(lines)
    page.locator(f'main a[href="{prefix}/mapping/import/"]').click()
    assert_accessible(page)
    page.locator('input[type="file"]').set_input_files(edited)
    page.locator('form[enctype="multipart/form-data"] button[type="submit"]').click()
    confirm = page.locator('input[name="digest"]').locator("xpath=..")
    expect(confirm).to_be_visible()
    assert_accessible(page)
    confirm.locator('button[type="submit"]').click()
    expect(page.get_by_role("status")).to_be_visible()
    assert IndicatorValue.objects.get(indicator=income).value == Decimal("600")

    page.goto(f"{prefix}/mapping/cities/{city_a.slug}/profile/{YEAR}/")
    expect(cell(page, income, "value")).to_have_value("600")
    expect(cell(page, unemployment, "value")).to_have_value(comma)
