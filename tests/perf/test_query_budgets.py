"""Query budgets of every public and coordinator page, for each role that sees it.

Each page is requested with one row of everything it lists (cities, practices with themes,
goals, problems, lines, partner cities and attachments, city problems, indicator values,
events with registrations and documents, funding calls with interests, news, library
documents, review notes), then again with twelve: the count must stay within the page's
budget and be the same at both sizes, which is how an N+1 shows (one more query per row).
A logged-in request counts its session, user and roles queries (the secretariat group and
the coordinated cities are one query): the budget is the whole request. The page cache is
emptied before each request, so every count is a fresh render.

Budgets (issue 8, item 4): list ≤ 8, detail ≤ 10, home ≤ 10, dashboards ≤ 15, others ≤ 10.
"""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from zeal import NPlusOneError, zeal_context

from cities.models import FocalPoint, UnitRole, WorkingGroup
from events.models import EventDocument
from experiences.models import Practice, PracticeAttachment, Theme
from funding.models import FundingCall, FundingInterest
from mapping.models import CityProblem, DevelopmentGoal, IndicatorValue
from tests.events.conftest import make_event, make_registration
from tests.experiences.conftest import PDF_BYTES, make_practice  # noqa: F401
from tests.factories import CityFactory, FocalPointFactory, make_funding_call, make_news
from tests.mapping.factories import IndicatorFactory, SocialProblemFactory
from unit.models import Document, LineOfWork, NewsItem, ReviewNote, WorkPlan

# Pages whose answer is a redirect (counted all the same).
REDIRECTS = {"/en/unit/plan/"}

LIST, DETAIL, HOME, DASHBOARD, OTHER = 8, 10, 10, 15, 10
SMALL, LARGE = 1, 12
THIS_YEAR = timezone.localdate().year
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)

VISITOR, ANA, SOFIA = "visitor", "ana", "sofia"
EVERYONE = (VISITOR, ANA, SOFIA)
MEMBERS = (ANA, SOFIA)
VISITOR_ONLY, SOFIA_ONLY = (VISITOR,), (SOFIA,)

