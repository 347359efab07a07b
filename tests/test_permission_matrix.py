"""The permission matrix: every URL pattern of the project, read from the URL conf, ×
anonymous, a coordinator of another city (bruno), the owning coordinator (ana) and the
secretariat (sofia) × GET and POST → the expected status.

Every route is classified in ROUTES (the portal's own) or by prefix in a third-party group
(admin, allauth); an unclassified route fails `test_every_route_is_classified`. One world of
real objects is built once for the module (inside a transaction rolled back at its end);
each test runs in a savepoint, so a POST that changes data is undone after its test.
"""

import datetime
import re
from dataclasses import dataclass, field

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from cities.models import WorkingGroup
from cities.services import invitation_send
from events.models import EventDocument
from experiences import services as practice_services
from funding.models import FundingInterest
from peers.models import Subscriber, Transfer
from tests.conftest import TEST_TOTP_SECRET
from tests.events.conftest import make_event, make_registration, registration_data
from tests.experiences.conftest import save_practice
from tests.factories import (
    CityCoordinatorFactory,
    CityFactory,
    FocalPointFactory,
    SecretariatFactory,
    UserFactory,
    make_funding_call,
    make_news,
)
from tests.mapping.factories import (
    CityProblemFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    SocialProblemFactory,
)
from unit import services as unit_services
from unit.demo import sample_pdf
from unit.models import Document, LineOfWork, NetworkMessage, ReviewNote, WorkPlan

ROLES = ("anonymous", "bruno", "ana", "sofia")
LOGIN = "login"  # a redirect to the login page
ADMIN_LOGIN = "admin-login"  # a redirect to the admin's (or allauth's) login page
REFUSED = "refused"  # 403 or 404: never 200, never a redirect to a page that acts


# --- the routes --------------------------------------------------------------------------


def walk(patterns, prefix="", namespace=""):
    """(key, pattern string) of every URL pattern; key is `namespace:name`, or the pattern
    string for an unnamed one."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            key = f"{namespace}{entry.name}" if entry.name else route
            yield key, route, entry


ALL_ROUTES = sorted({(key, route) for key, route, _entry in walk(get_resolver().url_patterns)})


def group_of(key: str, route: str) -> str | None:
    if key.startswith("admin:") or route.startswith("admin/"):
        return "admin"
    if key.startswith(("account_", "mfa_", "usersessions_")) and key not in ROUTES:
        return "allauth"
    if route.startswith("^media/"):
        return "media"
    if key.startswith("api:"):
        return "api"
    return None


@dataclass(frozen=True)
class Rule:
    """Expected answers in ROLES order (anonymous, bruno, ana, sofia) to GET and to POST;
    `kwargs(world)` fills the URL's arguments."""

    get: tuple
    post: tuple
    kwargs: object = None
    suffix: str = ""
    data: object = None  # world → the POST body (a cross-city write names the other city)
    note: str = field(default="", compare=False)


PUBLIC = (200, 200, 200, 200)
PUBLIC_GET_ONLY = Rule(get=PUBLIC, post=(405, 405, 405, 405))
MEMBERS = (LOGIN, 200, 200, 200)
SECRETARIAT = (LOGIN, REFUSED, REFUSED, 200)
OWNER = (LOGIN, REFUSED, 200, 200)
OWNER_WRITE = (LOGIN, REFUSED, 302, 302)
SECRETARIAT_WRITE = (LOGIN, REFUSED, REFUSED, 302)
# Anonymous visitors are sent to log in before the method is looked at.
POST_ONLY_GET = (LOGIN, 405, 405, 405)
# Django's sitemap and syndication views answer any method; they only read.
READ_ANY_METHOD = Rule(get=PUBLIC, post=PUBLIC, note="read-only view that ignores the method")


def city_a_registration(w):
    return registration_data(w.city_a)


def ana_session(w):
    """ana's session as allauth's user sessions list it (force_login makes no row)."""
    row, _created = UserSession.objects.get_or_create(
        user=w.ana,
        session_key=w.sessions["ana"],
        defaults={"ip": "203.0.113.7", "user_agent": "Test browser"},
    )
    return row.pk


def slug(name):
    return lambda w: {"slug": getattr(w, name).slug}


def public_detail(name):
    """A page showing the world's `name` object to everybody, read-only."""
    return Rule(get=PUBLIC, post=(405, 405, 405, 405), kwargs=slug(name))


