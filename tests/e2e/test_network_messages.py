"""The secretariat writes to the coordinators in the browser, on a phone-sized screen: the
form, the preview and the record fit 320 px and pass axe-core; each coordinator is sent one
e-mail (a double submit is tested in tests/unit/test_messages.py)."""

from tests.e2e.conftest import assert_accessible, log_in
from unit.models import MessageDelivery, NetworkMessage


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width} px wide at a 320 px viewport"


def test_write_preview_and_send_on_a_small_screen(page, sofia, password, ana, bruno):
    page.set_viewport_size({"width": 320, "height": 640})
    log_in(page, sofia.email, password)
    page.goto("/en/unit/messages/new/")
    fits(page)
    assert_accessible(page)
    page.get_by_label("subject (Spanish)").fill("Reunión de la red")
    page.get_by_label("text (Spanish)").fill("Nos reunimos el lunes.")
    page.get_by_role("button", name="Save and preview").click()
    page.wait_for_url("**/unit/messages/*/")
    assert page.get_by_role("heading", name="Preview of the message").is_visible()
    fits(page)
    assert_accessible(page)
    page.get_by_role("button", name="Send to 2 coordinators").click()
    page.wait_for_url("**/unit/messages/*/")
    assert page.get_by_role("heading", name="Message sent").is_visible()
    fits(page)
    assert_accessible(page)
    assert NetworkMessage.objects.get().status == NetworkMessage.Status.SENT
    assert MessageDelivery.objects.count() == 2
