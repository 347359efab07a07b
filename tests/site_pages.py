"""The portal's pages, one entry per page template and state (lists, details, forms, forms
with errors, empty states, error pages, dashboards, allauth pages), for the checks that must
hold on every page: axe-core in the browser (tests/e2e/test_accessibility.py) and the Nu
HTML Checker (tests/test_html_valid.py).

Paths are filled from `demo_world()`: the demo data (`seed_demo`) plus a few objects the
demo does not have (a draft of Ana's, invitations, an event's registrations).
"""

import datetime
import io
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.utils import timezone, translation

from cities.models import City, CoordinatorInvitation
from cities.services import invitation_send
from core.availability import DatabaseUnavailableMiddleware
from events.models import Event
from events.services import DelegateData, registration_create
from experiences.models import (
    PRACTICE_EDITABLE_FIELDS,
    PRACTICE_M2M_FIELDS,
    Practice,
    load_classification,
)
from experiences.services import practice_request_changes, practice_update
from funding.models import FundingCall
from mapping.models import Indicator, IndicatorValue, SocialProblem
from peers.models import Follow, Subscriber, Transfer
from unit.models import Document, NetworkMessage, NewsItem
from unit.services import message_deliver, message_send
from utds.pages.views import error_500

LANGUAGES = ("es", "pt-br", "en")
VISITOR, COORDINATOR, SECRETARIAT = "visitor", "coordinator", "secretariat"


@dataclass(frozen=True)
class SitePage:
    """`path` without the language prefix (filled with `demo_world()`); `who` is the least
    role that sees it (visitor pages are also checked as a coordinator unless
    `anonymous_only`); `submit` posts the
    page's form empty (the form shown again with its errors); `special` pages are produced
    by `special_page()` rather than by a plain GET."""

    name: str
    path: str
    who: str = VISITOR
    status: int = 200
    submit: bool = False
    special: str = ""
    anonymous_only: bool = False  # a signed-in person is sent elsewhere

    def url(self, language: str, world: dict) -> str:
        prefix = "" if language == settings.LANGUAGE_CODE else f"/{language}"
        return f"{prefix}/{self.path.format(**world)}"


