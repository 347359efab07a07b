"""What keeps the practice pages fast at scale, checked for correctness: elided page links,
choices and counts read together, related practices chosen in SQL, the form's choices in
one query."""

import re

import pytest
from django.core.cache import cache

from experiences import views
from experiences.models import Practice, load_classification
from experiences.vocabulary import fetch_lists
from tests.factories import CityFactory


def page_links(html: str) -> list[str]:
    nav = re.search(r'<nav class="pagination".*?</nav>', html, re.S).group(0)
    return re.findall(r'<span class="visually-hidden">Page </span>(\d+)</a>', nav)


def test_pagination_draws_the_pages_near_the_current_one_and_the_ends(
    visitor, make_practice, monkeypatch
):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    for n in range(20):
        make_practice(title=f"Práctica {n:02d}")
    html = visitor.get("/en/practices/?page=10").content.decode()
    # 20 pages: the first, two either side of the tenth, the last; gaps between
    assert page_links(html) == ["1", "8", "9", "10", "11", "12", "20"]
    nav = re.search(r'<nav class="pagination" aria-label="Pages">.*?</nav>', html, re.S).group(0)
    assert nav.count('class="pagination-gap"') == 2
    assert re.search(r'href="\?page=10" aria-current="page"', nav)
    assert 'rel="prev"' in nav and 'rel="next"' in nav


def test_pagination_of_a_short_list_draws_every_page(visitor, make_practice, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    for n in range(4):
        make_practice(title=f"Práctica {n}")
    html = visitor.get("/en/practices/").content.decode()
    assert page_links(html) == ["1", "2", "3", "4"]
    assert "pagination-gap" not in html


def test_result_count_and_theme_counts_follow_search_and_ticked_themes(
    visitor, make_practice, themes
):
    make_practice(title="Huertas comunitarias", themes=[themes["gender"]])
    make_practice(title="Huertas escolares", themes=[themes["gender"], themes["migration"]])
    make_practice(title="Huertas de migrantes", themes=[themes["migration"]])
    make_practice(title="Mesas barriales", themes=[themes["gender"]])
    html = visitor.get("/en/practices/?q=huertas&theme=migration").content.decode()
    assert re.search(r'<h2 id="results-heading">\s*2 practices', html)
    # the counts leave the ticked theme aside but follow the words searched
    assert "Gender (2)" in html and "Migration (2)" in html
    html = visitor.get("/en/practices/?q=huertas").content.decode()
    assert re.search(r'<h2 id="results-heading">\s*3 practices', html)


def test_a_page_past_the_end_shows_the_last_page(visitor, make_practice, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    for n in range(3):
        make_practice(title=f"Práctica {n}")
    response = visitor.get("/en/practices/?page=99")
    assert response.status_code == 200
    assert response.context["page"].number == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [("goal=no-such-goal", "goal"), ("city=atlantis", "city"), ("crc=99", "crc")],
)
def test_unknown_choices_are_flagged_without_a_query_each(
    visitor, make_practice, query, field, django_assert_max_num_queries
):
    make_practice(title="Mesas barriales")
    cache.clear()
    with django_assert_max_num_queries(4):
        response = visitor.get(f"/en/practices/?{query}")
    assert response.status_code == 200
    assert field in response.context["filter"].form.errors
    assert response.context["page"].paginator.count == 1  # the bad filter is ignored


def test_known_choices_filter_the_list(visitor, make_practice, goal, city_a, city_b):
    make_practice(title="Con objetivo", goals=[goal])
    make_practice(title="En Porto Alegre", city=city_b)
    response = visitor.get(f"/en/practices/?goal={goal.slug}")
    assert [p.title for p in response.context["page"].object_list] == ["Con objetivo"]
    response = visitor.get("/en/practices/?city=porto-alegre-br&country=BR")
    assert [p.title for p in response.context["page"].object_list] == ["En Porto Alegre"]
    assert '<option value="porto-alegre-br" selected>Porto Alegre</option>' in (
        response.content.decode()
    )


def test_related_practices_share_most_themes_from_other_cities(make_practice, themes, city_b):
    gender, migration, children = (
        themes["gender"],
        themes["migration"],
        themes["children-adolescents"],
    )
    practice = make_practice(title="Base", themes=[gender, migration, children])
    make_practice(title="Misma ciudad", themes=[gender, migration, children])
    make_practice(title="Uno", city=city_b, themes=[gender])
    make_practice(title="Tres", city=city_b, themes=[gender, migration, children])
    make_practice(title="Dos", city=city_b, themes=[gender, migration])
    make_practice(title="Nada", city=city_b, themes=[])
    make_practice(title="Borrador", city=city_b, themes=[gender], status=Practice.Status.DRAFT)
    related = list(Practice.objects.published().related_to(practice))
    assert [p.title for p in related] == ["Tres", "Dos", "Uno"]
    assert [p.shared for p in related] == [3, 2, 1]


def test_detail_reads_the_classification_in_one_query(
    make_practice, themes, goal, problem, crc_article, city_b, django_assert_num_queries
):
    practice = make_practice(
        title="Base",
        themes=[themes["migration"], themes["gender"]],
        goals=[goal],
        social_problems=[problem],
        crc_articles=[crc_article],
        partner_cities=[city_b],
    )
    practice = Practice.objects.get(pk=practice.pk)
    with django_assert_num_queries(1):
        load_classification(practice)
        by_position = sorted([themes["migration"], themes["gender"]], key=lambda t: t.position)
        assert [t.slug for t in practice.themes.all()] == [t.slug for t in by_position]
        assert list(practice.goals.all()) == [goal]
        assert list(practice.social_problems.all()) == [problem]
        assert list(practice.crc_articles.all()) == [crc_article]
        assert [c.name for c in practice.partner_cities.all()] == ["Porto Alegre"]


def test_fetch_lists_reads_several_lists_in_one_query(db, django_assert_num_queries):
    CityFactory(name="Zárate", slug="zarate-ar")
    CityFactory(name="Asunción", slug="asuncion-py")
    from cities.models import City

    with django_assert_num_queries(1):
        lists = fetch_lists(
            cities=City.objects.order_by("name").values("id", "name"),
            none=City.objects.none(),
        )
    assert [city.name for city in lists["cities"]] == ["Asunción", "Zárate"]
    assert str(lists["cities"][0]) == "Asunción"
    assert lists["none"] == []


def test_the_edit_form_shows_the_current_values_checked(ana_client, make_practice, themes, goal):
    practice = make_practice(title="Base", themes=[themes["migration"]], goals=[goal])
    html = ana_client.get(f"/en/practices/{practice.slug}/edit/").content.decode()
    checked = re.findall(r'<input type="checkbox" name="(\w+)" value="(\d+)"[^>]*checked', html)
    assert ("themes", str(themes["migration"].pk)) in checked
    assert ("goals", str(goal.pk)) in checked
    assert ("themes", str(themes["gender"].pk)) not in checked
    assert re.search(r'<option value="\d+" selected>Quilmes</option>', html)
