import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, log_in


@pytest.mark.parametrize(
    ("path", "lang", "heading"),
    [
        ("/", "es", "Unidad Temática de Desarrollo Social de Mercociudades"),
        ("/pt-br/", "pt-br", "Unidade Temática de Desenvolvimento Social de Mercocidades"),
        ("/en/", "en", "Social Development Thematic Unit of Mercociudades"),
    ],
)
def test_home_page_in_each_language_has_no_axe_violations(page, path, lang, heading):
    page.goto(path)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)


def test_coordinator_logs_in_through_the_form_and_sees_the_logout_button(page, ana, password):
    log_in(page, ana.email, password)
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()
    expect(page.get_by_role("link", name=ana.name)).to_be_visible()
    assert_accessible(page)


def test_wrong_password_shows_the_error_and_keeps_the_email(page, ana):
    log_in(page, ana.email, "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("no son correctas")
    expect(page.get_by_label("Correo electrónico")).to_have_value(ana.email)
    assert_accessible(page)


def test_language_switch_lands_on_the_same_page(page, db):
    page.goto("/accounts/login/")
    page.get_by_role("navigation", name="Idioma").get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/accounts/login/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Português").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Entrar")
    assert page.url.endswith("/pt-br/accounts/login/")
    assert_accessible(page)


def test_skip_link_is_the_first_stop_for_the_keyboard_and_moves_focus_to_main(page, db):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Saltar al contenido principal")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