PAGES = [
    # --- the portal ---
    SitePage("home", ""),
    SitePage("privacy", "privacy/"),
    SitePage("feeds", "feeds/"),
    SitePage("api-guide", "data/api/"),
    SitePage("api-reference", "data/api/reference/"),
    SitePage("search", "search/?q=ni%C3%B1ez"),
    SitePage("search-empty-query", "search/"),
    SitePage("search-no-results", "search/?q=zzqxw"),
    # --- cities ---
    SitePage("cities", "cities/"),
    SitePage("cities-no-results", "cities/?country=ZZ&q=zzqxw"),
    SitePage("city", "cities/{city}/"),
    SitePage("working-group", "cities/groups/migrations/"),
    SitePage("working-group-empty", "cities/groups/youth/"),
    SitePage("join", "cities/join/"),
    SitePage("join-errors", "cities/join/", submit=True),
    SitePage("join-sent", "cities/join/sent/"),
    SitePage("invitation-accept", "cities/invitation/{invitation}/", anonymous_only=True),
    SitePage("invitation-invalid", "cities/invitation/{expired_invitation}/", status=410),
    SitePage("invitation-login", "cities/invitation/{invitation}/", who=COORDINATOR),
    SitePage("city-edit", "cities/{city}/edit/", who=COORDINATOR),
    SitePage("city-edit-refused", "cities/{other_city}/edit/", who=COORDINATOR, status=403),
    # --- practices and funding calls ---
    SitePage("practices", "practices/"),
    SitePage("practices-no-results", "practices/?q=zzqxw"),
    SitePage("practice", "practices/{practice}/"),
    SitePage("practice-new", "practices/new/", who=COORDINATOR),
    SitePage("practice-new-errors", "practices/new/", who=COORDINATOR, submit=True),
    SitePage("practice-draft", "practices/{draft}/", who=COORDINATOR),
    SitePage("practice-edit", "practices/{draft}/edit/", who=COORDINATOR),
    SitePage("practice-archive", "practices/{own_practice}/archive/", who=COORDINATOR),
    SitePage("practice-edit-sent-back", "practices/{sent_back}/edit/", who=COORDINATOR),
    SitePage("practice-edit-changes-waiting", "practices/{own_practice}/edit/", who=COORDINATOR),
    SitePage("practice-review", "practices/{in_review}/edit/", who=SECRETARIAT),
    SitePage("practice-review-changes", "practices/{own_practice}/edit/", who=SECRETARIAT),
    SitePage("funding", "funding/"),
    SitePage("funding-call", "funding/{funding}/"),
    # --- the social map ---
    SitePage("mapping", "mapping/"),
    SitePage("mapping-no-results", "mapping/?city=zzqxw"),
    SitePage("problem", "mapping/problems/{problem}/"),
    SitePage("indicators", "mapping/indicators/"),
    SitePage("indicator", "mapping/indicators/{indicator}/"),
    SitePage("export-dictionary", "mapping/export/"),
    SitePage("import", "mapping/import/", who=COORDINATOR),
    SitePage("mapping-profile", "mapping/cities/{city}/profile/{profile_year}/", who=COORDINATOR),
    SitePage(
        "mapping-profile-errors",
        "mapping/cities/{city}/profile/{profile_year}/",
        who=COORDINATOR,
        special="profile-errors",
    ),
    SitePage(
        "mapping-profile-confirm",
        "mapping/cities/{city}/profile/{profile_year}/",
        who=COORDINATOR,
        special="profile-confirm",
    ),
    SitePage(
        "mapping-value-remove",
        "mapping/cities/{city}/values/{profile_value}/remove/",
        who=COORDINATOR,
    ),
    # --- events ---
    SitePage("events", "events/"),
    SitePage("events-no-results", "events/?year=2099"),
    SitePage("event", "events/{event}/"),
    SitePage("event-open", "events/{open_event}/"),
    SitePage("event-registered", "events/{registered_event}/", who=COORDINATOR),
    SitePage(
        "registration-change", "events/{registered_event}/change/?city={city}", who=COORDINATOR
    ),
    SitePage(
        "registration-withdraw",
        "events/{registered_event}/withdraw/?city={city}",
        who=COORDINATOR,
    ),
    SitePage("participation", "events/participation/", who=SECRETARIAT),
    SitePage("registrations", "events/{event}/registrations/", who=SECRETARIAT),
    # --- the unit ---
    SitePage("unit", "unit/"),
    SitePage("plan", "unit/plan/2012/"),
    SitePage("plan-report", "unit/plan/2012/report/"),
    SitePage("plan-secretariat", "unit/plan/2012/", who=SECRETARIAT),  # the note links
    SitePage("plan-none", "unit/plan/2014/"),  # a year no plan covers
    SitePage("library", "unit/library/"),
    SitePage("library-no-results", "unit/library/?q=zzqxw"),
    SitePage("document", "unit/library/{document}/"),
    SitePage("news", "unit/news/"),
    SitePage("news-item", "unit/news/{news}/"),
    SitePage("new-members", "unit/new-members/"),
    SitePage("messages", "unit/messages/", who=SECRETARIAT),
    SitePage("message-new", "unit/messages/new/", who=SECRETARIAT),
    SitePage("message-new-errors", "unit/messages/new/", who=SECRETARIAT, submit=True),
    SitePage("message-preview", "unit/messages/{draft_message}/", who=SECRETARIAT),
    SitePage("message-sent", "unit/messages/{sent_message}/", who=SECRETARIAT),
    # --- learning from peers ---
    SitePage("transfer", "peers/transfers/{transfer}/"),
    SitePage("transfer-new", "peers/practices/{other_practice}/adopt/", who=COORDINATOR),
    SitePage(
        "transfer-new-errors",
        "peers/practices/{other_practice}/adopt/",
        who=COORDINATOR,
        submit=True,
    ),
    SitePage("transfer-edit", "peers/transfers/{transfer}/edit/", who=COORDINATOR),
    SitePage("ask-city", "peers/practices/{other_practice}/ask/", who=COORDINATOR),
    SitePage(
        "ask-city-errors", "peers/practices/{other_practice}/ask/", who=COORDINATOR, submit=True
    ),
    SitePage("follow", "peers/follow/?problem={problem}"),
    SitePage("follow-errors", "peers/follow/?problem={problem}", submit=True, anonymous_only=True),
    SitePage("follow-confirm", "peers/follow/confirm/{subscriber}/"),
    SitePage("unsubscribe", "peers/unsubscribe/{subscriber}/"),
    SitePage("unsubscribed", "peers/unsubscribe/no-such-token/", status=404),
    # --- dashboards and one's account ---
    SitePage("dashboard-coordinator", "dashboard/", who=COORDINATOR),
    SitePage("dashboard-secretariat", "dashboard/", who=SECRETARIAT),
    SitePage("profile", "accounts/profile/", who=COORDINATOR),
    SitePage("sessions", "accounts/sessions/", who=COORDINATOR),
    SitePage("sessions-end-others", "accounts/sessions/end-others/", who=COORDINATOR),
    SitePage("account-delete", "accounts/delete/", who=COORDINATOR),
    SitePage("password-change", "accounts/password/change/", who=COORDINATOR),
    SitePage("emails", "accounts/email/", who=COORDINATOR),
    SitePage("two-factor", "accounts/2fa/", who=COORDINATOR),
    SitePage("reauthenticate", "accounts/reauthenticate/", who=COORDINATOR),
    # --- allauth pages for visitors ---
    SitePage("login", "accounts/login/", anonymous_only=True),
    SitePage("login-errors", "accounts/login/", submit=True, anonymous_only=True),
    SitePage("signup-closed", "accounts/signup/", anonymous_only=True),
    SitePage("password-reset", "accounts/password/reset/", anonymous_only=True),
    SitePage("password-reset-done", "accounts/password/reset/done/", anonymous_only=True),
    SitePage(
        "password-reset-bad-key", "accounts/password/reset/key/1-bad-key/", anonymous_only=True
    ),
    # --- error pages ---
    SitePage("not-found", "no-such-page/", status=404),
    SitePage("bad-request", "", status=400, special="400"),
    SitePage("too-large", "cities/join/", status=413, special="413"),
    SitePage("server-error", "", status=500, special="500"),
    SitePage("unavailable", "", status=503, special="503"),
]


