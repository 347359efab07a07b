"""A coordinator's practice from first draft to an approved change, with real clicks, in
Spanish and in Portuguese: log in → dashboard → new practice with an attachment → submit →
the secretariat sends it back with a comment → the coordinator reads it on the edit page
and the dashboard → fixes it → the secretariat publishes → the coordinator edits it → the
public still sees the published text until the secretariat approves. axe-core runs on
every page visited."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from experiences.models import Practice
from tests.e2e.conftest import assert_accessible, log_in
from tests.experiences.conftest import PDF_BYTES

COMMENT = "Faltan las cifras de cobertura por barrio."
TITLE = "Mesas barriales de niñez"
NEW_TITLE = "Mesas barriales de niñez y adolescencia"


def switch_to(page, email, password):
    page.context.clear_cookies()
    cache.clear()
    log_in(page, email, password)


def open_from_dashboard(page, prefix, slug):
    page.goto(f"{prefix}/dashboard/")
    assert_accessible(page)
    link = page.locator(f'main a[href="{prefix}/practices/{slug}/edit/"]')
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(re.compile(rf"{prefix}/practices/{slug}/edit/$"))
    assert_accessible(page)


def press(page, slug, action):
    """Presses the button of the practice's `action` form (publish, request-changes, …) and
    waits for the message saying it is done."""
    page.locator(f'form[action$="/{slug}/{action}/"] button').click()
    expect(page.get_by_role("status")).to_be_visible()


@pytest.mark.parametrize(("prefix", "language"), [("", "es"), ("/pt-br", "pt-br")])
def test_a_practice_from_draft_to_an_approved_change(
    page, ana, sofia, password, children_theme, city_a, city_b, media, tmp_path, prefix, language
):
    pdf = tmp_path / "informe-mesas.pdf"
    pdf.write_bytes(PDF_BYTES)

    # The coordinator writes a practice from her dashboard, in the page's language.
    log_in(page, ana.email, password)
    page.goto(f"{prefix}/dashboard/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page)
    page.locator(f'main a[href="{prefix}/practices/new/"]').click()
    expect(page.locator("#id_language")).to_have_value(language)
    assert_accessible(page)
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("Mesas donde la niñez opina sobre su barrio.")
    page.locator("#id_problem").fill("La niñez no participaba en las decisiones.")
    page.locator("#id_objectives").fill("Escuchar a niñas y niños.")
    page.locator("#id_actions").fill("Reuniones mensuales en cada barrio.")
    page.locator("#id_results").fill("Catorce mesas activas.")
    page.locator("#id_start_date").fill("2012-03-01")
    page.locator(f'input[name="themes"][value="{children_theme.pk}"]').check()
    # partner cities: a list of check boxes with a filter box
    page.locator("#id_partner_cities-filter").fill("porto")
    expect(page.locator(f'input[name="partner_cities"][value="{city_a.pk}"]')).to_be_hidden()
    page.locator(f'input[name="partner_cities"][value="{city_b.pk}"]').check()
    page.locator("#id_attachments").set_input_files(str(pdf))
    page.locator('button[name="action"][value="submit"]').click()
    expect(page.get_by_role("note")).to_be_visible()
    assert_accessible(page)
    practice = Practice.objects.get()
    assert practice.status == Practice.Status.IN_REVIEW
    assert practice.language == language
    assert practice.attachments.count() == 1
    assert list(practice.partner_cities.all()) == [city_b]

    # The secretariat opens it from its review queue and sends it back.
    switch_to(page, sofia.email, password)
    open_from_dashboard(page, prefix, practice.slug)
    page.locator("#id_comment").fill(COMMENT)
    press(page, practice.slug, "request-changes")
    practice.refresh_from_db()
    assert practice.status == Practice.Status.DRAFT

    # The coordinator reads the comment on her dashboard and at the top of the edit page.
    switch_to(page, ana.email, password)
    page.goto(f"{prefix}/dashboard/")
    expect(page.locator("main")).to_contain_text(COMMENT)
    open_from_dashboard(page, prefix, practice.slug)
    expect(page.locator("aside.review-comment")).to_contain_text(COMMENT)
    page.locator("#id_results").fill("Catorce mesas activas y 1.200 niñas y niños por año.")
    page.locator('button[name="action"][value="submit"]').click()
    expect(page.get_by_role("note")).to_be_visible()
    practice.refresh_from_db()
    assert practice.status == Practice.Status.IN_REVIEW

    # The secretariat publishes it from the edit page.
    switch_to(page, sofia.email, password)
    open_from_dashboard(page, prefix, practice.slug)
    press(page, practice.slug, "publish")
    practice.refresh_from_db()
    assert practice.status == Practice.Status.PUBLISHED

    # The coordinator changes the published practice: the change waits for approval.
    switch_to(page, ana.email, password)
    page.goto(f"{prefix}/practices/{practice.slug}/")
    page.locator(f'main a[href="{prefix}/practices/{practice.slug}/edit/"]').click()
    page.locator("#id_title").fill(NEW_TITLE)
    page.locator('button[name="action"][value="save"]').click()
    expect(page.get_by_role("status")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    page.goto(f"{prefix}/practices/{practice.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    # The secretariat approves; now the public sees the new title.
    switch_to(page, sofia.email, password)
    open_from_dashboard(page, prefix, practice.slug)
    expect(page.locator(".revision-review")).to_contain_text(NEW_TITLE)
    press(page, practice.slug, "changes/approve")
    assert_accessible(page)

    page.context.clear_cookies()
    page.goto(f"{prefix}/practices/{practice.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(NEW_TITLE)
    titles = set(practice.history.values_list("title", flat=True))
    assert {TITLE, NEW_TITLE} <= titles
