"""E-mails are written in their recipient's language: every kind of e-mail the portal sends,
triggered through the view or service that sends it, to recipients who read Spanish,
Brazilian Portuguese and English. Subject and body are in that language, and every link is
a full address on the portal (PORTAL_URL) that carries the language's prefix and opens a
page. A last check: every string of every e-mail template is translated."""

import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.translation.template import templatize

from cities import services as city_services
from cities.models import FOCAL_POINT_STALE_AFTER, MembershipApplication
from events.models import Event
from experiences import services as practice_services
from experiences.models import Theme
from funding.models import FundingInterest
from mapping.importing import ImportRow
from mapping.tasks import import_indicator_values
from peers import tasks as peers_tasks
from peers.models import Follow, Subscriber
from tests.events.conftest import make_summit
from tests.factories import (
    TEST_PASSWORD,
    CityCoordinatorFactory,
    CityFactory,
    FocalPointFactory,
    SecretariatFactory,
    UserFactory,
    make_funding_call,
)
from tests.mapping.factories import named_indicator
from unit import services as unit_services
from unit.models import NetworkMessage

PORTAL = "https://utds.example"
LANGUAGES = ["es", "pt-br", "en"]
Status = MembershipApplication.Status

# The closing line of each app's e-mails and the greeting, per language.
UNIT = {
    "es": "Unidad Temática de Desarrollo Social de Mercociudades",
    "pt-br": "Unidade Temática de Desenvolvimento Social de Mercocidades",
    "en": "Social Development Thematic Unit of Mercociudades",
}
SECRETARIAT = {
    "es": "La secretaría de la UTDS",
    "pt-br": "A secretaria da UTDS",
    "en": "The secretariat of the UTDS",
}
PORTAL_SIGNATURE = {
    "es": "Portal de la UTDS de Mercociudades",
    "pt-br": "Portal da UTDS de Mercocidades",
    "en": "UTDS Mercociudades portal",
}
DEAR = {"es": "Estimado/a", "pt-br": "Prezado/a", "en": "Dear"}
HELLO = {"es": "Hola,", "pt-br": "Olá,", "en": "Hello"}


def prefix(language: str) -> str:
    return "" if language == settings.LANGUAGE_CODE else f"/{language}"


@pytest.fixture(autouse=True)
def _portal_url(settings):
    settings.PORTAL_URL = PORTAL


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block and then the e-mails it queued for after the commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def to(mailoutbox, address: str):
    """The one message sent to `address`."""
    messages = [message for message in mailoutbox if address in message.to]
    assert len(messages) == 1, [(m.to, m.subject) for m in mailoutbox]
    return messages[0]


def city_of(user):
    return user.coordinated_cities.get().city


def coordinator(language: str, city=None):
    city = city or CityFactory(name="Quilmes", slug="quilmes-ar")
    user = UserFactory(email=f"{language}@{city.slug}.example", language=language)
    CityCoordinatorFactory(user=user, city=city)
    return user


# --- Cities: membership applications, invitations, contact reminders ----------------------

APPLICANT = {
    "city_name": "Salto",
    "country": "UY",
    "contact_name": "Lucía Fernández",
    "position": "Directora de Desarrollo Social",
    # at least JOIN_MOTIVATION_MIN_CHARS (200) characters
    "motivation": "Salto runs neighbourhood social centres and wants to share them. " * 4,
    "kind": "network",
}