def city_a_registration_page(**extra):
    """A page about city A's registration for the world's event (`?city=` names it): city A's
    coordinator and the secretariat see and change it."""
    return Rule(
        get=OWNER, post=OWNER_WRITE, kwargs=slug("event"), suffix="?city=quilmes-ar", **extra
    )


def secretariat_action(name, **extra):
    """A POST-only action of the secretariat on the world's `name` object."""
    return Rule(get=POST_ONLY_GET, post=SECRETARIAT_WRITE, kwargs=slug(name), **extra)


def public_detail_pk(name):
    return Rule(get=PUBLIC, post=(405, 405, 405, 405), kwargs=lambda w: {"pk": getattr(w, name).pk})


def peer_transfer_data():
    return {
        "kind": "adapted",
        "started_on": "2024-03-01",
        "changes": "",
        "results": "",
        "contact_name": "",
        "contact_email": "",
    }


def year(w):
    return {"year": w.plan.start_year}


def message(w):
    return {"pk": w.message.pk}


ROUTES: dict[str, Rule] = {
    # --- no language prefix ---
    "healthz": PUBLIC_GET_ONLY,
    # the test client asks from 127.0.0.1, an allowed address (tests/observability/)
    "metrics": PUBLIC_GET_ONLY,
    "robots_txt": PUBLIC_GET_ONLY,
    "sitemap": READ_ANY_METHOD,
    # --- portal pages ---
    "home": PUBLIC_GET_ONLY,
    "privacy": PUBLIC_GET_ONLY,
    "search": PUBLIC_GET_ONLY,
    "feeds": PUBLIC_GET_ONLY,
    "api_guide": PUBLIC_GET_ONLY,
    "api_reference": PUBLIC_GET_ONLY,
    "dashboard": Rule(get=MEMBERS, post=(LOGIN, 405, 405, 405)),
    "dashboard_export": Rule(
        get=SECRETARIAT,
        post=(LOGIN, 405, 405, 405),
        kwargs=lambda w: {"table": "published"},
    ),
    "account_my_data": Rule(get=MEMBERS, post=(LOGIN, 405, 405, 405)),
    # GET asks to confirm, POST acts (no JavaScript needed).
    "account_request_deletion": Rule(get=MEMBERS, post=(LOGIN, 302, 302, 302)),
    "account_cancel_deletion": Rule(get=POST_ONLY_GET, post=(LOGIN, 302, 302, 302)),
    "account_profile": Rule(get=MEMBERS, post=(LOGIN, 200, 200, 200)),
    "usersessions_list": Rule(get=MEMBERS, post=(LOGIN, 405, 405, 405)),
    "usersessions_end_others": Rule(get=MEMBERS, post=(LOGIN, 302, 302, 302)),
    # ana's session: nobody else may end it, and ana ends her current one by logging out.
    "usersessions_end": Rule(
        get=(LOGIN, REFUSED, REFUSED, REFUSED),
        post=(LOGIN, REFUSED, REFUSED, REFUSED),
        kwargs=lambda w: {"pk": ana_session(w)},
    ),
    # --- cities ---
    "cities:list": PUBLIC_GET_ONLY,
    "cities:join": Rule(get=PUBLIC, post=(200, 200, 200, 200), note="form re-shown with errors"),
    "cities:join_sent": PUBLIC_GET_ONLY,
    "cities:invitation_accept": Rule(
        get=(200, 200, 200, 200), post=(200, 200, 200, 200), kwargs=lambda w: {"token": w.token}
    ),
    "cities:export_csv": PUBLIC_GET_ONLY,
    "cities:export_json": PUBLIC_GET_ONLY,
    "cities:edit": Rule(get=OWNER, post=(LOGIN, REFUSED, 200, 200), kwargs=slug("city_a")),
    "cities:detail": public_detail("city_a"),
    "cities:group": public_detail("group"),
    # --- practices ---
    "experiences:list": PUBLIC_GET_ONLY,
    "experiences:feed": PUBLIC_GET_ONLY,
    "experiences:create": Rule(get=MEMBERS, post=(LOGIN, 200, 200, 200)),
    "experiences:detail": public_detail("published"),
    "experiences:edit": Rule(get=OWNER, post=(LOGIN, REFUSED, 200, 200), kwargs=slug("draft")),
    "experiences:submit": Rule(get=POST_ONLY_GET, post=OWNER_WRITE, kwargs=slug("draft")),
    "experiences:publish": secretariat_action("in_review"),
    "experiences:request_changes": secretariat_action(
        "in_review",
        data=lambda w: {"comment": "Please add the results."},
    ),
    "experiences:archive": Rule(
        get=(LOGIN, REFUSED, 200, 200),
        post=OWNER_WRITE,
        kwargs=slug("published"),
        note="GET shows the confirmation",
    ),
    "experiences:unpublish": secretariat_action("published"),
    "experiences:restore": secretariat_action("archived"),
    "experiences:feature": secretariat_action("published"),
    "experiences:attachment": Rule(
        get=(REFUSED, REFUSED, 200, 200),
        post=(405, 405, 405, 405),
        kwargs=lambda w: {"slug": w.draft.slug, "pk": w.draft_attachment.pk},
        note="an attachment of a draft: hidden like the draft",
    ),
    "experiences:revision_approve": secretariat_action("published"),
    "experiences:revision_reject": secretariat_action(
        "published",
        data=lambda w: {"comment": "Please keep the published figures."},
    ),
    # --- funding calls ---
    "funding:list": PUBLIC_GET_ONLY,
    "funding:detail": public_detail("call"),
    "funding:interest": Rule(
        get=POST_ONLY_GET,
        post=OWNER_WRITE,
        kwargs=slug("call"),
        data=lambda w: {"city": w.city_a.pk, "action": "mark", "note": ""},
    ),
    # --- mapping ---
    "mapping:index": PUBLIC_GET_ONLY,
    "mapping:problem": public_detail("problem"),
    "mapping:indicators": PUBLIC_GET_ONLY,
    "mapping:indicator": public_detail("indicator"),
    "mapping:export": PUBLIC_GET_ONLY,
    "mapping:export_indicators_csv": PUBLIC_GET_ONLY,
    "mapping:export_indicators_json": PUBLIC_GET_ONLY,
    "mapping:export_problems_csv": PUBLIC_GET_ONLY,
    "mapping:export_problems_json": PUBLIC_GET_ONLY,
    "mapping:import": Rule(get=MEMBERS, post=(LOGIN, 200, 200, 200)),
    "mapping:city_edit": Rule(
        get=(LOGIN, REFUSED, 302, 302),
        post=(LOGIN, 405, 405, 405),
        kwargs=slug("city_a"),
        note="opens the profile page of a year",
    ),
    "mapping:profile": Rule(
        get=OWNER, post=OWNER_WRITE, kwargs=lambda w: {"slug": w.city_a.slug, "year": 2022}
    ),
    "mapping:profile_template": Rule(
        get=OWNER,
        post=(LOGIN, 405, 405, 405),
        kwargs=lambda w: {"slug": w.city_a.slug, "year": 2022},
    ),
    "mapping:value_remove": Rule(
        get=OWNER,
        post=OWNER_WRITE,
        kwargs=lambda w: {"slug": w.city_a.slug, "pk": w.value.pk},
        note="GET shows the confirmation",
    ),
    "mapping:problem_remove": Rule(
        get=OWNER,
        post=OWNER_WRITE,
        kwargs=lambda w: {"slug": w.city_a.slug, "pk": w.city_problem.pk},
        note="GET shows the confirmation",
    ),
    # --- events ---
    "events:list": PUBLIC_GET_ONLY,
    "events:calendar": PUBLIC_GET_ONLY,
    "events:participation": Rule(get=SECRETARIAT, post=(405, 405, 405, 405)),
    "events:detail": public_detail("event"),
    "events:event_ics": public_detail("event"),
    "events:register": Rule(
        get=(405, 405, 405, 405),
        post=OWNER_WRITE,
        kwargs=slug("open_event"),
        data=city_a_registration,
        note="an event city A is not registered for",
    ),
    "events:change": city_a_registration_page(
        data=lambda w: registration_data(w.city_a, version=1), note="GET shows the change form"
    ),
    "events:withdraw": city_a_registration_page(
        data=city_a_registration, note="GET shows the confirmation"
    ),
    "events:registrations": Rule(get=SECRETARIAT, post=(405, 405, 405, 405), kwargs=slug("event")),
    "events:registrations_csv": Rule(
        get=SECRETARIAT, post=(405, 405, 405, 405), kwargs=slug("event")
    ),
    "events:document": Rule(
        get=PUBLIC,
        post=(405, 405, 405, 405),
        kwargs=lambda w: {"slug": w.event.slug, "pk": w.event_document.pk},
    ),
    # --- learning from peers ---
    "peers:transfer_detail": public_detail_pk("transfer"),
    "peers:transfer_edit": Rule(
        get=OWNER,
        post=OWNER_WRITE,
        kwargs=lambda w: {"pk": w.transfer.pk},
        data=lambda w: {**peer_transfer_data(), "publish": "1"},
    ),
    "peers:transfer_create": Rule(
        get=(LOGIN, 200, REFUSED, 200),
        post=(LOGIN, 302, REFUSED, 302),
        kwargs=slug("published"),
        data=lambda w: {"city": w.city_b.pk, **peer_transfer_data()},
        note="city A's own practice: its coordinator records no transfer of it",
    ),
    "peers:ask_city": Rule(
        get=(LOGIN, 200, REFUSED, 200),
        post=(LOGIN, 302, REFUSED, 302),
        kwargs=slug("published"),
        data=lambda w: {"message": "¿Cómo lo hicieron?"},
        note="city A's own coordinator does not write to herself",
    ),
    "peers:ask_interested": Rule(
        get=(LOGIN, 200, 200, REFUSED),
        post=(LOGIN, 200, 302, REFUSED),
        kwargs=slug("joint_call"),
        data=lambda w: {"city": w.city_a.pk, "message": "¿Postulamos juntos?"},
        note="interested cities only; bruno cannot write on behalf of city A",
    ),
    "peers:follow": Rule(
        get=PUBLIC,
        post=PUBLIC,
        suffix="?problem=pobreza",
        data=lambda w: {"email": "lea@example.org", "frequency": "weekly"},
        note="anyone follows; the answer says what happens next",
    ),
    "peers:confirm": Rule(
        get=PUBLIC, post=(302, 302, 302, 302), kwargs=lambda w: {"token": w.subscriber.token}
    ),
    "peers:unsubscribe": Rule(
        get=PUBLIC, post=PUBLIC, kwargs=lambda w: {"token": w.subscriber.token}
    ),
    "peers:transfers_csv": PUBLIC_GET_ONLY,
    "peers:transfers_json": PUBLIC_GET_ONLY,
    # --- the unit ---
    "unit:about": PUBLIC_GET_ONLY,
    "unit:new_members": PUBLIC_GET_ONLY,
    "unit:plan_index": Rule(get=(302, 302, 302, 302), post=(405, 405, 405, 405)),
    "unit:plan": Rule(get=PUBLIC, post=(405, 405, 405, 405), kwargs=year),
    "unit:plan_report": Rule(get=PUBLIC, post=(405, 405, 405, 405), kwargs=year),
    "unit:plan_csv": Rule(get=PUBLIC, post=(405, 405, 405, 405), kwargs=year),
    "unit:library": PUBLIC_GET_ONLY,
    "unit:document": Rule(
        get=(REFUSED, 200, 200, 200), post=(405, 405, 405, 405), kwargs=slug("members_doc")
    ),
    "unit:document_download": Rule(
        get=(REFUSED, 200, 200, 200), post=(405, 405, 405, 405), kwargs=slug("members_doc")
    ),
    "unit:news": PUBLIC_GET_ONLY,
    # the secretariat's messages to the coordinators: an empty POST shows the form's errors
    "unit:messages": Rule(get=SECRETARIAT, post=(LOGIN, 405, 405, 405)),
    "unit:message_new": Rule(get=SECRETARIAT, post=(LOGIN, REFUSED, REFUSED, 200)),
    "unit:message": Rule(get=SECRETARIAT, post=(LOGIN, 405, 405, 405), kwargs=message),
    "unit:message_edit": Rule(get=SECRETARIAT, post=(LOGIN, REFUSED, REFUSED, 200), kwargs=message),
    "unit:message_send": Rule(get=POST_ONLY_GET, post=SECRETARIAT_WRITE, kwargs=message),
    "unit:news_feed": READ_ANY_METHOD,
    "unit:news_detail": Rule(
        get=(REFUSED, REFUSED, REFUSED, 200),
        post=(405, 405, 405, 405),
        kwargs=slug("draft_news"),
        note="a draft news item",
    ),
}