# (page, budget, path, roles), each below the N+1 it guards
PAGES = [
    # each card's city and themes; the map's cities
    ("home", HOME, "/en/", EVERYONE),
    # each city's role, practice count
    ("cities-list", LIST, "/en/cities/", EVERYONE),
    # each problem's goals and practices, each indicator's values, each contact and role
    ("city-profile", DETAIL, "/en/cities/quilmes-ar/", EVERYONE),
    # nothing listed: a fixed form
    ("city-join", OTHER, "/en/cities/join/", VISITOR_ONLY),
    # each city's working groups
    ("cities-csv", OTHER, "/en/cities/export.csv", EVERYONE),
    # each city's working groups
    ("cities-json", OTHER, "/en/cities/export.json", EVERYONE),
    # each contact form's row
    ("city-edit", OTHER, "/en/cities/quilmes-ar/edit/", MEMBERS),
    # each card's city, themes, goals
    ("practices-list", LIST, "/en/practices/", EVERYONE),
    # each hit's city and themes; the theme counts of the filter
    ("practices-search", LIST, "/en/practices/?q=mesas&theme=theme-0&sort=recent", EVERYONE),
    # themes, goals, problems, lines, partners, attachments, related practices
    ("practice-detail", DETAIL, "/en/practices/budget-practice/", EVERYONE),
    # the choices of every M2M field
    ("practice-create", OTHER, "/en/practices/new/", MEMBERS),
    # the choices of every M2M field and the attachments
    ("practice-edit", OTHER, "/en/practices/budget-practice/edit/", MEMBERS),
    # each entry's city, themes
    ("practices-feed", OTHER, "/en/practices/feed/", VISITOR_ONLY),
    # each cell's city problem
    ("mapping-matrix", LIST, "/en/mapping/", EVERYONE),
    # each city's row and the practices addressing the problem
    ("mapping-problem", DETAIL, "/en/mapping/problems/budget-problem/", EVERYONE),
    # each indicator's goal
    ("mapping-indicators", LIST, "/en/mapping/indicators/", EVERYONE),
    # each city's series of values
    ("mapping-indicator", DETAIL, "/en/mapping/indicators/budget-indicator/", EVERYONE),
    # nothing listed: a fixed page
    ("mapping-export", OTHER, "/en/mapping/export/", EVERYONE),
    # each value's city and indicator
    ("mapping-values-csv", OTHER, "/en/mapping/export/indicators.csv", VISITOR_ONLY),
    # each value's city and indicator
    ("mapping-values-json", OTHER, "/en/mapping/export/indicators.json", VISITOR_ONLY),
    # each city problem's city and problem
    ("mapping-problems-csv", OTHER, "/en/mapping/export/problems.csv", VISITOR_ONLY),
    # each city problem's city and problem
    ("mapping-problems-json", OTHER, "/en/mapping/export/problems.json", VISITOR_ONLY),
    # the user's cities
    ("mapping-import", OTHER, "/en/mapping/import/", MEMBERS),
    # each problem row and indicator value of the city; the grid reads the reported years,
    # the indicators with their breakdowns, the year's values and problems, and the problem
    # choices of its stored and blank rows (tests/mapping/test_grid.py: 12 whatever the size)
    ("mapping-profile-grid", 12, f"/en/mapping/cities/quilmes-ar/profile/{THIS_YEAR}/", MEMBERS),
    # each event's host city, registrations
    ("events-list", LIST, "/en/events/", EVERYONE),
    # each event's host city
    ("events-ics", OTHER, "/en/events/calendar.ics", VISITOR_ONLY),
    # each registration's city, the documents, the user's registrable cities
    ("event-detail", DETAIL, "/en/events/budget-event/", EVERYONE),
    # the host city
    ("event-ics", OTHER, "/en/events/budget-event/event.ics", VISITOR_ONLY),
    # each registration's city, registrant and delegates
    ("event-registrations", DETAIL, "/en/events/budget-event/registrations/", SOFIA_ONLY),
    # each registration's city, registrant and delegates
    ("event-registrations-csv", OTHER, "/en/events/budget-event/registrations.csv", SOFIA_ONLY),
    # each city's events attended
    ("events-participation", DASHBOARD, "/en/events/participation/", SOFIA_ONLY),
    # each call's themes
    ("funding-list", LIST, "/en/funding/", EVERYONE),
    # the themes, lines and the cities interested
    ("funding-detail", DETAIL, "/en/funding/budget-call/", EVERYONE),
    # each line's notes, each role's city
    ("unit-about", HOME, "/en/unit/", EVERYONE),
    # each document's lines
    ("unit-new-members", OTHER, "/en/unit/new-members/", EVERYONE),
    # each plan's lines (redirects to the current plan's latest year; the list shows only
    # without one)
    ("unit-plans", LIST, "/en/unit/plan/", EVERYONE),
    # each line's practices, events, calls, profile updates and note
    ("unit-plan", DETAIL, f"/en/unit/plan/{THIS_YEAR}/", EVERYONE),
    # each line's practices, events, calls, profile updates and note
    ("unit-plan-report", DETAIL, f"/en/unit/plan/{THIS_YEAR}/report/", EVERYONE),
    # each line's activities
    ("unit-plan-csv", OTHER, f"/en/unit/plan/{THIS_YEAR}/review.csv", EVERYONE),
    # each document's lines
    ("unit-library", LIST, "/en/unit/library/", EVERYONE),
    # the document's lines and the related documents
    ("unit-document", DETAIL, "/en/unit/library/budget-document/", EVERYONE),
    # each item's lines, city and event
    ("unit-news", LIST, "/en/unit/news/", EVERYONE),
    # each item's lines
    ("unit-news-feed", OTHER, "/en/unit/news/feed/", VISITOR_ONLY),
    # the item's lines, city, event and the other news
    ("unit-news-detail", DETAIL, "/en/unit/news/budget-news/", EVERYONE),
    # each hit's city, themes, lines
    ("search", OTHER, "/en/search/?q=mesas", EVERYONE),
    # each city's checks, events, calls
    ("dashboard", DASHBOARD, "/en/dashboard/", MEMBERS),
    # each city's participation per year
    ("dashboard-csv", OTHER, "/en/dashboard/export/participation.csv", SOFIA_ONLY),
    # nothing listed: a fixed page
    ("privacy", OTHER, "/en/privacy/", EVERYONE),
    # nothing listed: a fixed page
    ("feeds", OTHER, "/en/feeds/", EVERYONE),
    # the user's cities
    ("account-profile", OTHER, "/en/accounts/profile/", MEMBERS),
    # the user's practices, registrations, interests and notes
    ("account-my-data", OTHER, "/en/accounts/my-data.json", MEMBERS),
    # nothing listed: a fixed form
    ("account-login", OTHER, "/en/accounts/login/", VISITOR_ONLY),
    # each entry's translated URLs
    ("sitemap", OTHER, "/sitemap.xml", VISITOR_ONLY),
]

