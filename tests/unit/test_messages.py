"""The secretariat writes to the coordinators: all of them, or by country, working group or
role; previews the recipients and every language's text; sends once, in the background, one
e-mail per coordinator in their language (Spanish when there is no version in it), and keeps
a record of who was sent what and when."""

import re

import pytest
from django.utils import timezone

from cities.models import City, UnitRole, WorkingGroup
from core.models import OutgoingMail
from tests.factories import CityCoordinatorFactory, CityFactory, UserFactory
from tests.http import assert_lacks, assert_shows, page_html
from unit import services
from unit.models import MessageDelivery, NetworkMessage

NEW = "/en/unit/messages/new/"


@pytest.fixture
def network(ana, bruno, city_a, city_b, city_c):
    """Ana (es, Quilmes AR, coordinating city today), Bruno (pt-br, Porto Alegre BR, in
    the Migrations group), Carla (en, Montevideo UY and Quilmes), a former city's
    coordinator and an inactive account who never get anything."""
    carla = UserFactory(email="carla@montevideo.example", name="Carla Díaz", language="en")
    CityCoordinatorFactory(user=carla, city=city_c)
    CityCoordinatorFactory(user=carla, city=city_a)  # two cities, one e-mail
    former = CityFactory(name="Antigua", slug="antigua-ar", status=City.Status.FORMER)
    CityCoordinatorFactory(user=UserFactory(email="former@example.org"), city=former)
    CityCoordinatorFactory(user=UserFactory(email="gone@example.org", is_active=False), city=city_b)
    year = timezone.localdate().year
    UnitRole.objects.create(city=city_a, role=UnitRole.Role.COORDINATOR, from_year=year)
    UnitRole.objects.create(
        city=city_b, role=UnitRole.Role.COORDINATOR, from_year=2012, to_year=2012
    )
    group = WorkingGroup.objects.create(
        slug="migrations", name_es="Migraciones", name_pt_br="Migrações", name_en="Migrations"
    )
    group.cities.add(city_b)
    return {"carla": carla, "group": group}


def message_data(**overrides) -> dict:
    data = {
        "subject_es": "Reunión de la red",
        "body_es": "Estimadas y estimados: nos reunimos el lunes.",
        "subject_pt_br": "Reunião da rede",
        "body_pt_br": "Prezadas e prezados: nos reunimos na segunda-feira.",
        "subject_en": "",
        "body_en": "",
        "country": "",
        "working_group": "",
        "role": "",
    }
    return {**data, **overrides}


def write(client, **overrides) -> NetworkMessage:
    response = client.post(NEW, message_data(**overrides))
    message = NetworkMessage.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == f"/en/unit/messages/{message.pk}/"
    return message


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """POST the send button; the queued task and its e-mails run as the request commits."""

    def post(client, message):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/en/unit/messages/{message.pk}/send/", follow=True)

    return post


def recipients_of(message) -> list[str]:
    return [user.email for user in services.queries.message_recipients(message)]


# --- writing and previewing ----------------------------------------------------------------


def test_preview_shows_the_recipients_and_each_language_before_anything_is_sent(
    sofia_client, network, mailoutbox
):
    message = write(sofia_client)
    html = page_html(sofia_client, f"/en/unit/messages/{message.pk}/")
    assert_shows(
        html,
        "Preview of the message",
        "Every coordinator of a member city",
        "3 coordinators",
        "Send to 3 coordinators",
        "Reunión de la red",
        "Reunião da rede",
        "No version in this language: these readers get the Spanish one.",
        "carla@montevideo.example",
    )
    assert_lacks(html, "former@example.org", "gone@example.org")
    assert mailoutbox == [] and not OutgoingMail.objects.exists()
    assert message.status == NetworkMessage.Status.DRAFT and message.created_by.name


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["ana@quilmes.example", "bruno@portoalegre.example", "carla@montevideo.example"]),
        ({"country": "UY"}, ["carla@montevideo.example"]),
        ({"country": "AR"}, ["ana@quilmes.example", "carla@montevideo.example"]),
        ({"working_group": "group"}, ["bruno@portoalegre.example"]),
        ({"role": "coordinator"}, ["ana@quilmes.example", "carla@montevideo.example"]),
        ({"role": "member"}, ["bruno@portoalegre.example", "carla@montevideo.example"]),
        ({"role": "sub_coordinator"}, []),
        ({"country": "BR", "role": "coordinator"}, []),
    ],
)
def test_filters_choose_the_coordinators(sofia_client, network, filters, expected):
    if filters.get("working_group") == "group":
        filters["working_group"] = str(network["group"].pk)
    message = write(sofia_client, **filters)
    assert recipients_of(message) == expected