# Extra rows for the same route with other objects: (key, label) → Rule.
VARIANTS: dict[tuple[str, str], Rule] = {
    ("events:register", "already-registered"): Rule(
        get=(405, 405, 405, 405),
        post=(LOGIN, REFUSED, 409, 409),
        kwargs=slug("event"),
        data=city_a_registration,
        note="a second registration of city A is refused, the first one shown",
    ),
    ("experiences:detail", "draft"): Rule(
        get=(REFUSED, REFUSED, 200, 200), post=(405, 405, 405, 405), kwargs=slug("draft")
    ),
    ("experiences:edit", "other-city"): Rule(
        get=(LOGIN, 200, REFUSED, 200),
        post=(LOGIN, 200, REFUSED, 200),
        kwargs=slug("practice_b"),
    ),
    ("cities:edit", "other-city"): Rule(
        get=(LOGIN, 200, REFUSED, 200),
        post=(LOGIN, 200, REFUSED, 200),
        kwargs=slug("city_b"),
    ),
    ("mapping:profile", "other-city"): Rule(
        get=(LOGIN, 200, REFUSED, 200),
        post=(LOGIN, 302, REFUSED, 302),
        kwargs=lambda w: {"slug": w.city_b.slug, "year": 2022},
    ),
    ("experiences:attachment", "published"): Rule(
        get=PUBLIC,
        post=(405, 405, 405, 405),
        kwargs=lambda w: {"slug": w.published.slug, "pk": w.published_attachment.pk},
    ),
    ("peers:transfer_detail", "draft"): Rule(
        get=(REFUSED, REFUSED, 200, 200),
        post=(405, 405, 405, 405),
        kwargs=lambda w: {"pk": w.draft_transfer.pk},
    ),
    ("unit:document", "public"): Rule(
        get=PUBLIC, post=(405, 405, 405, 405), kwargs=slug("public_doc")
    ),
    ("unit:news_detail", "published"): Rule(
        get=PUBLIC, post=(405, 405, 405, 405), kwargs=slug("published_news")
    ),
}