# Pages still above the budget, each at the count it has today: the count may not
# rise, and when a change lowers it the entry must be lowered (or removed) with it. Where the
# queries go, per page (the first 3 of a logged-in request are its session, its user and
# the user's roles):
OVER_BUDGET = {
    # The peers panel (peers/templatetags/peers.py) reads the suggested practices and the
    # city's transfers: two queries on top of a page at its budget for signed-in readers.
    # To fold them into the profile's one city query (cities.queries.city_profile extra=).
    ("city-profile", "ana"): 12,
    ("city-profile", "sofia"): 13,
    # The directory names the coordination in force this year (cities.queries.coordination_in,
    # one query on the roles covering it), beside its own list, for signed-in readers.
    ("cities-list", ANA): 9,
    ("cities-list", SOFIA): 10,
    # The peers panel on a practice (peers/templatetags/peers.py) asks whether a signed-in
    # reader may record a transfer or ask the city: one query on her cities.
    ("practice-detail", ANA): 11,
    ("practice-detail", SOFIA): 12,
    # the year's review adds the network's figures for the year (utds.figures, one query
    # shared with the profile updates): plan, its lines, their notes; the figures;
    # practices, events and funding calls of the lines; the coordination
    ("unit-plan", ANA): 11,
    ("unit-plan", SOFIA): 12,
    ("unit-plan-report", ANA): 11,
    ("unit-plan-report", SOFIA): 12,
}
# The secretariat's header counts what waits for it (practices to review, applications to
# decide): one query on every page it sees, on top of each page's budget.
SECRETARIAT_HEADER = 1


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _with_pdf(model, original_name, **fields):
    """A saved `model` row (attachment, event or library document) whose file is a PDF."""
    row = model(
        original_name=original_name, content_type="application/pdf", size=len(PDF_BYTES), **fields
    )
    row.file.save(original_name, ContentFile(PDF_BYTES), save=True)
    return row