def pages_for(role: str) -> list[SitePage]:
    """What a role's check visits: a coordinator also sees every public page."""
    if role == VISITOR:
        return [page for page in PAGES if page.who == VISITOR]
    if role == COORDINATOR:
        return [
            page
            for page in PAGES
            if page.who == COORDINATOR or (page.who == VISITOR and not page.anonymous_only)
        ]
    return [page for page in PAGES if page.who == SECRETARIAT]


def demo_world(coordinator, secretariat) -> dict:
    """Load the demo data and the objects it lacks; → the values of the paths' fields."""
    call_command("seed_demo", force=True, stdout=io.StringIO())
    city = City.objects.get(coordinators__user=coordinator)
    own = Practice.objects.filter(city=city, status=Practice.Status.PUBLISHED).order_by("pk")
    draft = Practice.objects.create(
        title="Borrador de accesibilidad",
        slug="borrador-de-accesibilidad",
        city=city,
        language="es",
        author=coordinator,
        start_date=datetime.date(2024, 3, 1),
    )
    _expired, expired_token = invitation_send(
        city=city, email="vencida@example.org", name="Vencida", language="es", by=secretariat
    )
    CoordinatorInvitation.objects.filter(email="vencida@example.org").update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    _invitation, token = invitation_send(
        city=city, email="nueva@example.org", name="Nueva", language="es", by=secretariat
    )
    # the demo's two upcoming events: one open to register, one the city registered for
    open_event, registered_event = (
        Event.objects.upcoming()
        .filter(registration_open=True, cancelled=False)
        .order_by("starts_at")[:2]
    )
    registration_create(
        event=registered_event,
        city=city,
        user=coordinator,
        delegates=[DelegateData("Delegada de ejemplo", "Directora", "delegada@example.org")],
        note="Llegamos el día anterior.",
    )
    sent_back, in_review = _practices_under_review(city, own.first(), coordinator, secretariat)
    draft_message, sent_message = _messages(secretariat)
    return {
        "sent_back": sent_back.slug,
        "in_review": in_review.slug,
        "city": city.slug,
        "other_city": City.objects.exclude(pk=city.pk).order_by("pk").first().slug,
        "practice": Practice.objects.filter(status="published").order_by("pk").first().slug,
        "own_practice": own.first().slug,
        "draft": draft.slug,
        "problem": SocialProblem.objects.filter(cities__isnull=False).order_by("pk")[0].slug,
        "indicator": Indicator.objects.filter(values__isnull=False).order_by("pk")[0].slug,
        "event": Event.objects.order_by("pk").first().slug,
        "open_event": open_event.slug,
        "registered_event": registered_event.slug,
        "funding": FundingCall.objects.order_by("pk").first().slug,
        "document": Document.objects.filter(audience="public").order_by("pk").first().slug,
        "news": NewsItem.objects.published().order_by("pk").first().slug,
        "invitation": token,
        "draft_message": draft_message.pk,
        "sent_message": sent_message.pk,
        "expired_invitation": expired_token,
        **_profile_cell(city),
        **peers_world(city, coordinator),
    }