def portal_cases():
    cases = []
    for key, _route in ALL_ROUTES:
        if key in ROUTES:
            cases.append(pytest.param(key, ROUTES[key], id=key))
    for (key, label), rule in VARIANTS.items():
        cases.append(pytest.param(key, rule, id=f"{key}[{label}]"))
    return cases


# --- the world ---------------------------------------------------------------------------


class World:
    pass


def with_totp(user):
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": TEST_TOTP_SECRET}
    )
    return user


def practice(city, title, slug_, status, author):
    return save_practice(city=city, title=title, slug=slug_, status=status, author=author)


def library_document(slug_, audience):
    content = sample_pdf(slug_)
    document = Document(
        title=f"Documento {slug_}",
        slug=slug_,
        year=2024,
        summary="Resumen.",
        audience=audience,
        original_name=f"{slug_}.pdf",
        content_type="application/pdf",
        size=len(content),
    )
    document.file.save("document.pdf", ContentFile(content), save=False)
    document.save()
    unit_services.document_refresh_search(document=document)
    return document


def build_world() -> World:
    w = World()
    w.city_a = CityFactory(name="Quilmes", slug="quilmes-ar", country="AR")
    w.city_b = CityFactory(name="Porto Alegre", slug="porto-alegre-br", country="BR")
    w.ana = with_totp(UserFactory(email="ana@quilmes.example", name="Ana Pereyra"))
    CityCoordinatorFactory(user=w.ana, city=w.city_a)
    w.bruno = with_totp(UserFactory(email="bruno@portoalegre.example", name="Bruno Carvalho"))
    CityCoordinatorFactory(user=w.bruno, city=w.city_b)
    w.sofia = with_totp(SecretariatFactory(email="sofia@utds.example", name="Sofía Benítez"))
    FocalPointFactory(city=w.city_a)
    w.group = WorkingGroup.objects.create(
        slug="migrations", name_es="Migraciones", name_pt_br="Migrações", name_en="Migrations"
    )
    w.group.cities.add(w.city_a)
    w.published = practice(w.city_a, "Mesas barriales", "mesas-barriales", "published", w.ana)
    w.draft = practice(w.city_a, "Borrador de Quilmes", "borrador-quilmes", "draft", w.ana)
    w.in_review = practice(w.city_a, "En revisión", "en-revision", "in_review", w.ana)
    w.archived = practice(w.city_a, "Archivada", "archivada", "archived", w.ana)
    w.practice_b = practice(w.city_b, "Prática de Porto Alegre", "pratica-poa", "draft", w.bruno)
    w.published_attachment = practice_services.attachment_add(
        practice=w.published, user=w.ana, upload=SimpleUploadedFile("a.pdf", sample_pdf("A"))
    )
    w.draft_attachment = practice_services.attachment_add(
        practice=w.draft, user=w.ana, upload=SimpleUploadedFile("b.pdf", sample_pdf("B"))
    )
    w.event = make_event(title="Meeting of social ministers", slug="ministers-meeting")
    w.open_event = make_event(title="Meeting of housing ministers", slug="housing-meeting")
    make_registration(w.event, w.city_a, user=w.ana)
    content = sample_pdf("Agenda")
    w.event_document = EventDocument(
        event=w.event,
        title="Agenda",
        original_name="agenda.pdf",
        content_type="application/pdf",
        size=len(content),
    )
    w.event_document.file.save("agenda.pdf", ContentFile(content), save=True)
    today = timezone.localdate()
    w.call = make_funding_call("Convocatoria", funder="Unión Europea")
    w.problem = SocialProblemFactory(slug="pobreza")
    w.indicator = IndicatorFactory(slug="pobreza-ingresos")
    w.city_problem = CityProblemFactory(city=w.city_a, problem=w.problem)
    w.value = IndicatorValueFactory(city=w.city_a, indicator=w.indicator)
    w.plan = WorkPlan.objects.create(
        start_year=today.year,
        end_year=today.year,
        title_es="Plan",
        title_pt_br="Plano",
        title_en="Plan",
    )
    line = LineOfWork.objects.create(
        plan=w.plan, number=1, slug="line-1", title_es="Línea", title_en="Line"
    )
    ReviewNote.objects.create(line=line, year=today.year, body="**Nota**")
    w.public_doc = library_document("informe-publico", Document.Audience.PUBLIC)
    w.members_doc = library_document("acta-reservada", Document.Audience.MEMBERS)
    w.published_news = make_news("noticia", title="Noticia", summary="R.", body="T.")
    w.message = NetworkMessage.objects.create(subject_es="Hola", body_es="Texto.")
    w.draft_news = make_news(
        "borrador-noticia", title="Borrador", summary="R.", body="T.", published=False, days_ago=0
    )
    add_peers(w)
    _invitation, w.token = invitation_send(
        city=w.city_b, email="nueva@poa.example", name="Nueva", language="pt-br", by=w.sofia
    )
    return w


