"""The dashboards in a browser: a coordinator sees an incomplete profile and a draft; the
secretariat sees a city without recent activity. axe-core runs on every page visited."""

import re

from playwright.sync_api import expect

from experiences.models import Practice
from tests.e2e.conftest import assert_accessible, log_in
from tests.experiences.conftest import create_practice
from tests.factories import CityFactory


def test_coordinator_sees_an_incomplete_profile_and_a_draft(page, ana, password, city_a):
    create_practice(city_a, "Mesas de niñez en borrador", status=Practice.Status.DRAFT)
    log_in(page, ana.email, password)
    page.goto("/en/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    city = page.locator(".dashboard-city", has_text="Quilmes")
    expect(city).to_contain_text("Profile: 0 of 5 checks complete")
    expect(city).to_contain_text("Problems updated in the last 12 months: missing")
    draft = page.get_by_role("link", name="Mesas de niñez en borrador")
    expect(draft).to_have_attribute(
        "href", "/en/practices/quilmes-ar-mesas-de-ninez-en-borrador/edit/"
    )
    assert_accessible(page)


def test_secretariat_sees_a_city_without_recent_activity(page, sofia, password, db):
    CityFactory(name="Rosario", slug="rosario-ar", country="AR")
    log_in(page, sofia.email, password)
    page.goto("/en/dashboard/")
    expect(page.get_by_role("heading", name="Monitoring and evaluation")).to_be_visible()
    table = page.get_by_role("table", name=re.compile("^Member cities without any activity since"))
    row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Rosario"))
    expect(row).to_be_visible()
    expect(row.get_by_role("cell").nth(1)).to_have_text("never")  # its last activity
    expect(
        page.get_by_role("table", name="Practices published by country and year")
    ).to_be_visible()
    assert_accessible(page)
