"""The city directory and profiles in a browser, with axe-core on every page visited."""

import re

import pytest
from playwright.sync_api import expect

from cities.models import UnitRole
from tests.e2e.conftest import assert_accessible, log_in
from tests.factories import CityFactory, FocalPointFactory


@pytest.fixture
def network(city_a, city_b, city_c):
    CityFactory(name="Piamonte", slug="piamonte-ar", latitude=None, longitude=None)
    UnitRole.objects.create(city=city_a, role=UnitRole.Role.COORDINATOR, from_year=2023)
    FocalPointFactory(
        city=city_a,
        name="Marta Gómez",
        email="marta@quilmes.example",
        phone="+54 11 4350 1111",
        is_primary=True,
    )
    return city_a, city_b


def test_visitor_filters_by_country_and_opens_a_city(page, network):
    page.goto("/en/cities/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Member cities")
    expect(page.get_by_text("4 cities", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Country").select_option("BR")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"country=BR"))
    expect(page.get_by_text("1 city", exact=True)).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("link")).to_have_count(1)
    expect(page.get_by_role("link", name="Clear filters")).to_be_visible()
    assert_accessible(page)

    table.get_by_role("link", name="Porto Alegre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Porto Alegre")
    assert_accessible(page)


def test_map_draws_a_marker_per_filtered_city_that_links_to_its_page(page, network):
    page.goto("/en/cities/?country=AR")
    region = page.get_by_role("region", name="Map of the cities found")
    expect(region).to_be_visible()
    # Quilmes has coordinates, Piamonte has none.
    markers = page.locator(".city-marker-link")
    expect(markers).to_have_count(1)
    expect(page.get_by_text("1 city has no coordinates and is not on the map.")).to_be_visible()
    assert_accessible(page)
    markers.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quilmes")


def test_visitor_profile_shows_no_contact_emails(page, network):
    page.goto("/en/cities/quilmes-ar/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quilmes")
    expect(page.get_by_role("link", name="Contact the secretariat")).to_be_visible()
    content = page.content()
    assert "marta@quilmes.example" not in content
    assert "4350 1111" not in content
    assert_accessible(page)


def test_coordinator_sees_contacts_and_edits_with_errors_shown(page, network, ana, password):
    log_in(page, ana.email, password)
    page.goto("/en/cities/quilmes-ar/")
    expect(page.get_by_role("link", name="marta@quilmes.example")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Edit profile and contacts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit Quilmes")
    assert_accessible(page)
    page.locator("#id_contacts-0-phone").fill("call me")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_contacts-0-phone_error")).to_be_visible()
    assert_accessible(page)

    page.locator("#id_contacts-0-phone").fill("+54 11 4350 2222")
    page.get_by_label("These contacts are still correct").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quilmes")
    expect(page.get_by_text("The profile of Quilmes was saved.")).to_be_visible()


@pytest.mark.parametrize(("path", "lang"), [("/cities/", "es"), ("/pt-br/cities/", "pt-br")])
def test_directory_and_profile_have_no_axe_violations_in_spanish_and_portuguese(
    page, network, path, lang
):
    page.goto(path)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("#city-map")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("table").get_by_role("link", name="Quilmes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quilmes")
    assert_accessible(page)


def test_directory_works_without_javascript(browser, live_server, network):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/en/cities/?country=AR")
    expect(page.locator("#city-map")).to_be_hidden()
    page.get_by_role("table").get_by_role("link", name="Quilmes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quilmes")
    context.close()