def add_peers(w):
    """City A took city B's published practice (published) and a second one (draft); a
    funding call both cities are interested in."""
    published_b = practice(w.city_b, "Prática publicada", "pratica-publicada", "published", w.bruno)
    other_b = practice(w.city_b, "Outra prática", "outra-pratica", "published", w.bruno)
    today = datetime.date(2024, 3, 1)
    w.transfer = Transfer.objects.create(
        practice=published_b,
        city=w.city_a,
        started_on=today,
        status="published",
        published_at=timezone.now(),
    )
    w.draft_transfer = Transfer.objects.create(practice=other_b, city=w.city_a, started_on=today)
    w.subscriber = Subscriber.objects.create(email="lea@example.org", language="es")
    w.joint_call = make_funding_call("Convocatoria conjunta")
    for city in (w.city_a, w.city_b):
        FundingInterest.objects.create(call=w.joint_call, city=city)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once; rolled back when the module ends."""
    media = tmp_path_factory.mktemp("matrix-media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world()
            world.sessions = {}
            for role in ("bruno", "ana", "sofia"):
                client = Client()
                client.force_login(getattr(world, role))
                world.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def logged_in(world, role, **kwargs) -> Client:
    """A client carrying the role's session, opened once for the module (a logout inside a
    test is rolled back with it)."""
    client = Client(**kwargs)
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return client


@pytest.fixture
def clients(world, db):
    return {"anonymous": Client(), **{role: logged_in(world, role) for role in world.sessions}}


# --- the checks --------------------------------------------------------------------------


def path_of(key: str, rule: Rule, world) -> str:
    kwargs = rule.kwargs(world) if rule.kwargs else None
    with translation.override("en"):
        return reverse(key, kwargs=kwargs) + rule.suffix


def matches(expected, response) -> bool:
    status = response.status_code
    if expected == LOGIN:
        return status == 302 and "/accounts/login/" in response["Location"]
    if expected == ADMIN_LOGIN:
        return status == 302 and "login" in response["Location"]
    if expected == REFUSED:
        return status in (403, 404)
    return status == expected


def answers(client, method, path, data=None):
    """One request in a savepoint of its own, rolled back: every role meets the same world."""
    with transaction.atomic():
        response = client.get(path) if method == "GET" else client.post(path, data or {})
        transaction.set_rollback(True)
    return response


def test_every_route_is_classified():
    unclassified = [
        f"{key} ({route})"
        for key, route in ALL_ROUTES
        if key not in ROUTES and group_of(key, route) is None
    ]
    assert unclassified == []
    stale = set(ROUTES) - {key for key, _route in ALL_ROUTES}
    assert stale == set(), "rows for routes that no longer exist"


@pytest.mark.parametrize(("key", "rule"), portal_cases())
def test_portal_route(key, rule, world, clients):
    path = path_of(key, rule, world)
    data = rule.data(world) if rule.data else {}
    wrong = []
    for method, expected_row in (("GET", rule.get), ("POST", rule.post)):
        for role, expected in zip(ROLES, expected_row, strict=True):
            response = answers(clients[role], method, path, data)
            if not matches(expected, response):
                wrong.append(f"{method} {path} as {role}: {response.status_code}, want {expected}")
    assert not wrong, "\n".join(wrong)


def test_the_table_refuses_draft_reads_and_cross_city_writes():
    """Loosening the table is a visible change: drafts stay hidden from outsiders, and a
    write on city A's objects by bruno (city B), or on city B's by ana, is refused."""
    draft_reads = [
        VARIANTS[("experiences:detail", "draft")],
        ROUTES["experiences:attachment"],
        ROUTES["unit:news_detail"],
    ]
    for rule in draft_reads:
        assert rule.get[:2] == (REFUSED, REFUSED)
    city_a_writes = [
        "cities:edit",
        "mapping:profile",
        "mapping:value_remove",
        "mapping:problem_remove",
        "experiences:edit",
        "experiences:submit",
        "experiences:archive",
        "events:register",
        "events:change",
        "events:withdraw",
        "funding:interest",
    ]
    for key in city_a_writes:
        assert ROUTES[key].post[1] == REFUSED, key
    for (key, label), rule in VARIANTS.items():
        if label == "other-city":
            assert rule.get[2] == REFUSED and rule.post[2] == REFUSED, key


# --- third-party groups ------------------------------------------------------------------

ADMIN_ROUTES = [(key, route) for key, route in ALL_ROUTES if group_of(key, route) == "admin"]
ALLAUTH_ROUTES = [(key, route) for key, route in ALL_ROUTES if group_of(key, route) == "allauth"]
API_ROUTES = [(key, route) for key, route in ALL_ROUTES if group_of(key, route) == "api"]


@pytest.mark.parametrize(("key", "route"), API_ROUTES, ids=[r for _k, r in API_ROUTES])
def test_api_route_is_read_only_and_the_same_for_everyone(key, route, world, clients):
    """The open API answers every role alike (it never reads the session) and has no write:
    a POST is refused, or (the schema document, the root) answered like the GET."""
    path = reverse(key)
    answers_by_role = set()
    for role in ROLES:
        got = answers(clients[role], "GET", path)
        posted = answers(clients[role], "POST", path)
        assert got.status_code < 500 and posted.status_code in (405, got.status_code), role
        answers_by_role.add((got.status_code, got.content))
    assert len(answers_by_role) == 1


def admin_path(key: str, route: str, world) -> str:
    """A concrete path for an admin route: a real object's pk where the route takes one."""
    match = re.match(r"admin:(\w+?)_(\w+?)_(change|delete|history)$", key)
    object_id = "1"
    if match:
        app_label, model = match.group(1), match.group(2)
        for label in (app_label, app_label.split("_")[0]):
            try:
                found = apps.get_model(label, model)
            except LookupError:
                continue
            first = found.objects.order_by("pk").first()
            object_id = str(first.pk) if first else "1"
            break
    path = "/en/" + route
    path = re.sub(r"\^\(\?P<app_label>[^)]*\)/\$", "cities/", path)
    path = path.replace("^([^/]+)/history/([^/]+)/$", f"{object_id}/history/1/")
    path = re.sub(r"\(\?P<url>\.\*\)\$", "no-such-page/", path)
    path = re.sub(r"<path:content_type_id>/<path:object_id>", "1/1", path)
    path = re.sub(r"<(path:)?(object_)?id>", object_id, path)
    return path


