"""A coordinator's event, with real clicks in Spanish and Portuguese: eleven delegates in one
save, the event opened again shows the registration, a change, and a withdrawal after
confirming; axe-core on every page visited. Adding rows also works without JavaScript."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from playwright.sync_api import expect

from events.forms import ADD_ROWS
from events.models import Registration
from tests.e2e.conftest import assert_accessible, log_in
from tests.events.conftest import make_workshop

ELEVEN = [(f"Delegada {n}", "Equipo social", f"delegada{n}@quilmes.example") for n in range(1, 12)]


@pytest.fixture
def workshop(db, city_a):
    """Open for registration with room for twelve delegates."""
    return make_workshop(city_a, capacity=12)


def texts(language) -> dict:
    """The page's words in `language`, from the catalogues the pages use."""
    with translation.override(language):
        return {
            "add_rows": ngettext(
                "Add %(rows)s more row for delegates",
                "Add %(rows)s more rows for delegates",
                ADD_ROWS,
            )
            % {"rows": ADD_ROWS},
            "register": gettext("Register"),
            "registered": gettext("%(city)s is registered.") % {"city": "Quilmes"},
            "card": gettext("Registration of %(city)s") % {"city": "Quilmes"},
            "change": gettext("Change the registration of %(city)s") % {"city": "Quilmes"},
            "save": gettext("Save the changes"),
            "withdraw": gettext("Withdraw %(city)s") % {"city": "Quilmes"},
            "withdrawn": gettext("%(city)s was withdrawn from the event.") % {"city": "Quilmes"},
            "ten": ngettext("%(count)s delegate", "%(count)s delegates", 10) % {"count": 10},
            "eleven": ngettext("%(count)s delegate", "%(count)s delegates", 11) % {"count": 11},
        }


def event_path(event, language) -> str:
    with translation.override(language):
        return reverse("events:detail", kwargs={"slug": event.slug})


def fill_row(page, index, delegate):
    name, position, email = delegate
    page.locator(f"#id_delegates-{index}-name").fill(name)
    page.locator(f"#id_delegates-{index}-position").fill(position)
    page.locator(f"#id_delegates-{index}-email").fill(email)
    page.locator(f"#id_delegates-{index}-consent").check()


@pytest.mark.parametrize("language", ["es", "pt-br"])
def test_coordinator_registers_eleven_delegates_changes_and_withdraws(
    page, ana, password, workshop, language
):
    words = texts(language)
    log_in(page, ana.email, password)
    page.goto(event_path(workshop, language))
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page)

    # eleven delegates, one save: the rows are added in place, the focus on the first new one
    rows = page.locator("#delegate-rows fieldset")
    expect(rows).to_have_count(3)
    for index in range(3):
        fill_row(page, index, ELEVEN[index])
    page.get_by_role("button", name=words["add_rows"]).click()
    expect(rows).to_have_count(3 + ADD_ROWS)
    expect(page.locator("#id_delegates-3-name")).to_be_focused()
    page.get_by_role("button", name=words["add_rows"]).click()
    expect(rows).to_have_count(3 + 2 * ADD_ROWS)
    assert_accessible(page)
    for index in range(3, 11):
        fill_row(page, index, ELEVEN[index])
    page.get_by_role("button", name=words["register"], exact=True).click()
    expect(page.get_by_text(words["registered"])).to_be_visible()
    registration = Registration.objects.get(event=workshop)
    assert registration.attendees == 11
    assert sorted(registration.delegates.values_list("email", flat=True)) == sorted(
        email for _name, _position, email in ELEVEN
    )

    # opened again, the event shows the registration and no blank form that would replace it
    page.goto(event_path(workshop, language))
    card = page.get_by_role("article", name=words["card"])
    expect(card.get_by_role("heading", name=words["eleven"])).to_be_visible()
    expect(card.get_by_text("delegada11@quilmes.example")).to_be_visible()
    expect(page.locator("#register-form")).to_have_count(0)
    assert_accessible(page)

    # a change: one delegate less and a note
    card.get_by_role("link", name=words["change"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["change"])
    expect(page.locator("#id_delegates-10-email")).to_have_value("delegada11@quilmes.example")
    assert_accessible(page)
    page.locator("#id_delegates-10-DELETE").check()
    page.locator("#id_note").fill("Llegamos el lunes.")
    page.get_by_role("button", name=words["save"]).click()
    expect(page.get_by_text(words["registered"])).to_be_visible()
    card = page.get_by_role("article", name=words["card"])
    expect(card.get_by_role("heading", name=words["ten"])).to_be_visible()
    expect(card.get_by_text("Llegamos el lunes.")).to_be_visible()
    assert_accessible(page)
    registration.refresh_from_db()
    assert (registration.attendees, registration.note, registration.version) == (
        10,
        "Llegamos el lunes.",
        2,
    )

    # withdrawing asks first, on a page of its own
    card.get_by_role("link", name=words["withdraw"]).click()
    expect(page).to_have_url(re.compile(r"/withdraw/\?city=quilmes-ar$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quilmes")
    assert_accessible(page)
    assert Registration.objects.filter(event=workshop).exists()
    page.get_by_role("button", name=words["withdraw"]).click()
    expect(page.get_by_text(words["withdrawn"])).to_be_visible()
    assert_accessible(page)
    assert not Registration.objects.filter(event=workshop).exists()


# axe-core is a script, so it cannot run in a page without JavaScript: the rows' templates
# are checked by axe in the journey above and by the Nu HTML Checker (tests/site_pages.py).
def test_more_rows_without_javascript_keeps_what_was_typed(
    browser, base_url, ana, password, workshop
):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    words = texts("es")
    log_in(page, ana.email, password)
    page.goto(event_path(workshop, "es"))
    for index in range(3):
        fill_row(page, index, ELEVEN[index])
    page.locator("#id_note").fill("Escrito antes de agregar filas")
    with page.expect_navigation():
        page.get_by_role("button", name=words["add_rows"]).click()
    expect(page.locator("#delegate-rows fieldset")).to_have_count(3 + ADD_ROWS)
    expect(page.locator("#id_delegates-2-email")).to_have_value("delegada3@quilmes.example")
    expect(page.locator("#id_delegates-2-consent")).to_be_checked()
    expect(page.locator("#id_note")).to_have_value("Escrito antes de agregar filas")
    assert not Registration.objects.exists()
    for index in range(3, 6):
        fill_row(page, index, ELEVEN[index])
    with page.expect_navigation():
        page.get_by_role("button", name=words["register"], exact=True).click()
    expect(page.get_by_text(words["registered"])).to_be_visible()
    assert Registration.objects.get(event=workshop).attendees == 6
    context.close()