class World:
    """The fixed objects each page shows, and `grow(n)` to add `n` rows of everything."""

    def __init__(self, city_a, ana, sofia, make_practice):  # noqa: F811
        self.city_a, self.ana, self.sofia, self.make_practice = city_a, ana, sofia, make_practice
        self.serial = itertools.count(1)
        self.plan = WorkPlan.objects.create(
            start_year=THIS_YEAR - 1,
            end_year=THIS_YEAR,
            title_es="Plan",
            title_pt_br="Plano",
            title_en="Plan",
        )
        self.group = WorkingGroup.objects.create(
            slug="migrations", name_es="Migraciones", name_pt_br="Migrações", name_en="Migrations"
        )
        self.problem = SocialProblemFactory(slug="budget-problem")
        self.indicator = IndicatorFactory(slug="budget-indicator")
        self.practice = make_practice(
            title="Mesas barriales", slug="budget-practice", author=ana, featured=True
        )
        self.event = make_event(
            title="Mesas de ministros", slug="budget-event", host_city=city_a, capacity=100
        )
        self.call = make_funding_call("Mesas abiertas", closes_in_days=20, slug="budget-call")
        self.document = self._document("budget-document")
        self.news = make_news(
            "budget-news", title="Mesas en la red", summary="Resumen.", body="Texto."
        )

    def _document(self, slug) -> Document:
        return _with_pdf(
            Document,
            f"{slug}.pdf",
            title=f"Documento {slug}",
            slug=slug,
            year=THIS_YEAR,
            summary="Resumen.",
        )

    def grow(self, count: int) -> None:
        for _ in range(count):
            self._add_row(next(self.serial))

    def _add_row(self, n: int) -> None:
        city = CityFactory(slug=f"budget-city-{n}", country="BR" if n % 2 else "UY")
        FocalPointFactory(city=city, is_primary=True)
        FocalPointFactory(city=self.city_a, is_primary=False)
        UnitRole.objects.create(city=city, role=UnitRole.Role.SUB_COORDINATOR, from_year=THIS_YEAR)
        self.group.cities.add(city)
        theme = Theme.objects.create(
            slug=f"theme-{n}", name_es=f"T{n}", name_pt_br=f"T{n}", name_en=f"T{n}", position=n
        )
        goal = DevelopmentGoal.objects.create(
            framework="sdg",
            number=n,
            slug=f"budget-goal-{n}",
            name_es=f"G{n}",
            name_pt_br=f"G{n}",
            name_en=f"G{n}",
            title_es=f"G{n}",
            title_pt_br=f"G{n}",
            title_en=f"G{n}",
        )
        problem = SocialProblemFactory(slug=f"budget-problem-{n}")
        problem.goals.add(goal)
        indicator = IndicatorFactory(slug=f"budget-indicator-{n}", goal=goal)
        indicator.problems.add(problem)
        line = LineOfWork.objects.create(
            plan=self.plan,
            number=n,
            slug=f"budget-line-{n}",
            title_es=f"L{n}",
            title_pt_br=f"L{n}",
            title_en=f"L{n}",
        )
        ReviewNote.objects.create(line=line, year=THIS_YEAR, body="Hecho.", author=self.sofia)

        # practices: one of the new city, one more of city A, a draft of city A
        m2m = {
            "themes": [theme],
            "goals": [goal],
            "social_problems": [problem, self.problem],
            "partner_cities": [self.city_a],
        }
        practices = [
            self.make_practice(title=f"Mesas {n}", city=city, featured=n % 2 == 0, **m2m),
            self.make_practice(title=f"Mesas de Quilmes {n}", author=self.ana, **m2m),
            self.make_practice(
                title=f"Borrador {n}", status=Practice.Status.DRAFT, author=self.ana, themes=[theme]
            ),
            self.practice,
        ]
        for practice in practices:
            # data for the pages, not edits to review: no history record per m2m change
            practice.skip_history_when_saving = True
            practice.lines.add(line)
        for name, values in m2m.items():
            getattr(self.practice, name).add(*values)
        self.practice.partner_cities.add(city)
        _with_pdf(
            PracticeAttachment,
            f"informe-{n}.pdf",
            practice=self.practice,
            title=f"Informe {n}",
            uploaded_by=self.ana,
        )

        # the social profile: the problem in the new city, a new problem and indicator in A
        CityProblem.objects.create(city=city, problem=self.problem, year=THIS_YEAR, priority=1)
        CityProblem.objects.create(city=self.city_a, problem=problem, year=THIS_YEAR, priority=2)
        for target, measured in ((city, self.indicator), (self.city_a, indicator)):
            IndicatorValue.objects.create(
                city=target, indicator=measured, year=THIS_YEAR, value=Decimal(n), source="INE"
            )
        IndicatorValue.objects.create(
            city=self.city_a,
            indicator=self.indicator,
            year=1990 + n,
            value=Decimal(n),
            source="INE",
        )

        # events: a new one hosted by the city, and registrations both ways
        event = make_event(title=f"Mesa {n}", host_city=city, starts_at=timezone.now() + n * DAY)
        event.lines.add(line)
        self.event.lines.add(line)
        make_registration(self.event, city, user=self.sofia, delegates=2)
        make_registration(event, self.city_a, user=self.ana)
        _with_pdf(EventDocument, f"acta-{n}.pdf", event=self.event, title=f"Acta {n}")

        # funding calls with their themes, lines and interested cities
        call = FundingCall.objects.create(
            funder=f"Fondo {n}",
            title=f"Mesas {n}",
            slug=f"budget-call-{n}",
            summary="Fondos.",
            opens_on=TODAY - n * DAY,
            closes_on=TODAY + n * DAY,
            link="https://funder.example/call",
        )
        call.themes.add(theme)
        call.lines.add(line)
        self.call.themes.add(theme)
        self.call.lines.add(line)
        FundingInterest.objects.create(call=self.call, city=city)
        FundingInterest.objects.create(call=call, city=self.city_a, marked_by=self.ana)

        # the unit's library and news
        library_document = self._document(f"budget-document-{n}")
        library_document.lines.add(line)
        self.document.lines.add(line)
        news = NewsItem.objects.create(
            title=f"Mesas {n}",
            slug=f"budget-news-{n}",
            summary="Resumen.",
            body="Texto.",
            is_published=True,
            published_at=timezone.now() - n * DAY,
            city=city,
            event=event,
        )
        news.lines.add(line)
        self.news.lines.add(line)