def post_join_form(language: str, email: str) -> None:
    response = Client().post(
        f"{prefix(language)}/cities/join/",
        {**APPLICANT, "email": email, "homepage": ""},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302


def application(language: str) -> MembershipApplication:
    return city_services.application_submit(
        **APPLICANT, email=f"applicant.{language}@salto.example", language=language
    )


def application_received(language, mailoutbox, committed):
    # The applicant has no account: the language is that of the page they applied on.
    email = f"applicant.{language}@salto.example"
    with committed():
        post_join_form(language, email)
    return to(mailoutbox, email)


def application_new(language, mailoutbox, committed):
    member = SecretariatFactory(email=f"secretariat.{language}@utds.example", language=language)
    with committed():
        post_join_form("es", "lucia@salto.example")
    return to(mailoutbox, member.email)


def application_stage(language, mailoutbox, committed):
    submitted = application(language)
    mailoutbox.clear()
    with committed():
        city_services.application_advance(
            application=submitted, to_status=Status.UNDER_REVIEW, by=None
        )
    return to(mailoutbox, submitted.email)


def application_approved(language, mailoutbox, committed):
    submitted = application(language)
    for stage in (Status.UNDER_REVIEW, Status.RECOMMENDED):
        city_services.application_advance(application=submitted, to_status=stage, by=None)
    mailoutbox.clear()
    with committed():
        city_services.application_approve(application=submitted, by=None)
    # The applicant gets the decision and, separately, the invitation to coordinate.
    (decision,) = [m for m in mailoutbox if "Salto" in m.subject and "/invitation/" not in m.body]
    return decision


def application_rejected(language, mailoutbox, committed):
    submitted = application(language)
    mailoutbox.clear()
    with committed():
        city_services.application_reject(
            application=submitted, reason="La ciudad ya integra la red.", by=None
        )
    return to(mailoutbox, submitted.email)


def invitation(language, mailoutbox, committed):
    # Through the secretariat's screen in the admin, as it is done.
    sofia = SecretariatFactory(email="sofia@utds.example")
    city = CityFactory(name="Quilmes", slug="quilmes-ar")
    data = {"email": f"carla.{language}@quilmes.example", "name": "Carla", "language": language}
    with committed():
        response = client_for(sofia).post(f"/admin/cities/city/{city.pk}/invite/", data)
    assert response.status_code == 302
    return to(mailoutbox, data["email"])


def focal_point_reminder(language, mailoutbox, committed):
    user = coordinator(language)
    stale = timezone.localdate() - FOCAL_POINT_STALE_AFTER - datetime.timedelta(days=1)
    FocalPointFactory(city=city_of(user), name="Old contact", last_confirmed_on=stale)
    with committed():
        call_command("remind_focal_points", stdout=io.StringIO())
    return to(mailoutbox, user.email)


# --- Mapping: the result of a CSV import run in the background -----------------------------


def import_rows(user) -> list[list]:
    indicator = named_indicator("sdg-8-5-2")
    return [
        ImportRow(2, city_of(user).pk, indicator.pk, 2022, "total", Decimal("7.5"), "EPH").as_list()
    ]


def import_done(language, mailoutbox, committed):
    user = coordinator(language)
    with committed():
        import_indicator_values(rows=import_rows(user), user_id=user.pk)
    return to(mailoutbox, user.email)


def import_failed(language, mailoutbox, committed):
    user = coordinator(language)
    rows = import_rows(user)
    user.coordinated_cities.all().delete()  # no longer allowed: nothing is imported
    with committed():
        import_indicator_values(rows=rows, user_id=user.pk)
    return to(mailoutbox, user.email)


# --- Events: registrations and their announcement ------------------------------------------


def make_event(**values) -> Event:
    return make_summit(**values)


def register(user, event, delegates: int):
    city = city_of(user)
    data = {
        "city": city.slug,
        "note": "",
        "delegates-TOTAL_FORMS": str(delegates),
        "delegates-INITIAL_FORMS": "0",
        "delegates-MIN_NUM_FORMS": "0",
        "delegates-MAX_NUM_FORMS": "30",
    }
    for n in range(delegates):
        data |= {
            f"delegates-{n}-name": f"Person {n}",
            f"delegates-{n}-position": "Director",
            f"delegates-{n}-email": f"person{n}@{city.slug}.example",
            f"delegates-{n}-consent": "on",
        }
    response = client_for(user).post(f"/events/{event.slug}/register/", data)
    assert response.status_code == 302


def registration_received(language, mailoutbox, committed):
    user = coordinator(language)
    event = make_event()
    with committed():
        register(user, event, delegates=2)
    return to(mailoutbox, user.email)


def registration_waiting(language, mailoutbox, committed):
    event = make_event(capacity=1)
    register(coordinator("es", CityFactory(name="Rosario", slug="rosario-ar")), event, 1)
    user = coordinator(language)
    mailoutbox.clear()
    with committed():
        register(user, event, delegates=1)
    return to(mailoutbox, user.email)


def registration_promoted(language, mailoutbox, committed):
    event = make_event(capacity=1)
    first = coordinator("es", CityFactory(name="Rosario", slug="rosario-ar"))
    register(first, event, 1)
    user = coordinator(language)
    register(user, event, 1)
    mailoutbox.clear()
    with committed():
        response = client_for(first).post(f"/events/{event.slug}/withdraw/", {"city": "rosario-ar"})
    assert response.status_code == 302
    return to(mailoutbox, user.email)


def registration_open(language, mailoutbox, committed):
    user = coordinator(language)
    event = make_event()
    event.registration_open = False
    event.save()
    with committed():
        call_command("notify_registration_open", event.slug, stdout=io.StringIO())
    return to(mailoutbox, user.email)


# --- Practices: review and publication -------------------------------------------------------


def draft_of(author):
    theme = Theme.objects.create(
        slug="children", name_es="Niñez", name_pt_br="Crianças", name_en="Children"
    )
    return practice_services.practice_create(
        user=author,
        data={
            "title": "Mesas barriales de niñez",
            "city": city_of(author),
            "language": "es",
            "start_date": datetime.date(2015, 3, 1),
            "summary": "Mesas barriales donde niñas y niños opinan sobre su barrio.",
            "problem": "La niñez no participaba en las decisiones.",
            "objectives": "Escuchar a la niñez.",
            "actions": "Reuniones mensuales.",
            "results": "Catorce mesas activas.",
            "themes": [theme],
        },
    )


def practice_submitted(language, mailoutbox, committed):
    member = SecretariatFactory(email=f"secretariat.{language}@utds.example", language=language)
    author = coordinator("es")
    practice = draft_of(author)
    with committed():
        response = client_for(author).post(f"/en/practices/{practice.slug}/submit/")
    assert response.status_code == 302
    return to(mailoutbox, member.email)


def _publish(author, mailoutbox, committed):
    publisher = SecretariatFactory(email="sofia@utds.example", language="es")
    practice = draft_of(author)
    practice_services.practice_submit(practice=practice, user=author)
    mailoutbox.clear()
    with committed():
        response = client_for(publisher).post(f"/en/practices/{practice.slug}/publish/")
    assert response.status_code == 302


def practice_published(language, mailoutbox, committed):
    member = SecretariatFactory(email=f"secretariat.{language}@utds.example", language=language)
    _publish(coordinator("es"), mailoutbox, committed)
    return to(mailoutbox, member.email)


def practice_published_author(language, mailoutbox, committed):
    author = coordinator(language)
    _publish(author, mailoutbox, committed)
    return to(mailoutbox, author.email)


def practice_changes_requested(language, mailoutbox, committed):
    author = coordinator(language)
    reviewer = SecretariatFactory(email="sofia@utds.example", language="es")
    practice = draft_of(author)
    practice_services.practice_submit(practice=practice, user=author)
    mailoutbox.clear()
    with committed():
        response = client_for(reviewer).post(
            f"/en/practices/{practice.slug}/request-changes/",
            {"comment": "Faltan datos de cobertura."},
        )
    assert response.status_code == 302
    return to(mailoutbox, author.email)


# --- Peers: questions to cities, joint bids, follows and their digest -------------------------


def published_practice(city):
    author = UserFactory(email=f"author@{city.slug}.example", language="es")
    CityCoordinatorFactory(user=author, city=city)
    practice = draft_of(author)
    practice_services.practice_submit(practice=practice, user=author)
    practice_services.practice_publish(
        practice=practice, user=SecretariatFactory(email="sofia@utds.example", language="es")
    )
    return practice


def question(language, mailoutbox, committed):
    # Asked on the Spanish page: the e-mail, and its link, follow the recipient's language.
    user = coordinator(language)
    practice = published_practice(city_of(user))
    asker = coordinator("es", CityFactory(name="Rosario", slug="rosario-ar"))
    mailoutbox.clear()
    with committed():
        response = client_for(asker).post(
            f"/peers/practices/{practice.slug}/ask/", {"message": "¿Cómo organizaron las mesas?"}
        )
    assert response.status_code == 302
    return to(mailoutbox, user.email)


def joint_bid(language, mailoutbox, committed):
    user = coordinator(language)
    asker = coordinator("es", CityFactory(name="Rosario", slug="rosario-ar"))
    call = make_funding_call("Fondo para la niñez")
    for city in (city_of(user), city_of(asker)):
        FundingInterest.objects.create(call=call, city=city)
    with committed():
        response = client_for(asker).post(
            f"/peers/funding/{call.slug}/ask/",
            {"city": city_of(asker).pk, "message": "¿Postulamos juntos?"},
        )
    assert response.status_code == 302
    return to(mailoutbox, user.email)


def confirm(language, mailoutbox, committed):
    # A visitor: the language is that of the page they followed from.
    Theme.objects.create(
        slug="children", name_es="Niñez", name_pt_br="Crianças", name_en="Children"
    )
    email = f"visitor.{language}@city.example"
    with committed():
        response = Client().post(
            f"{prefix(language)}/peers/follow/?theme=children",
            {"email": email, "frequency": "weekly", "homepage": ""},
            REMOTE_ADDR="203.0.113.7",
        )
    assert response.status_code == 200
    return to(mailoutbox, email)


def digest(language, mailoutbox, committed):
    city = CityFactory(name="Quilmes", slug="quilmes-ar")
    month_ago = timezone.now() - datetime.timedelta(days=30)
    subscriber = Subscriber.objects.create(
        email=f"reader.{language}@city.example", language=language, confirmed_at=month_ago
    )
    Follow.objects.create(subscriber=subscriber, kind="city", key=city.slug, confirmed_at=month_ago)
    published_practice(city)
    mailoutbox.clear()
    with committed():
        assert peers_tasks.send_digests(timestamp=0) == 1
    return to(mailoutbox, subscriber.email)


# --- Unit: the secretariat's messages to the coordinators ------------------------------------

MESSAGE_TEXT = {
    "es": ("Reunión de la red", "Nos reunimos el lunes."),
    "pt-br": ("Reunião da rede", "Nos reunimos na segunda-feira."),
    "en": ("Network meeting", "We meet on Monday."),
}


def message(language, mailoutbox, committed):
    user = coordinator(language)
    sofia = SecretariatFactory(email="sofia@utds.example", language="es")
    texts = {}
    for code, (subject, body) in MESSAGE_TEXT.items():
        suffix = code.replace("-", "_")
        texts |= {f"subject_{suffix}": subject, f"body_{suffix}": body}
    draft = unit_services.message_save(message=NetworkMessage(**texts), by=sofia)
    with committed():
        assert unit_services.message_send(message_id=draft.pk, by=sofia).value == "queued"
    return to(mailoutbox, user.email)


# --- Accounts (django-allauth) ---------------------------------------------------------------


def password_reset(language, mailoutbox, committed):
    # Asked for on the Spanish page: the e-mail follows the account's language all the same.
    user = UserFactory(email=f"person.{language}@city.example", language=language)
    response = Client().post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    return to(mailoutbox, user.email)


def email_confirmation(language, mailoutbox, committed):
    # A change of address, with two-factor on as on every account: the password again first.
    user = UserFactory(email=f"person.{language}@city.example", language=language)
    new_address = f"new.{language}@city.example"
    client = client_for(user)
    response = client.post("/accounts/email/", {"email": new_address, "action_add": ""})
    with committed():
        response = client.post(response["Location"], {"password": TEST_PASSWORD})
    assert response.status_code == 302
    return to(mailoutbox, new_address)


def deletion_request_received(language, mailoutbox, committed):
    # Asked for on the Spanish page: the acknowledgement follows the account's language.
    user = UserFactory(email=f"person.{language}@city.example", language=language)
    with committed():
        response = client_for(user).post("/accounts/delete/")
    assert response.status_code == 302
    return to(mailoutbox, user.email)


def deletion_request_new(language, mailoutbox, committed):
    member = SecretariatFactory(email=f"secretariat.{language}@utds.example", language=language)
    user = UserFactory(email="person@city.example", language="es")
    with committed():
        response = client_for(user).post("/accounts/delete/")
    assert response.status_code == 302
    return to(mailoutbox, member.email)


@dataclass
class Kind:
    send: object  # (language, mailoutbox, committed) -> the message to the recipient
    subject: dict  # language -> a phrase of the subject
    body: tuple  # phrases of the body, each a dict language -> text
    links: bool = True  # False: the e-mail has no link to check


# Every kind of e-mail, with a phrase of its subject and of its body in each language.
KINDS = {
    "application_received": Kind(
        application_received,
        {
            "es": "Recibimos la solicitud de Salto",
            "pt-br": "Recebemos a candidatura de Salto",
            "en": "We received the application of Salto",
        },
        (DEAR, UNIT),
    ),
    "application_new": Kind(
        application_new,
        {
            "es": "Nueva solicitud de adhesión: Salto (Uruguay)",
            "pt-br": "Nova candidatura de adesão: Salto (Uruguai)",
            "en": "New membership application: Salto (Uruguay)",
        },
        ({"es": "Motivación:", "pt-br": "Motivação:", "en": "Motivation:"},),
    ),
    "application_stage": Kind(
        application_stage,
        {
            "es": "La solicitud de Salto: en revisión por la secretaría",
            "pt-br": "A candidatura de Salto: em análise pela secretaria",
            "en": "The application of Salto: under review by the secretariat",
        },
        (DEAR, UNIT),
    ),
    "application_approved": Kind(
        application_approved,
        {
            "es": "La solicitud de Salto: aprobada por la Asamblea",
            "pt-br": "A candidatura de Salto: aprovada pela Assembleia",
            "en": "The application of Salto: approved by the Assembly",
        },
        (DEAR, UNIT),
    ),
    "application_rejected": Kind(
        application_rejected,
        {
            "es": "La solicitud de Salto no fue aceptada",
            "pt-br": "A candidatura de Salto não foi aceita",
            "en": "The application of Salto was not accepted",
        },
        (DEAR, UNIT),
    ),
    "invitation": Kind(
        invitation,
        {
            "es": "Lo/la invitamos a coordinar Quilmes",
            "pt-br": "Você foi convidado a coordenar Quilmes",
            "en": "You are invited to coordinate Quilmes",
        },
        (DEAR, UNIT),
    ),
    "import_done": Kind(
        import_done,
        {
            "es": "Su importación de valores de indicadores terminó",
            "pt-br": "Sua importação de valores de indicadores foi concluída",
            "en": "Your import of indicator values is done",
        },
        (
            DEAR,
            UNIT,
            {
                "es": "Se importó 1 valor: 1 nuevos",
                "pt-br": "1 valor importado: 1 novos",
                "en": "Imported 1 value: 1 new",
            },
        ),
    ),
    "import_failed": Kind(
        import_failed,
        {
            "es": "Su importación de valores de indicadores falló",
            "pt-br": "Sua importação de valores de indicadores falhou",
            "en": "Your import of indicator values failed",
        },
        (
            DEAR,
            UNIT,
            {
                "es": "No se importó nada",
                "pt-br": "Nada foi importado",
                "en": "Nothing was imported",
            },
        ),
    ),
    "focal_point_reminder": Kind(
        focal_point_reminder,
        {
            "es": "Por favor confirme los contactos de sus ciudades",
            "pt-br": "Por favor, confirme os contatos das suas cidades",
            "en": "Please confirm your cities' contacts",
        },
        (DEAR, UNIT),
    ),
    "registration_received": Kind(
        registration_received,
        {
            "es": "Quilmes quedó inscrita en Cumbre social",
            "pt-br": "Quilmes está inscrita em Cumbre social",
            "en": "Quilmes is registered for Cumbre social",
        },
        (DEAR, SECRETARIAT, {"es": "10 de marzo de", "pt-br": "10 de Março de", "en": "March 10,"}),
    ),
    "registration_waiting": Kind(
        registration_waiting,
        {
            "es": "Quilmes está en la lista de espera de Cumbre social",
            "pt-br": "Quilmes está na lista de espera de Cumbre social",
            "en": "Quilmes is on the waiting list for Cumbre social",
        },
        (DEAR, SECRETARIAT),
    ),
    "registration_promoted": Kind(
        registration_promoted,
        {
            "es": "Se liberó un lugar: Quilmes está confirmada para Cumbre social",
            "pt-br": "Uma vaga foi liberada: Quilmes está confirmada para Cumbre social",
            "en": "A seat freed up: Quilmes is confirmed for Cumbre social",
        },
        (DEAR, SECRETARIAT),
    ),
    "registration_open": Kind(
        registration_open,
        {
            "es": "Inscripción abierta: Cumbre social",
            "pt-br": "Inscrições abertas: Cumbre social",
            "en": "Registration is open: Cumbre social",
        },
        (DEAR, SECRETARIAT, {"es": "10 de marzo de", "pt-br": "10 de Março de", "en": "March 10,"}),
    ),
    "practice_submitted": Kind(
        practice_submitted,
        {
            "es": "Práctica para revisar: «Mesas barriales de niñez» (Quilmes)",
            "pt-br": "Prática para revisar: “Mesas barriales de niñez” (Quilmes)",
            "en": "Practice to review: “Mesas barriales de niñez” (Quilmes)",
        },
        (HELLO, PORTAL_SIGNATURE),
    ),
    "practice_published": Kind(
        practice_published,
        {
            "es": "Práctica publicada: «Mesas barriales de niñez» (Quilmes)",
            "pt-br": "Prática publicada: “Mesas barriales de niñez” (Quilmes)",
            "en": "Practice published: “Mesas barriales de niñez” (Quilmes)",
        },
        (HELLO, PORTAL_SIGNATURE),
    ),
    "practice_published_author": Kind(
        practice_published_author,
        {
            "es": "Su práctica «Mesas barriales de niñez» está publicada",
            "pt-br": "Sua prática “Mesas barriales de niñez” está publicada",
            "en": "Your practice “Mesas barriales de niñez” is published",
        },
        (HELLO, PORTAL_SIGNATURE),
    ),
    "practice_changes_requested": Kind(
        practice_changes_requested,
        {
            "es": "Se pidieron cambios en su práctica «Mesas barriales de niñez»",
            "pt-br": "Foram pedidas alterações na sua prática “Mesas barriales de niñez”",
            "en": "Changes requested for your practice “Mesas barriales de niñez”",
        },
        (HELLO, PORTAL_SIGNATURE),
    ),
    "password_reset": Kind(
        password_reset,
        {
            "es": "Correo electrónico para restablecer contraseña",
            "pt-br": "E-mail de redefinição de senha",
            "en": "Password Reset Email",
        },
        (
            {
                "es": "restablecer su contraseña",
                "pt-br": "redefinir sua senha",
                "en": "reset your password",
            },
        ),
    ),
    "email_confirmation": Kind(
        email_confirmation,
        {
            "es": "Por favor, confirme su dirección de correo electrónico",
            "pt-br": "Por favor, confirme seu endereço de e-mail",
            "en": "Please Confirm Your Email Address",
        },
        (
            {
                "es": "Para confirmar que esto es correcto",
                "pt-br": "Para confirmar que isso está correto",
                "en": "To confirm this is correct",
            },
        ),
    ),
    "deletion_request_received": Kind(
        deletion_request_received,
        {
            "es": "Recibimos su solicitud de eliminar su cuenta",
            "pt-br": "Recebemos o seu pedido de exclusão da conta",
            "en": "We received your request to delete your account",
        },
        (DEAR, UNIT),
    ),
    "deletion_request_new": Kind(
        deletion_request_new,
        {
            "es": "Solicitud de eliminación de cuenta de",
            "pt-br": "Pedido de exclusão de conta de",
            "en": "Account deletion requested by",
        },
        (
            {
                "es": "Complete la solicitud en la administración",
                "pt-br": "Conclua o pedido na administração",
                "en": "Complete the request in the administration",
            },
        ),
    ),
    "question": Kind(
        question,
        {
            "es": "Una pregunta sobre «Mesas barriales de niñez»",
            "pt-br": "Uma pergunta sobre “Mesas barriales de niñez”",
            "en": "A question about “Mesas barriales de niñez”",
        },
        (
            UNIT,
            {
                "es": "miembro de la red, pregunta a Quilmes sobre la práctica",
                "pt-br": "membro da rede, pergunta a Quilmes sobre a prática",
                "en": "a member of the network, asks Quilmes about the practice",
            },
        ),
    ),
    "joint_bid": Kind(
        joint_bid,
        {
            "es": "¿Una postulación conjunta a «Fondo para la niñez»?",
            "pt-br": "Uma candidatura conjunta a “Fondo para la niñez”?",
            "en": "A joint bid for “Fondo para la niñez”?",
        },
        (
            UNIT,
            {
                "es": "escribe a las demás ciudades interesadas en la convocatoria",
                "pt-br": "escreve às outras cidades interessadas no edital",
                "en": "writes to the other cities interested in the funding call",
            },
        ),
    ),
    "confirm": Kind(
        confirm,
        {
            "es": "Confirme su suscripción",
            "pt-br": "Confirme sua assinatura",
            "en": "Confirm your subscription",
        },
        (
            UNIT,
            {
                "es": "pidió seguir Niñez",
                "pt-br": "pediu para acompanhar Crianças",
                "en": "asked to follow Children",
            },
            {
                "es": "Para confirmar, abra este enlace",
                "pt-br": "Para confirmar, abra este link",
                "en": "To confirm, open this link",
            },
        ),
    ),
    "digest": Kind(
        digest,
        {
            "es": "Novedades en lo que usted sigue",
            "pt-br": "Novidades no que você acompanha",
            "en": "What is new in what you follow",
        },
        (
            UNIT,
            {"es": "Prácticas", "pt-br": "Práticas", "en": "Practices"},
            {
                "es": "Para dejar de recibir estos correos",
                "pt-br": "Para deixar de receber estes e-mails",
                "en": "To stop these e-mails",
            },
        ),
    ),
    # The subject and text are the secretariat's own, one version per language; the
    # signature and footer come from the catalogue. No link: the footer has none.
    "message": Kind(
        message,
        {code: subject for code, (subject, _body) in MESSAGE_TEXT.items()},
        (
            {code: body for code, (_subject, body) in MESSAGE_TEXT.items()},
            SECRETARIAT,
            {
                "es": "porque coordina una ciudad miembro en su portal",
                "pt-br": "porque coordena uma cidade membro no seu portal",
                "en": "because you coordinate a member city on its portal",
            },
        ),
        links=False,
    ),
}


def links(body: str) -> list[str]:
    # A sentence may end right after a link ("acesse https://….").
    return [url.rstrip(".,;:") for url in re.findall(r"https?://[^\s<>»“”\"]+", body)]


def assert_links_in_language(body: str, language: str) -> None:
    urls = links(body)
    assert urls, "no link in the e-mail"
    for url in urls:
        assert url.startswith(PORTAL + "/"), url
        path = urlsplit(url).path
        others = [f"/{code}/" for code in LANGUAGES if code != language and prefix(code)]
        assert not path.startswith(tuple(others)), url
        if prefix(language):
            assert path.startswith(f"{prefix(language)}/"), url
        # The page exists, at that language's address.
        with translation.override(language):
            try:
                resolve(path)
            except Resolver404:
                pytest.fail(f"{url} opens no page")


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(KINDS))
def test_email_is_in_the_recipients_language_with_links_in_that_language(
    kind, language, mailoutbox, committed
):
    expected = KINDS[kind]
    message = expected.send(language, mailoutbox, committed)
    assert expected.subject[language] in message.subject
    assert message.subject.startswith("[UTDS Mercociudades] ")
    for phrase in expected.body:
        assert phrase[language] in message.body, message.body
    # Not a word of the other languages' subjects.
    for other in LANGUAGES:
        if other != language and expected.subject[other] != expected.subject[language]:
            assert expected.subject[other] not in message.subject
    # The portal's own address and name, never the Host header of the request that sent it.
    assert "testserver" not in message.body
    if expected.links:
        assert_links_in_language(message.body, language)
    else:
        assert links(message.body) == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "pt-br", "en"])
