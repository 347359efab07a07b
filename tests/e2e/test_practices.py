"""A coordinator writes, files and publishes a practice; a Portuguese reader finds it by
an accent-less word. axe-core runs on every page visited."""

import re

from playwright.sync_api import expect

from experiences.models import CityPublishingRight, Practice
from tests.e2e.conftest import assert_accessible, log_in
from tests.experiences.conftest import PDF_BYTES


def write_practice(page, title, pdf_path):
    page.goto("/en/practices/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Write a practice")
    assert_accessible(page)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Summary").fill(
        "Mesas donde la **niñez** opina sobre las políticas de su barrio."
    )
    page.get_by_label("Problem addressed").fill("La niñez no participaba en las decisiones.")
    page.get_by_label("Objectives").fill("Escuchar a niñas y niños.")
    page.get_by_label("Actions", exact=False).first.fill("Reuniones mensuales en cada barrio.")
    page.get_by_label("Results").fill("Catorce mesas activas.")
    page.get_by_label("Start date").fill("2012-03-01")
    page.get_by_label("Rights of children and adolescents").check()
    page.get_by_label("Attach files").set_input_files(str(pdf_path))
    page.get_by_role("button", name="Save draft").click()


def test_coordinator_publishes_a_practice_that_a_portuguese_reader_finds(
    page, ana, password, children_theme, media, tmp_path, city_a
):
    CityPublishingRight.objects.create(city=city_a, can_self_publish=True)
    pdf_path = tmp_path / "informe-mesas.pdf"
    pdf_path.write_bytes(PDF_BYTES)
    title = "Mesas barriales de niñez y adolescencia"

    page.goto("/accounts/login/")
    assert_accessible(page)
    log_in(page, ana.email, password)
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()
    assert_accessible(page)

    write_practice(page, title, pdf_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("note")).to_contain_text("This practice is not public")
    expect(page.get_by_role("link", name="informe-mesas")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("The practice is published.")
    expect(page.get_by_role("note")).to_have_count(0)
    assert_accessible(page)
    practice = Practice.objects.get()
    assert practice.status == Practice.Status.PUBLISHED
    assert practice.attachments.count() == 1

    # A visitor reading in Portuguese types the word without its tilde.
    page.context.clear_cookies()
    page.goto("/pt-br/practices/?q=ninez")
    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
    result = page.get_by_role("link", name=title)
    expect(result).to_be_visible()
    expect(page.locator(".practice-snippet mark").first).to_have_text(re.compile("niñez", re.I))
    assert_accessible(page)

    result.click()
    expect(page).to_have_url(re.compile(rf"/pt-br/practices/{practice.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert_accessible(page)


def test_submitted_practice_is_published_by_the_secretariat(
    page, ana, sofia, password, children_theme, media, tmp_path
):
    pdf_path = tmp_path / "anexo.pdf"
    pdf_path.write_bytes(PDF_BYTES)
    log_in(page, ana.email, password)
    write_practice(page, "Huertas comunitarias de barrio", pdf_path)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("note")).to_contain_text("waiting for the secretariat's review")
    assert_accessible(page)
    slug = Practice.objects.get().slug

    page.context.clear_cookies()
    log_in(page, sofia.email, password)
    page.goto(f"/en/practices/{slug}/")
    expect(page.get_by_label("Comments for the city")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("The practice is published.")
    assert Practice.objects.get().status == Practice.Status.PUBLISHED


def test_practice_list_with_filters_is_accessible_and_keyboard_usable(page, children_theme):
    page.goto("/en/practices/?theme=children-adolescents&year_from=abc")
    expect(page.get_by_role("heading", level=1)).to_have_text("Good practices")
    expect(page.get_by_role("alert")).to_contain_text("Some filters were not understood")
    assert_accessible(page)
    search = page.get_by_label("Words to search for")
    search.fill("crianças")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"q=crian"))
    expect(page.get_by_text("No practice matches what you asked for.")).to_be_visible()
    assert_accessible(page)