@pytest.mark.parametrize(("key", "route"), ADMIN_ROUTES, ids=[r for _k, r in ADMIN_ROUTES])
def test_admin_route(key, route, world, clients):
    """Anonymous → the login page; coordinators → a redirect to log in or 403; the
    secretariat is let in (never a 5xx); no one else ever gets a 200. (The secretariat's
    POSTs to its own admin forms are left to the admin tests: slow, and not a permission.)"""
    path = admin_path(key, route, world)
    wrong = []
    for method in ("GET", "POST"):
        for role in ROLES:
            if method == "POST" and role == "sofia":
                continue
            response = answers(clients[role], method, path)
            status = response.status_code
            if key == "admin:logout":
                ok = status in (302, 405)  # logging out of nothing: sent away, never served
            elif role == "anonymous":
                ok = status == 302 and "login" in response["Location"]
            elif role in ("ana", "bruno"):
                ok = status in (302, 403, 404) and status != 200
                if status == 302:
                    ok = "login" in response["Location"]
            else:
                ok = status < 500
            if not ok:
                wrong.append(f"{method} {path} as {role}: {status}")
    assert not wrong, "\n".join(wrong)


def test_the_secretariat_reads_the_admin(clients):
    for path in ("/en/admin/", "/en/admin/cities/city/", "/en/admin/experiences/practice/"):
        assert clients["sofia"].get(path).status_code == 200


