"""The unit's about page (coordination, work plan and lines, groups, how to join) and the
page for new member cities (onboarding material, next trainings, first steps)."""

import datetime
from html import unescape

import pytest
from django.utils import timezone

from cities.models import UnitRole, WorkingGroup
from events.models import Event
from events.queries import upcoming_trainings
from tests.events.conftest import make_event
from tests.factories import CityFactory
from tests.http import assert_lacks, assert_shows, page_html
from unit import demo
from unit.models import Document, LineOfWork, WorkPlan

THIS_YEAR = timezone.localdate().year

LINE_TITLES_EN = [titles[2] for _slug, titles, _descriptions, _profile in demo.LINES]


@pytest.fixture
def seeded(db, settings, tmp_path):
    """The real 2012 plan with its eight lines, sample documents and news."""
    settings.MEDIA_ROOT = tmp_path
    demo.seed()
    return WorkPlan.objects.get(start_year=demo.PLAN_YEAR)


@pytest.fixture
def plan_now(seeded):
    """The seeded plan and its eight lines, moved to cover this year."""
    WorkPlan.objects.filter(pk=seeded.pk).update(start_year=THIS_YEAR, end_year=THIS_YEAR)
    seeded.refresh_from_db()
    return seeded


@pytest.fixture
def coordination(city_a, city_b):
    """Quilmes coordinates and Porto Alegre sub-coordinates now; Rosario did in 2012."""
    rosario = CityFactory(name="Rosario", slug="rosario-ar")
    UnitRole.objects.create(
        city=rosario, role=UnitRole.Role.COORDINATOR, from_year=2012, to_year=2012
    )
    UnitRole.objects.create(city=city_a, role=UnitRole.Role.COORDINATOR, from_year=THIS_YEAR)
    UnitRole.objects.create(city=city_b, role=UnitRole.Role.SUB_COORDINATOR, from_year=THIS_YEAR)


@pytest.fixture
def groups(city_a, city_b):
    migrations = WorkingGroup.objects.create(
        slug="migrations", name_es="Migraciones", name_pt_br="Migrações", name_en="Migrations"
    )
    migrations.cities.set([city_a, city_b])
    WorkingGroup.objects.create(
        slug="youth",
        kind=WorkingGroup.Kind.RELATED_UNIT,
        name_es="Juventudes",
        name_pt_br="Juventudes",
        name_en="Youth",
    )


def onboarding(slug, audience, **values):
    values = {
        "title": slug.replace("-", " ").capitalize(),
        "kind": Document.Kind.TRAINING,
        "year": 2025,
        "for_new_members": True,
        "file": f"unit/{slug}.pdf",
        "original_name": f"{slug}.pdf",
        "content_type": "application/pdf",
        **values,
    }
    return Document.objects.create(slug=slug, audience=audience, **values)


# --- about ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["visitor", "ana_client", "sofia_client"])
def test_about_shows_the_coordination_the_eight_lines_and_how_to_join(
    request, who, plan_now, coordination, groups
):
    response = request.getfixturevalue(who).get("/en/unit/")
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert [role.city.name for role in response.context["coordination"].roles] == [
        "Quilmes",
        "Porto Alegre",
    ]
    assert "Rosario" not in html  # coordinated an earlier period only
    assert "Sub-coordinator" in html and "Coordinator" in html
    for title in LINE_TITLES_EN:
        assert title in html
    assert html.count(f'href="/en/unit/plan/{THIS_YEAR}/"') == 8  # each line → its review
    assert 'href="/en/unit/plan/"' in html  # "Review of the work plan"
    assert 'href="/en/cities/join/?path=unit"' in html
    assert 'href="/en/cities/join/?path=network"' in html
    for path in ("/en/unit/library/", "/en/unit/news/", "/en/unit/new-members/"):
        assert f'href="{path}"' in html
    assert html.count("<h1") == 1


def test_about_lists_working_groups_with_a_link_to_their_page_and_related_units(
    visitor, seeded, groups
):
    html = visitor.get("/en/unit/").content.decode()
    assert_shows(
        html,
        'href="/en/cities/groups/migrations/"',
        "2 cities",
        "Related thematic units",
        "Youth",
    )
    context = visitor.get("/en/unit/").context
    assert [g.slug for g in context["working_groups"]] == ["migrations"]
    assert [g.slug for g in context["related_units"]] == ["youth"]


def test_about_without_plan_roles_or_groups_says_so(visitor, db):
    html = page_html(visitor, "/en/unit/")
    assert_shows(
        html,
        f"No coordination is recorded for {THIS_YEAR}.",
        f"No work plan recorded for {THIS_YEAR}.",
        "The unit has no working group yet.",
        'href="/en/cities/join/?path=unit"',
    )


