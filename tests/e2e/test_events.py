"""A coordinator registers their city for an event, adds a delegate and withdraws, with
axe-core on every page visited."""

import pytest
from playwright.sync_api import expect

from events.models import Registration
from tests.e2e.conftest import assert_accessible, log_in
from tests.events.conftest import make_workshop


@pytest.fixture
def upcoming(db, city_a):
    return make_workshop(
        city_a, description="How a city takes part in the unit.\n\nBring your questions."
    )


def test_coordinator_registers_changes_and_withdraws(page, ana, password, upcoming):
    log_in(page, ana.email, password)
    page.goto("/en/events/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Events")
    assert_accessible(page)

    page.get_by_role("link", name="Training for new member cities").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Training for new member cities")
    assert_accessible(page)

    page.locator("#id_delegates-0-name").fill("Ana Pereyra")
    page.locator("#id_delegates-0-position").fill("Secretary of Social Development")
    page.locator("#id_delegates-0-email").fill("ana.pereyra@quilmes.example")
    page.locator("#id_delegates-0-consent").check()
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_text("Quilmes is registered.")).to_be_visible()
    assert_accessible(page)
    assert Registration.objects.get(event=upcoming).attendees == 1

    page.get_by_role("link", name="Change the registration of Quilmes").click()
    expect(page.locator("#id_delegates-0-email")).to_have_value("ana.pereyra@quilmes.example")
    assert_accessible(page)
    page.locator("#id_delegates-1-name").fill("Luis Romero")
    page.locator("#id_delegates-1-email").fill("luis.romero@quilmes.example")
    page.locator("#id_delegates-1-consent").check()
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_text("Quilmes is registered.")).to_be_visible()
    card = page.get_by_role("article", name="Registration of Quilmes")
    expect(card.get_by_role("heading", name="2 delegates")).to_be_visible()
    assert_accessible(page)
    assert Registration.objects.get(event=upcoming).attendees == 2

    page.get_by_role("link", name="Withdraw Quilmes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Withdraw Quilmes from")
    page.get_by_role("button", name="Withdraw Quilmes").click()
    expect(page.get_by_text("Quilmes was withdrawn from the event.")).to_be_visible()
    assert_accessible(page)
    assert not Registration.objects.filter(event=upcoming).exists()


def test_visitor_sees_the_event_and_its_calendar_link(page, upcoming):
    page.goto("/en/events/training-new-members/")
    expect(page.get_by_role("link", name="Add to calendar (.ics)")).to_be_visible()
    expect(page.get_by_role("link", name="Log in to register your city")).to_be_visible()
    expect(page.locator("#city-map")).to_be_visible()  # the map appears with JavaScript
    assert_accessible(page)