ALLAUTH_KWARGS = {
    "account_confirm_email": "/en/accounts/confirm-email/no-such-key/",
    "account_reset_password_from_key": "/en/accounts/password/reset/key/1-no-such-key/",
}


@pytest.mark.parametrize(("key", "route"), ALLAUTH_ROUTES, ids=[k for k, _r in ALLAUTH_ROUTES])
def test_allauth_route(key, route, world, clients):
    """allauth's own pages: never a 5xx; the pages of one's account send anonymous visitors
    to log in."""
    path = ALLAUTH_KWARGS.get(key) or "/en/" + route
    wrong = []
    for method in ("GET", "POST"):
        for role in ROLES:
            response = answers(clients[role], method, path)
            if response.status_code >= 500:
                wrong.append(f"{method} {path} as {role}: {response.status_code}")
    account_pages = key.startswith(("mfa_", "usersessions_")) or key in {
        "account_email",
        "account_change_password",
    }
    if account_pages:
        response = clients["anonymous"].get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not wrong, "\n".join(wrong)


# --- CSRF --------------------------------------------------------------------------------


# Routes that take a POST without a form token, and why.
CSRF_EXEMPT = {
    # RFC 8058 one-click unsubscribe: mail clients POST without a token; the URL's secret
    # token names the one address it deletes (tests/peers/test_following.py)
    "peers:unsubscribe",
}


