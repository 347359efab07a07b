"""Browser flows of membership: a city applies; an invited coordinator sets a password."""

import re

from playwright.sync_api import expect

from accounts.models import User
from cities import services
from cities.models import CityCoordinator, MembershipApplication
from tests.e2e.conftest import assert_accessible, log_in


def test_city_applies_with_a_mistake_corrects_it_and_is_accepted(page, sofia):
    # A city outside the network follows the link of the second path: it is chosen already.
    page.goto("/en/cities/join/?path=network")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Take part in the unit or join Mercociudades"
    )
    expect(
        page.get_by_role("heading", name="A member city of Mercociudades takes part in the unit")
    ).to_be_visible()
    expect(
        page.get_by_role("heading", name="A city outside the network applies to join Mercociudades")
    ).to_be_visible()
    network = page.get_by_label("join Mercociudades (a city outside the network)")
    unit = page.get_by_label("take part in the unit (a city already in Mercociudades)")
    expect(network).to_be_checked()
    expect(unit).not_to_be_checked()
    assert_accessible(page)

    short_motivation = "Salto runs neighbourhood social centres and wants to share them."
    assert len(short_motivation) < 200
    page.get_by_label("Name of the city").fill("Salto")
    page.get_by_label("Country").select_option(label="Uruguay")
    page.get_by_label("Your name").fill("Lucía Fernández")
    page.get_by_label("Your e-mail address").fill("lucia-at-salto.example")
    page.get_by_label("Your position in the city government").fill("Directora")
    motivation = page.get_by_label("Why does your city want to join the network?")
    motivation.fill(short_motivation)
    page.get_by_role("button", name="Send the application").click()

    # The mistakes are shown beside their fields; what was typed is kept, the path too.
    expect(page.get_by_role("alert")).to_contain_text("Please correct the errors below.")
    email = page.get_by_label("Your e-mail address")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_email_error")).to_be_visible()
    expect(motivation).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_motivation_error")).to_contain_text(
        f"Write at least 200 characters about your city's motivation "
        f"(you wrote {len(short_motivation)})."
    )
    expect(motivation).to_have_value(short_motivation)
    expect(page.get_by_label("Name of the city")).to_have_value("Salto")
    expect(network).to_be_checked()
    assert_accessible(page)
    assert MembershipApplication.objects.count() == 0

    full_motivation = (
        f"{short_motivation} Its teams work with families, older people and migrants, and "
        "the city wants to learn from the practices of the cities of Mercociudades."
    )
    assert len(full_motivation) >= 200
    email.fill("lucia@salto.example")
    motivation.fill(full_motivation)
    page.get_by_role("button", name="Send the application").click()

    expect(page).to_have_url(re.compile(r"/en/cities/join/sent/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Application sent")
    assert_accessible(page)
    application = MembershipApplication.objects.get()
    assert (application.city_name, application.language) == ("Salto", "en")
    assert application.kind == MembershipApplication.Kind.NETWORK
    assert application.motivation == full_motivation
    assert application.status == MembershipApplication.Status.RECEIVED

    # The secretariat takes it through the statutes' stages; the Assembly accepts it.
    Status = MembershipApplication.Status
    for to_status in (Status.UNDER_REVIEW, Status.RECOMMENDED):
        services.application_advance(application=application, to_status=to_status, by=sofia)
    services.application_approve(application=application, note="Assembly 2026.", by=sofia)
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert list(application.stages.values_list("status", flat=True)) == [
        Status.RECEIVED,
        Status.UNDER_REVIEW,
        Status.RECOMMENDED,
        Status.APPROVED,
    ]
    assert (application.city.name, application.city.status) == ("Salto", "member")


def test_privacy_notice_is_accessible(page, db):
    page.goto("/en/cities/join/")
    page.get_by_role("main").get_by_role("link", name="privacy notice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    assert_accessible(page)


def test_invited_coordinator_sets_a_password_and_lands_on_the_dashboard(page, city_a, sofia):
    _invitation, token = services.invitation_send(
        city=city_a, email="carla@quilmes.example", name="Carla Gómez", language="en", by=sofia
    )
    page.goto(f"/en/cities/invitation/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accept the invitation")
    expect(page.get_by_label("Your name")).to_have_value("Carla Gómez")
    assert_accessible(page)

    page.get_by_label("Password (required)", exact=True).fill("a-long-new-secret")
    page.get_by_label("Password again (required)").fill("a-different-secret")
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.locator("#id_password2_error")).to_contain_text("not the same")
    assert_accessible(page)

    page.get_by_label("Password (required)", exact=True).fill("a-long-new-secret")
    page.get_by_label("Password again (required)").fill("a-long-new-secret")
    page.get_by_role("button", name="Accept the invitation").click()

    expect(page).to_have_url(re.compile(r"/en/dashboard/$"))
    expect(page.get_by_role("status")).to_contain_text("Welcome! You now coordinate Quilmes.")
    expect(page.get_by_role("heading", name="Your cities")).to_be_visible()
    expect(page.get_by_role("link", name="Quilmes", exact=True)).to_be_visible()
    assert_accessible(page)
    user = User.objects.get(email="carla@quilmes.example")
    assert CityCoordinator.objects.filter(user=user, city=city_a).exists()

    # The new coordinator keeps the city's contacts: adds a focal point.
    page.get_by_role("link", name="Edit Quilmes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit Quilmes")
    page.locator("#id_contacts-0-name").fill("Carla Gómez")
    page.locator("#id_contacts-0-position").fill("Directora de Niñez")
    page.locator("#id_contacts-0-email").fill("carla.gomez@quilmes.example")
    page.locator("#id_contacts-0-phone").fill("+54 11 4350 3000")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The profile of Quilmes was saved.")).to_be_visible()
    expect(page.get_by_role("link", name="carla.gomez@quilmes.example")).to_be_visible()
    assert_accessible(page)


def test_used_invitation_link_says_so(page, city_a, sofia, bruno):
    invitation, token = services.invitation_send(
        city=city_a, email=bruno.email, name=bruno.name, language="en", by=sofia
    )
    services.invitation_accept(invitation=invitation, user=bruno)
    page.goto(f"/en/cities/invitation/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This invitation no longer works")
    expect(page.get_by_role("link", name="utds@example.org").first).to_be_visible()
    assert_accessible(page)


def test_secretariat_dashboard_shows_participation_accessibly(page, sofia, ana, password):
    log_in(page, sofia.email, password)
    page.goto("/en/dashboard/")
    expect(page.get_by_role("heading", name="Participation in the network")).to_be_visible()
    expect(page.get_by_role("link", name="Review the applications")).to_be_visible()
    assert_accessible(page)