def test_a_half_written_language_and_a_missing_spanish_text_are_refused(sofia_client, network):
    response = sofia_client.post(NEW, message_data(subject_es="", subject_en="Meeting"))
    assert response.status_code == 200
    html = response.content.decode()
    assert_shows(
        html,
        "Please correct the errors below.",
        "This field is required.",
        "Write both the subject and the text in this language, or neither.",
        "Estimadas y estimados",  # what was typed stays in the form
    )
    assert not NetworkMessage.objects.exists()


def test_a_draft_can_be_edited_and_a_sent_one_cannot(send, sofia_client, network):
    message = write(sofia_client)
    url = f"/en/unit/messages/{message.pk}/edit/"
    assert sofia_client.post(url, message_data(subject_es="Otra reunión")).status_code == 302
    message.refresh_from_db()
    assert message.subject_es == "Otra reunión"
    send(sofia_client, message)
    response = sofia_client.post(url, message_data(subject_es="Cambiado después"))
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.subject_es == "Otra reunión"


# --- sending ----------------------------------------------------------------------------------


def test_each_coordinator_gets_it_alone_in_their_language(
    send, sofia_client, sofia, network, mailoutbox
):
    message = write(sofia_client, subject_en="Network meeting", body_en="Dear all: Monday.")
    html = send(sofia_client, message).content.decode()
    assert "The message is being sent, one e-mail per coordinator." in html
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert sorted(by_address) == [
        "ana@quilmes.example",
        "bruno@portoalegre.example",
        "carla@montevideo.example",
    ]
    for mail in mailoutbox:
        assert len(mail.to) == 1 and mail.cc == [] and mail.bcc == []
        others = set(by_address) - {mail.to[0]}
        assert not any(address in mail.message().as_string() for address in others)
    assert by_address["ana@quilmes.example"].subject == "[UTDS Mercociudades] Reunión de la red"
    assert "nos reunimos el lunes" in by_address["ana@quilmes.example"].body
    assert by_address["bruno@portoalegre.example"].subject.endswith("Reunião da rede")
    assert "na segunda-feira" in by_address["bruno@portoalegre.example"].body
    assert by_address["carla@montevideo.example"].subject.endswith("Network meeting")
    assert "because you coordinate a member city" in by_address["carla@montevideo.example"].body
    message.refresh_from_db()
    assert message.status == NetworkMessage.Status.SENT
    assert (message.sent_by, message.recipient_count) == (sofia, 3)


def test_without_a_version_in_their_language_a_coordinator_gets_the_spanish_one(
    send, sofia_client, network, mailoutbox
):
    message = write(sofia_client, subject_pt_br="", body_pt_br="", country="BR")
    send(sofia_client, message)
    (mail,) = mailoutbox
    assert mail.to == ["bruno@portoalegre.example"]
    assert mail.subject == "[UTDS Mercociudades] Reunión de la red"
    assert "nos reunimos el lunes" in mail.body
    assert "porque coordina una ciudad miembro" in mail.body  # the footer in Spanish too
    assert MessageDelivery.objects.get().language == "es"


def test_the_record_says_who_was_sent_what_and_when(send, sofia_client, network, mailoutbox):
    message = write(sofia_client)
    send(sofia_client, message)
    rows = list(MessageDelivery.objects.filter(message=message).order_by("email"))
    assert [(row.email, row.language, row.subject) for row in rows] == [
        ("ana@quilmes.example", "es", "[UTDS Mercociudades] Reunión de la red"),
        ("bruno@portoalegre.example", "pt-br", "[UTDS Mercociudades] Reunião da rede"),
        ("carla@montevideo.example", "es", "[UTDS Mercociudades] Reunión de la red"),
    ]
    assert rows[0].recipient.email == "ana@quilmes.example" and rows[0].queued_at
    assert OutgoingMail.objects.filter(key=rows[0].mail_key, sent_at__isnull=False).exists()
    html = page_html(sofia_client, f"/en/unit/messages/{message.pk}/")
    assert_shows(html, "Message sent", "to 3 coordinators", "Who was sent what, and when")
    assert re.search(r"bruno@portoalegre.example</td>\s*<td>pt-br</td>", html)
    assert "<td>waiting</td>" not in html  # every e-mail left
    admin = page_html(sofia_client, f"/en/admin/unit/networkmessage/{message.pk}/change/")
    assert "carla@montevideo.example" in admin


