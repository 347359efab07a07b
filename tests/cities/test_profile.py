"""The city profile /cities/<slug>/: overview, groups, roles by period, and who sees contacts."""

import datetime
import re

import pytest
from django.utils import timezone

from cities.models import UnitRole, WorkingGroup
from tests.experiences.conftest import make_practice  # noqa: F401 (fixture)
from tests.factories import CityFactory, FocalPointFactory
from utds.pages.cities import PRACTICES_ON_PROFILE

URL = "/en/cities/{}/"


def _page(client, city):
    response = client.get(URL.format(city.slug))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def contacts(city_a):
    """Quilmes' primary contact, confirmed today, and one last confirmed two years ago."""
    primary = FocalPointFactory(
        city=city_a,
        name="Marta Gómez",
        position="Secretary of Social Development",
        email="marta@quilmes.example",
        phone="+54 11 4350 1111",
        is_primary=True,
    )
    stale = FocalPointFactory(
        city=city_a,
        name="Old Contact",
        email="old@quilmes.example",
        phone="+54 11 4350 2222",
        last_confirmed_on=timezone.localdate() - datetime.timedelta(days=800),
    )
    return primary, stale


def test_overview_shows_country_province_population_year_and_source(visitor, city_b):
    city_b.population_source = "Atlas do Desenvolvimento Humano no Brasil"
    city_b.joined_year = 1995
    city_b.website = "https://prefeitura.poa.br/"
    city_b.save()
    html = _page(visitor, city_b)
    assert html.count("<h1") == 1
    assert "<h1>Porto Alegre</h1>" in html
    assert "Rio Grande do Sul, Brazil" in html
    assert "1,409,351 inhabitants (2010)" in html
    assert "Source: Atlas do Desenvolvimento Humano no Brasil" in html
    assert "<dd>1995</dd>" in html
    assert 'href="https://prefeitura.poa.br/"' in html


def test_population_without_a_year_says_the_year_is_not_stated(visitor, db):
    city = CityFactory(slug="rosario-ar", population=948312, population_year=None)
    assert "948,312 inhabitants (year not stated)" in _page(visitor, city)


def test_summary_keeps_its_paragraphs_and_is_escaped(visitor, city_a):
    city_a.summary = "First line.\n\nSecond <script>alert(1)</script> part."
    city_a.save()
    html = _page(visitor, city_a)
    assert "<p>First line.</p>" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_current_role_and_history_of_roles_by_period(visitor, city_a, city_b):
    year = timezone.localdate().year
    UnitRole.objects.create(
        city=city_a, role=UnitRole.Role.COORDINATOR, from_year=2012, to_year=2012
    )
    UnitRole.objects.create(
        city=city_a, role=UnitRole.Role.SUB_COORDINATOR, from_year=year - 1, to_year=year
    )
    html = _page(visitor, city_a)
    assert "Roles in the unit by period" in html
    assert "Coordinator · 2012" in html
    assert f"Sub-coordinator ({year - 1}–{year})" in html


def test_a_city_with_no_role_now_is_a_member(visitor, city_a, city_b):
    UnitRole.objects.create(
        city=city_a, role=UnitRole.Role.COORDINATOR, from_year=2012, to_year=2012
    )
    UnitRole.objects.create(city=city_b, role=UnitRole.Role.COORDINATOR, from_year=2023)
    html = _page(visitor, city_a)
    assert re.search(r"<dt>Role in the unit</dt>\s*<dd>Member\s*<span", html)
    assert "(no role in the unit in" in html and "the latest: coordinator, 2012)" in html


def test_working_groups_in_the_page_language_link_to_their_page(visitor, city_a):
    group = WorkingGroup.objects.create(
        slug="human-rights",
        name_es="Derechos Humanos",
        name_pt_br="Direitos Humanos",
        name_en="Human Rights",
    )
    group.cities.add(city_a)
    html = _page(visitor, city_a)
    assert '<a href="/en/cities/groups/human-rights/">Human Rights</a>' in html
    assert "Direitos Humanos" in visitor.get("/pt-br/cities/quilmes-ar/").content.decode()


def test_empty_sections_are_not_shown(visitor, city_a):
    html = _page(visitor, city_a)
    assert "Working groups" not in html
    assert "Roles in the unit by period" not in html
    assert "Focal points" not in html


def test_visitor_sees_no_contact_details_but_a_link_to_the_secretariat(
    visitor, city_a, contacts, settings
):
    html = _page(visitor, city_a)
    for secret in ("marta@quilmes.example", "4350 1111", "Marta Gómez", "old@quilmes.example"):
        assert secret not in html
    assert f'href="mailto:{settings.CONTACT_EMAIL}">Contact the secretariat</a>' in html


def test_coordinator_of_another_city_sees_contacts_but_cannot_edit(bruno_client, city_a, contacts):
    html = _page(bruno_client, city_a)
    assert 'href="mailto:marta@quilmes.example"' in html
    assert "+54 11 4350 1111" in html
    assert "Primary contact" in html
    assert "/edit/" not in html


def test_coordinator_of_the_city_sees_contacts_dates_stale_badge_and_edit_link(
    ana_client, city_a, contacts
):
    html = _page(ana_client, city_a)
    assert "Secretary of Social Development" in html
    assert "Last confirmed" in html
    assert html.count("Not confirmed for over a year") == 1
    assert 'href="/en/cities/quilmes-ar/edit/"' in html


def test_secretariat_sees_contacts_and_may_edit_every_city(sofia_client, city_b):
    FocalPointFactory(city=city_b, email="ana.lima@poa.example")
    html = _page(sofia_client, city_b)
    assert "ana.lima@poa.example" in html
    assert 'href="/en/cities/porto-alegre-br/edit/"' in html


def test_coordinator_sees_that_no_contact_is_recorded_yet(ana_client, city_a):
    assert "No focal point is recorded for this city yet." in _page(ana_client, city_a)


def test_unknown_city_answers_404_in_the_frame(visitor, db):
    response = visitor.get(URL.format("atlantis"))
    assert response.status_code == 404
    assert '<main id="main"' in response.content.decode()


def test_profile_answers_in_spanish_and_portuguese(visitor, city_a):
    for path, lang in (("/cities/quilmes-ar/", "es"), ("/pt-br/cities/quilmes-ar/", "pt-br")):
        response = visitor.get(path)
        assert response.status_code == 200
        assert f'<html lang="{lang}">' in response.content.decode()


def test_profile_refuses_post(visitor, city_a):
    assert visitor.post(URL.format(city_a.slug)).status_code == 405


def test_profile_lists_the_latest_practices_and_links_to_all_of_them(
    visitor,
    city_a,
    make_practice,  # noqa: F811
):
    shown = PRACTICES_ON_PROFILE
    now = timezone.now()
    for n in range(shown + 2):
        make_practice(title=f"Practice {n:02d}", published_at=now - datetime.timedelta(days=n))
    html = visitor.get(f"/en/cities/{city_a.slug}/").content.decode()
    assert "Practice 00" in html and f"Practice {shown - 1:02d}" in html
    assert f"Practice {shown:02d}" not in html  # older ones: behind the link
    assert f'href="/en/practices/?city={city_a.slug}"' in html
    assert f"All the published practices of {city_a.name}" in html


def test_profile_without_more_practices_has_no_link_to_all(
    visitor,
    city_a,
    make_practice,  # noqa: F811
):
    make_practice(title="Only one")
    html = visitor.get(f"/en/cities/{city_a.slug}/").content.decode()
    assert "Only one" in html
    assert "All the published practices of" not in html