def _profile_cell(city) -> dict:
    """The latest year of the city's values and one stored total of that year, for the
    profile grid's pages."""
    value = (
        IndicatorValue.objects.filter(city=city, breakdown_id=IndicatorValue.TOTAL)
        .order_by("-year", "pk")
        .first()
    )
    return {
        "profile_year": value.year,
        "profile_value": value.pk,
        "profile_indicator": value.indicator_id,
    }


def _messages(secretariat):
    """A draft message to the coordinators, and one sent (its e-mails queued and recorded)."""
    draft = NetworkMessage.objects.create(
        subject_es="Reunión de la red",
        body_es="Nos reunimos el lunes.",
        subject_en="Network meeting",
        body_en="We meet on Monday.",
        created_by=secretariat,
    )
    sent = NetworkMessage.objects.create(
        subject_es="Convocatoria", body_es="Se abrió la convocatoria.", created_by=secretariat
    )
    message_send(message_id=sent.pk, by=secretariat)
    message_deliver(message_id=sent.pk)
    return draft, sent


def peers_world(city, coordinator) -> dict:
    """A practice of another city, which the coordinator's city records as adapted."""
    other = Practice.objects.filter(status="published").exclude(city=city).order_by("pk")[0]
    transfer = Transfer.objects.create(
        practice=other,
        city=city,
        started_on=datetime.date(2024, 3, 1),
        changes="Mesas por escuela.",
        status="published",
        published_at=timezone.now(),
        recorded_by=coordinator,
    )
    subscriber = Subscriber.objects.create(email="lea@example.org", language="es")
    Follow.objects.create(subscriber=subscriber, kind="city", key=city.slug)
    return {"other_practice": other.slug, "transfer": transfer.pk, "subscriber": subscriber.token}


def _practices_under_review(city, published, coordinator, secretariat):
    """A draft the secretariat sent back, one waiting for its review, and changes to a
    published practice waiting for approval."""
    in_review, sent_back = (
        Practice.objects.create(
            title=title,
            slug=slug,
            city=city,
            language="es",
            status=Practice.Status.IN_REVIEW,
            start_date=datetime.date(2024, 3, 1),
            **dict.fromkeys(Practice.REQUIRED_TO_PUBLISH, "Texto de la sección."),
        )
        for title, slug in (
            ("Práctica en revisión", "practica-en-revision"),
            ("Práctica devuelta", "practica-devuelta"),
        )
    )
    practice_request_changes(
        practice=sent_back, user=secretariat, comment="Agregue las cifras de cobertura."
    )
    load_classification(published)
    data = {name: getattr(published, name) for name in PRACTICE_EDITABLE_FIELDS}
    data.update({name: list(getattr(published, name).all()) for name in PRACTICE_M2M_FIELDS})
    data["title"] = f"{published.title} (actualizada)"
    practice_update(
        practice=published, user=coordinator, data=data, expected_version=published.version
    )
    return sent_back, in_review


def _profile_post(page: SitePage, url: str, world: dict):
    """The profile grid sent with a wrong cell (its errors) or with a stored value changed
    (the "old → new" confirmation), as the city's coordinator."""
    coordinator = Client()
    coordinator.force_login(City.objects.get(slug=world["city"]).coordinators.first().user)
    cell = f"v{world['profile_indicator']}-{IndicatorValue.TOTAL}"
    if page.special == "profile-errors":
        return coordinator.post(url, {f"{cell}-value": "abc", f"{cell}-source": ""})
    stored = IndicatorValue.objects.get(pk=world["profile_value"])
    data = {
        f"{cell}-value": "1",
        f"{cell}-source": "Encuesta municipal",
        f"initial-{cell}-value": "stale",
        f"initial-{cell}-source": stored.source,
        f"{cell}-version": stored.updated_at.isoformat(),
    }
    return coordinator.post(url, data)


def special_page(page: SitePage, language: str, client, world: dict):
    """The response of an error page that a plain GET cannot produce: a request with a host
    we do not serve (400) and a body over the size limit (413) through the client; the pages
    of a server error (500) and of the database out of reach (503) from the handler and the
    middleware that answer them."""
    url = page.url(language, world)
    if page.special.startswith("profile-"):
        return _profile_post(page, url, world)
    if page.special == "400":
        return client.get(url, HTTP_HOST="not-ours.example")
    if page.special == "413":
        return client.post(url, {}, CONTENT_LENGTH=str(settings.MAX_REQUEST_BYTES + 1))
    request = RequestFactory().get(url)
    request.user = AnonymousUser()
    with translation.override(language):
        if page.special == "500":
            return error_500(request)
        if page.special == "503":
            middleware = DatabaseUnavailableMiddleware(lambda request: None)
            return middleware.process_exception(request, OperationalError("server closed"))
    raise ValueError(page.special)