def csrf_cases():
    cases = [
        pytest.param(key, rule, id=key) for key, rule in ROUTES.items() if key not in CSRF_EXEMPT
    ]
    return cases


@pytest.mark.parametrize(("key", "rule"), csrf_cases())
def test_post_without_csrf_token_is_refused(key, rule, world, db):
    client = logged_in(world, "sofia", enforce_csrf_checks=True)
    path = path_of(key, rule, world)
    assert client.post(path, {}).status_code == 403


@pytest.mark.parametrize(("key", "route"), ADMIN_ROUTES[:5] + ALLAUTH_ROUTES)
def test_third_party_post_without_csrf_token_is_refused(key, route, world, db):
    client = logged_in(world, "sofia", enforce_csrf_checks=True)
    path = ALLAUTH_KWARGS.get(key) or (
        admin_path(key, route, world) if route.startswith("admin/") else "/en/" + route
    )
    assert client.post(path, {}).status_code == 403


# --- media (development only) ------------------------------------------------------------


def test_protected_uploads_are_never_served_from_media(world, clients):
    """Practice attachments and library documents go through their permission-checked
    download views only; the development media route refuses them even to the secretariat."""
    stored = [world.draft_attachment.file.name, world.members_doc.file.name]
    for name in stored:
        assert name.startswith(("practices/", "unit/"))
        for role in ROLES:
            assert clients[role].get(f"/media/{name}").status_code == 404
