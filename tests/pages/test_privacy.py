"""The privacy notice tells the truth: every kind of personal data the portal holds, who sees
it, how long it is kept (the delegates' purge setting), and what a person can do alone; the
invitation page says the same about coordinators' e-mail addresses."""

import pytest

from cities.services import invitation_send

# id of each section and its English title
EXPECTED_SECTIONS = [
    ("privacy-responsible", "Who is responsible"),
    ("privacy-data", "What we keep and why"),
    ("privacy-accounts", "Coordinator accounts"),
    ("privacy-focal-points", "Focal points"),
    ("privacy-delegates", "Event delegates"),
    ("privacy-applications", "Membership applications"),
    ("privacy-messages", "Messages to coordinators"),
    ("privacy-who-sees", "Who sees it"),
    ("privacy-how-long", "How long we keep it"),
    ("privacy-self-service", "What you can do yourself"),
    ("privacy-rights", "Your rights"),
]


@pytest.fixture
def notice(visitor, db):
    return visitor.get("/en/privacy/").content.decode()


def test_notice_has_a_section_for_each_kind_of_data_and_each_question(notice):
    for anchor, title in EXPECTED_SECTIONS:
        assert f'id="{anchor}">{title}</h' in notice, title


def test_notice_names_who_sees_each_kind_of_data(notice):
    for text in [
        "Coordinators' e-mail addresses are seen only by the secretariat.",
        "Event delegates are seen only by the secretariat and by the coordinators of the city",
        "Membership applications are seen only by the secretariat.",
        "The record of messages to coordinators is seen only by the secretariat",
        "never sees another's address",
    ]:
        assert text in notice, text


def test_delegates_retention_is_the_purge_setting(visitor, db, settings):
    settings.EVENTS_DELEGATE_RETENTION_DAYS = 90
    html = visitor.get("/en/privacy/").content.decode()
    assert "Event delegates: deleted automatically 90 days after the event ends" in html
    settings.EVENTS_DELEGATE_RETENTION_DAYS = 1
    html = visitor.get("/en/privacy/").content.decode()
    assert "deleted automatically 1 day after the event ends" in html


def test_notice_tells_what_a_person_can_do_alone(notice):
    assert "download everything the portal holds about them, as a JSON file" in notice
    assert "their e-mail address (the new address replaces the old one" in notice
    assert "ask for their account and personal data to be deleted" in notice


def test_a_coordinator_gets_a_link_to_their_profile(ana_client):
    html = ana_client.get("/en/privacy/").content.decode()
    assert 'href="/en/accounts/profile/"' in html


@pytest.mark.parametrize(
    ("path", "titles"),
    [
        (
            "/privacy/",
            ["Delegados a eventos", "Mensajes a quienes coordinan", "Lo que puede hacer"],
        ),
        ("/pt-br/privacy/", ["Delegados em eventos", "Mensagens a quem coordena", "O que você"]),
    ],
)
def test_notice_speaks_spanish_and_portuguese(visitor, db, path, titles):
    html = visitor.get(path).content.decode()
    for title in titles:
        assert title in html


def test_invitation_page_and_notice_agree_on_coordinators_addresses(visitor, city_a, notice):
    _invitation, token = invitation_send(
        city=city_a, email="nueva@example.org", name="Nueva", language="en", by=None
    )
    html = visitor.get(f"/en/cities/invitation/{token}/").content.decode()
    if "Your e-mail address is seen only by the secretariat." not in html:
        # a new person first sees the page that asks for a name and password
        html = visitor.get(f"/en/cities/invitation/{token}/", follow=True).content.decode()
    assert "Your e-mail address is seen only by the secretariat." in html
    assert "Coordinators' e-mail addresses are seen only by the secretariat." in notice
    assert "seen by the secretariat and by the coordinators of member cities" not in html
