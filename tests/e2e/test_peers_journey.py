"""A coordinator learns from a peer city, with real clicks: log in → dashboard → a practice
suggested for her city's first problem → ask its city a question → record that her city
adapted it → the practice page counts the adaptation. axe-core runs on every page visited."""

import re

from playwright.sync_api import expect

from peers.models import Question, Transfer
from tests.e2e.conftest import assert_accessible, log_in
from tests.experiences.conftest import make_practice  # noqa: F401
from tests.factories import FocalPointFactory
from tests.peers.conftest import network  # noqa: F401


def test_from_the_dashboard_to_a_question_and_an_adaptation(
    page,
    ana,
    password,
    city_a,
    network,  # noqa: F811
    mailoutbox,
):
    la_plata = network.cities["la-plata"]
    FocalPointFactory(city=la_plata, email="focal@laplata.example")
    mesa = network.practices["la-plata"]

    log_in(page, ana.email, password)
    page.goto("/en/dashboard/")
    assert_accessible(page)
    panel = page.locator(
        "section",
        has=page.get_by_role("heading", name="What other cities do about the problems of Quilmes"),
    )
    expect(panel).to_contain_text("La Plata, in the same country, also ranks child poverty")
    panel.get_by_role("link", name="Mesa de niñez").click()
    expect(page).to_have_url(re.compile(rf"/en/practices/{mesa.slug}/$"))
    assert_accessible(page)

    # a question to La Plata: its address is never shown, the answer comes to ana
    page.get_by_role("link", name="Ask La Plata a question").click()
    assert_accessible(page)
    page.get_by_label("Your question").fill("¿Cómo eligieron las escuelas?")
    page.get_by_role("button", name="Send the question").click()
    expect(page.get_by_role("status")).to_contain_text("Your question was sent to La Plata.")
    expect(page.locator("body")).not_to_contain_text("focal@laplata.example")
    assert Question.objects.get().recipient_count == 1
    (mail,) = [m for m in mailoutbox if m.to == ["focal@laplata.example"]]
    assert mail.reply_to == [ana.email]

    # the adaptation, published
    page.get_by_role("link", name="Record that your city adopted it").click()
    assert_accessible(page)
    page.get_by_label("Kind").select_option("adapted")
    page.get_by_label("Started on").fill("2024-03-01")
    page.get_by_label("What was changed").fill("Mesas por escuela en lugar de por barrio.")
    page.get_by_label("First results").fill("Nueve mesas en el primer año.")
    page.get_by_label("Contact name").fill("Marta Ruiz")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mesa de niñez in Quilmes")
    assert_accessible(page)
    transfer = Transfer.objects.get()
    assert (transfer.city, transfer.status) == (city_a, "published")

    page.get_by_role("link", name="Mesa de niñez").click()
    expect(page.locator("main")).to_contain_text("Adapted in 1 city:")
    assert_accessible(page)