def test_password_reset_for_an_unknown_address_sends_nothing_and_answers_the_same(
    language, mailoutbox, ana
):
    # Accounts come by invitation only: no mail to a stranger, and the answer does not tell
    # whether an address has an account.
    unknown = Client().post(
        f"{prefix(language)}/accounts/password/reset/", {"email": "nobody@city.example"}
    )
    known = Client().post(f"{prefix(language)}/accounts/password/reset/", {"email": ana.email})
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert [message.to for message in mailoutbox] == [[ana.email]]


def test_every_kind_of_email_template_is_covered():
    """A new e-mail template fails here until a case above sends it."""
    templates = {
        path.name.removesuffix("_subject.txt")
        for path in (Path(settings.BASE_DIR) / "templates").glob("*/email/*_subject.txt")
    }
    assert templates - set(KINDS) == set()
    assert USER_WRITTEN - {path.name for path in EMAIL_TEMPLATES} == set()


# --- Every string of every e-mail template is translated -------------------------------------

CALL = re.compile(r"\b(n?p?gettext)\(((?:\s*u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\s*,?)+)")
STRING = re.compile(r"u?('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")")


def template_messages(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """(function, arguments) of every gettext call the template makes."""
    import ast

    source = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    return [
        (function, tuple(ast.literal_eval(text) for text in STRING.findall(arguments)))
        for function, arguments in CALL.findall(source)
    ]


def translated(function: str, arguments: tuple[str, ...], language: str) -> str:
    with translation.override(language):
        if function == "gettext":
            return translation.gettext(*arguments)
        if function == "pgettext":
            return translation.pgettext(*arguments)
        if function == "ngettext":
            return translation.ngettext(*arguments, 2)
        return translation.npgettext(*arguments, 2)


EMAIL_TEMPLATES = sorted((Path(settings.BASE_DIR) / "templates").glob("*/email/*.txt"))

# Templates that only print text a person wrote, with nothing of the portal's own to
# translate; any other template without a translatable string has forgotten its
# {% translate %}.
USER_WRITTEN = {
    # the secretariat's own subject of its message to the coordinators, in the version
    # of the recipient's language (unit.models.NetworkMessage.text_in)
    "message_subject.txt",
}


@pytest.mark.parametrize("path", EMAIL_TEMPLATES, ids=lambda path: path.name)
def test_every_string_of_the_email_template_is_translated(path):
    messages = template_messages(path)
    if path.name in USER_WRITTEN:
        assert messages == [], "translatable text found: remove the template from USER_WRITTEN"
    assert messages or path.name.startswith("_") or path.name in USER_WRITTEN, (
        "no translatable text found"
    )
    for function, arguments in messages:
        english = translated(function, arguments, "en")
        spanish = translated(function, arguments, "es")
        portuguese = translated(function, arguments, "pt-br")
        # The msgids are English: a string the catalogue lacks comes out in English.
        assert english not in (spanish, portuguese), (english, spanish, portuguese)
        if path.name.endswith("_subject.txt"):
            # Spanish and Portuguese share words ("Cargo:"), never a whole subject.
            assert spanish != portuguese, (english, spanish)