@pytest.fixture
def past_coordination(city_a, city_b):
    """Quilmes coordinated 2023–2024 with Porto Alegre; Rosario in 2012; none covers today."""
    rosario = CityFactory(name="Rosario", slug="rosario-ar")
    UnitRole.objects.create(
        city=rosario, role=UnitRole.Role.COORDINATOR, from_year=2012, to_year=2012
    )
    for city, role in (
        (city_a, UnitRole.Role.COORDINATOR),
        (city_b, UnitRole.Role.SUB_COORDINATOR),
    ):
        UnitRole.objects.create(city=city, role=role, from_year=2023, to_year=2024)


def test_coordination_without_a_current_period_says_so_and_shows_the_latest_with_its_years(
    visitor, past_coordination
):
    html = unescape(page_html(visitor, "/en/unit/"))
    assert_shows(
        html,
        f"No coordination is recorded for {THIS_YEAR}.",
        "The latest one known, for 2023–2024:",
        "Quilmes</a>, Argentina · Coordinator (2023–2024)",
        "Porto Alegre</a>, Brazil · Sub-coordinator (2023–2024)",
    )
    assert_lacks(html, "Rosario", "Period: 2023–2024")
    spanish = unescape(page_html(visitor, "/unit/"))
    assert_shows(spanish, f"No hay coordinación registrada para {THIS_YEAR}.")


def test_directory_and_city_page_say_no_role_covers_today(visitor, past_coordination, city_a):
    directory = unescape(page_html(visitor, "/en/cities/"))
    assert_shows(directory, f"No coordination is recorded for {THIS_YEAR}.", "for 2023–2024:")
    assert visitor.get("/en/cities/?role=coordinator").context["page_obj"].paginator.count == 0
    city = unescape(page_html(visitor, f"/en/cities/{city_a.slug}/"))
    assert_shows(city, f"(no role in the unit in {THIS_YEAR}; the latest: coordinator, 2023–2024)")


def test_a_role_covering_today_is_current_whenever_it_began(visitor, city_a, city_b):
    UnitRole.objects.create(
        city=city_a, role=UnitRole.Role.COORDINATOR, from_year=THIS_YEAR - 1, to_year=THIS_YEAR
    )
    UnitRole.objects.create(
        city=city_b, role=UnitRole.Role.COORDINATOR, from_year=THIS_YEAR + 1, to_year=THIS_YEAR + 2
    )
    coordination = visitor.get("/en/unit/").context["coordination"]
    assert coordination.is_current
    assert [role.city for role in coordination.roles] == [city_a]
    directory = unescape(page_html(visitor, "/en/cities/"))
    assert_lacks(directory, "No coordination is recorded")


def test_a_members_only_plan_document_is_linked_for_members_only(
    visitor, ana_client, plan_now, settings
):
    document = onboarding("plan-2012", Document.Audience.MEMBERS, for_new_members=False)
    plan_now.document = document
    plan_now.save(update_fields=["document"])
    assert 'href="/en/unit/library/plan-2012/"' not in visitor.get("/en/unit/").content.decode()
    assert 'href="/en/unit/library/plan-2012/"' in ana_client.get("/en/unit/").content.decode()


def test_a_year_without_a_plan_says_so_and_shows_no_other_plan(visitor, seeded):
    html = page_html(visitor, "/en/unit/")
    assert_shows(html, f"No work plan recorded for {THIS_YEAR}.")
    assert_lacks(html, LINE_TITLES_EN[0], "(2012)")
    assert_shows(
        page_html(visitor, "/unit/"), f"No hay plan de trabajo registrado para {THIS_YEAR}."
    )
    assert_shows(
        page_html(visitor, "/pt-br/unit/"), f"Nenhum plano de trabalho registrado para {THIS_YEAR}."
    )


@pytest.mark.parametrize("language", ["", "/pt-br"])
def test_about_answers_in_every_language(visitor, seeded, language):
    assert visitor.get(f"{language}/unit/").status_code == 200


def test_about_refuses_post(visitor, db):
    assert visitor.post("/en/unit/").status_code == 405


@pytest.mark.parametrize("size", [1, 25])
@pytest.mark.parametrize("who", ["visitor", "ana_client"])
def test_about_query_budget(request, who, size, seeded, get_within_queries):
    client = request.getfixturevalue(who)
    # a newer plan with `size` lines and review notes, `size` coordinating cities and groups:
    # guards the N+1 of each line's notes, each role's city and each group's cities
    plan = WorkPlan.objects.create(
        start_year=THIS_YEAR - 1,
        end_year=THIS_YEAR,
        title_es="P",
        title_pt_br="P",
        title_en="Newer plan",
    )
    for n in range(size):
        line = LineOfWork.objects.create(
            plan=plan, number=n + 1, slug=f"line-{n}", title_es="L", title_pt_br="L", title_en="L"
        )
        line.review_notes.create(year=THIS_YEAR, body="Done.")
        city = CityFactory(slug=f"about-city-{n}")
        UnitRole.objects.create(city=city, role=UnitRole.Role.SUB_COORDINATOR, from_year=THIS_YEAR)
        group = WorkingGroup.objects.create(
            slug=f"group-{n}", name_es=f"G{n}", name_pt_br=f"G{n}", name_en=f"G{n}"
        )
        group.cities.add(city)
    response = get_within_queries(client, "/en/unit/", most=12)
    assert len(response.context["coordination"].roles) == size
    assert response.context["plan"] == plan