def test_a_double_submit_sends_once(send, sofia_client, network, mailoutbox):
    message = write(sofia_client)
    send(sofia_client, message)
    html = send(sofia_client, message).content.decode()
    assert "This message was sent already: nobody gets it twice." in html
    assert len(mailoutbox) == 3
    assert MessageDelivery.objects.count() == 3
    # the background job run again (a worker died after its work) queues nothing either
    assert services.message_deliver(message_id=message.pk) == 0
    assert len(mailoutbox) == 3


def test_a_message_nobody_matches_is_not_sent(send, sofia_client, network, mailoutbox):
    message = write(sofia_client, role="sub_coordinator")
    html = page_html(sofia_client, f"/en/unit/messages/{message.pk}/")
    assert_shows(html, "No coordinator matches these recipients.")
    assert_lacks(html, "Send to")
    html = send(sofia_client, message).content.decode()
    assert "nothing was sent" in html
    message.refresh_from_db()
    assert message.is_draft and mailoutbox == []


def test_sending_is_queued_in_the_background(sofia, network, settings, monkeypatch):
    """With a real queue, sending only queues the delivery task; nothing is mailed yet."""
    queued = []
    monkeypatch.setattr(services, "enqueue", lambda task, **kw: queued.append((task.name, kw)))
    message = NetworkMessage.objects.create(subject_es="Hola", body_es="Texto.")
    assert services.message_send(message_id=message.pk, by=sofia) is services.SendResult.QUEUED
    assert queued == [("unit.tasks.deliver_message", {"message_id": message.pk})]
    message.refresh_from_db()
    assert message.status == NetworkMessage.Status.SENDING
    assert not MessageDelivery.objects.exists()
    assert services.message_deliver(message_id=message.pk) == 3
    assert MessageDelivery.objects.count() == 3


# --- who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/en/unit/messages/", NEW])
def test_only_the_secretariat_writes_to_the_network(visitor, ana_client, sofia_client, path):
    assert visitor.get(path).status_code == 302
    assert ana_client.get(path).status_code == 403
    assert sofia_client.get(path).status_code == 200


def test_a_coordinator_can_neither_read_nor_send_a_message(ana_client, network, mailoutbox):
    message = NetworkMessage.objects.create(subject_es="Hola", body_es="Texto.")
    assert ana_client.get(f"/en/unit/messages/{message.pk}/").status_code == 403
    assert ana_client.post(f"/en/unit/messages/{message.pk}/send/").status_code == 403
    message.refresh_from_db()
    assert message.is_draft and mailoutbox == []


def test_the_pages_speak_every_language(sofia_client, network):
    message = write(sofia_client)
    assert "Mensajes a quienes coordinan" in page_html(sofia_client, "/unit/messages/")
    assert "Vista previa del mensaje" in page_html(sofia_client, f"/unit/messages/{message.pk}/")
    assert "Escrever uma mensagem" in page_html(sofia_client, "/pt-br/unit/messages/new/")


# --- query budgets -----------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 25])
def test_the_pages_cost_the_same_queries_whatever_the_number_of_coordinators(
    sofia_client, network, send, extra, get_within_queries
):
    # guards an N+1 over the recipients (their cities, their record) and over the messages
    for n in range(extra):
        city = CityFactory(name=f"Ciudad {n}", slug=f"ciudad-{n}-ar")
        CityCoordinatorFactory(user=UserFactory(email=f"c{n}@example.org"), city=city)
        NetworkMessage.objects.create(subject_es=f"Aviso {n}", body_es="Texto.")
    message = write(sofia_client, working_group=str(network["group"].pk))
    get_within_queries(sofia_client, "/en/unit/messages/", most=6)
    get_within_queries(sofia_client, f"/en/unit/messages/{message.pk}/", most=6)
    get_within_queries(sofia_client, f"/en/unit/messages/{message.pk}/edit/", most=8)
    everyone = write(sofia_client)
    send(sofia_client, everyone)
    response = get_within_queries(sofia_client, f"/en/unit/messages/{everyone.pk}/", most=7)
    assert len(response.context["deliveries"]) == 3 + extra


def test_the_secretariat_finds_the_page_from_its_dashboard(sofia_client, ana_client):
    link = 'href="/en/unit/messages/"'
    assert link in page_html(sofia_client, "/en/dashboard/")
    assert link not in page_html(ana_client, "/en/dashboard/")