@pytest.fixture
def world(city_a, ana, sofia, make_practice):  # noqa: F811
    return World(city_a, ana, sofia, make_practice)


def _client(role, world) -> Client:
    client = Client()
    if role != VISITOR:
        client.force_login(getattr(world, role))
    return client


def _count(role, world, path) -> tuple[int, list[str]]:
    """Queries of one fresh request (a new session for logged-in users, no cached page)."""
    client = _client(role, world)
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
        if response.streaming:  # exports stream: their queries run while the body is sent
            b"".join(response.streaming_content)
    expected = 302 if path in REDIRECTS else 200
    assert response.status_code == expected, f"{path} answered {response.status_code} to {role}"
    return len(context), [query["sql"][:160] for query in context.captured_queries]


@pytest.mark.parametrize(
    ("page_id", "path", "budget", "role"),
    [
        pytest.param(page_id, path, budget, role, id=f"{page_id}-{role}")
        for page_id, budget, path, roles in PAGES
        for role in roles
    ],
)
def test_page_stays_within_its_budget_whatever_the_data_size(world, page_id, path, budget, role):
    # The N+1 each page guards is named in PAGES above, over its path.
    world.grow(SMALL)
    small, small_sql = _count(role, world, path)
    world.grow(LARGE - SMALL)
    large, large_sql = _count(role, world, path)
    assert large == small, "grows with the data:\n" + "\n".join(
        sql for sql in large_sql if sql not in small_sql
    )
    header = SECRETARIAT_HEADER if role == SOFIA else 0
    allowed = OVER_BUDGET.get((page_id, role), budget + header)
    assert large <= allowed, "\n".join(large_sql)
    if (page_id, role) in OVER_BUDGET:
        assert large == allowed, f"{page_id} for {role} now takes {large}: lower OVER_BUDGET"


def test_over_budget_entries_name_measured_pages():
    measured = {(page_id, role) for page_id, _b, _path, roles in PAGES for role in roles}
    assert set(OVER_BUDGET) <= measured


def test_an_n_plus_one_raises_in_every_test_request(settings, city_a, city_b):
    # tests/conftest.py applies django-zeal's patches and puts its middleware last
    assert settings.MIDDLEWARE[-1] == "zeal.middleware.zeal_middleware"
    FocalPointFactory(city=city_a)
    FocalPointFactory(city=city_b)
    with zeal_context(), pytest.raises(NPlusOneError, match=r"cities\.FocalPoint\.city"):
        for contact in FocalPoint.objects.all():
            assert contact.city.name