# --- new members ---------------------------------------------------------------------------


@pytest.fixture
def documents(db):
    public = onboarding("welcome-guide", Document.Audience.PUBLIC)
    members = onboarding("coordination-contacts", Document.Audience.MEMBERS)
    onboarding("annual-report", Document.Audience.PUBLIC, for_new_members=False)
    return public, members


def test_visitor_sees_public_onboarding_material_but_not_members_only(visitor, documents):
    html = page_html(visitor, "/en/unit/new-members/")
    assert 'href="/en/unit/library/welcome-guide/"' in html
    assert "coordination-contacts" not in html
    assert "annual-report" not in html  # in the library, not for new members
    assert "Some material is for member cities only" in html


@pytest.mark.parametrize("who", ["ana_client", "sofia_client"])
def test_members_see_members_only_onboarding_material(request, who, documents):
    html = request.getfixturevalue(who).get("/en/unit/new-members/").content.decode()
    assert_shows(
        html,
        'href="/en/unit/library/welcome-guide/"',
        'href="/en/unit/library/coordination-contacts/"',
        "Members only",
    )
    assert "Some material is for member cities only" not in html


def test_a_coordinator_of_no_city_is_not_a_member(client, documents):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert "coordination-contacts" not in client.get("/en/unit/new-members/").content.decode()


@pytest.fixture
def trainings(db):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    return {
        "workshop": make_event(title="Workshop on the portal", kind=Event.Kind.WORKSHOP),
        "webinar": make_event(
            title="Webinar on social profiles", kind=Event.Kind.WEBINAR, starts_at=now + 3 * day
        ),
        "cancelled": make_event(
            title="Cancelled workshop", kind=Event.Kind.WORKSHOP, cancelled=True
        ),
        "past": make_event(
            title="Past workshop", kind=Event.Kind.WORKSHOP, starts_at=now - 30 * day
        ),
        "meeting": make_event(title="Coordination meeting", kind=Event.Kind.MEETING),
    }


def test_next_trainings_are_future_uncancelled_workshops_and_webinars(visitor, trainings):
    response = visitor.get("/en/unit/new-members/")
    html = response.content.decode()
    assert [event.title for event in response.context["trainings"]] == [
        "Webinar on social profiles",  # the soonest first
        "Workshop on the portal",
    ]
    assert_lacks(html, "Cancelled workshop", "Past workshop", "Coordination meeting")
    assert f'href="/en/events/{trainings["webinar"].slug}/"' in html


def test_upcoming_trainings_stops_at_the_limit(db):
    for n in range(4):
        make_event(title=f"Webinar {n}", kind=Event.Kind.WEBINAR)
    assert len(upcoming_trainings(limit=3)) == 3
    assert len(upcoming_trainings()) == 4


def test_new_members_page_words_its_empty_states_and_gives_the_first_steps(visitor, db):
    html = unescape(page_html(visitor, "/en/unit/new-members/"))
    assert_shows(
        html, "No training is scheduled yet.", "No onboarding material has been published yet."
    )
    for step in ("Log in.", "Complete your city's profile.", "Publish a practice."):
        assert step in html
    assert "Register for events." in html
    for path in ("/en/practices/new/", "/en/events/", "/en/dashboard/", "/en/unit/"):
        assert f'href="{path}"' in html
    assert html.count("<h1") == 1


def test_new_members_page_refuses_post(visitor, db):
    assert visitor.post("/en/unit/new-members/").status_code == 405


@pytest.mark.parametrize("size", [1, 20])
@pytest.mark.parametrize("who", ["visitor", "ana_client"])
def test_new_members_query_budget(request, who, size, db, get_within_queries):
    client = request.getfixturevalue(who)
    plan = WorkPlan.objects.create(
        start_year=2012, end_year=2012, title_es="P", title_pt_br="P", title_en="P"
    )
    lines = [
        LineOfWork.objects.create(
            plan=plan, number=n + 1, slug=f"l-{n}", title_es="L", title_pt_br="L", title_en="L"
        )
        for n in range(3)
    ]
    # guards the N+1 of each document's lines and each training's host city and group
    for n in range(size):
        audience = Document.Audience.MEMBERS if n % 2 else Document.Audience.PUBLIC
        onboarding(f"doc-{n}", audience).lines.set(lines)
        make_event(kind=Event.Kind.WORKSHOP, host_city=CityFactory(slug=f"host-{n}"))
    response = get_within_queries(client, "/en/unit/new-members/", most=12)
    assert len(response.context["trainings"]) == min(size, 5)
