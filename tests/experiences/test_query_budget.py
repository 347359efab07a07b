"""Query counts of the list, search and detail pages stay flat as data grows."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from experiences import services
from tests.experiences.conftest import PDF_BYTES

BUDGET = 15


@pytest.fixture
def grow(make_practice, themes, goal, problem, crc_article, city_a, city_b, ana, media):
    def build(count):
        made = []
        for n in range(count):
            practice = make_practice(
                title=f"Práctica de niñez {n}",
                city=city_b if n % 2 else city_a,
                themes=list(themes.values()),
                goals=[goal],
                social_problems=[problem],
                crc_articles=[crc_article],
                partner_cities=[] if n % 2 else [city_b],
                start_date=datetime.date(2010 + n % 10, 1, 1),
            )
            made.append(practice)
        first = made[0]
        for n in range(2):
            services.attachment_add(
                practice=first,
                user=ana,
                upload=SimpleUploadedFile(f"{n}.pdf", PDF_BYTES),
            )
        return made

    return build


@pytest.mark.parametrize("count", [5, 50])
def test_list_query_count_does_not_grow(visitor, grow, count, get_within_queries):
    grow(count)
    # Guards the N+1 of cards: city (select_related) and themes (one prefetch) per page.
    get_within_queries(
        visitor, "/en/practices/?theme=gender&goal=sdg-01&country=BR&sort=title", most=BUDGET
    )


@pytest.mark.parametrize("count", [5, 50])
def test_search_query_count_does_not_grow(visitor, grow, count, get_within_queries):
    grow(count)
    response = get_within_queries(visitor, "/en/practices/?q=ninez&year_from=2012", most=BUDGET)
    assert len(response.context["page"].object_list) > 0


@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.parametrize("who", ["visitor", "ana_client", "sofia_client"])
def test_detail_query_count_does_not_grow(request, grow, count, who, get_within_queries):
    client = request.getfixturevalue(who)
    practice = grow(count)[0]
    # Guards the N+1 of the vocabularies, partner cities, attachments and related cards.
    response = get_within_queries(client, f"/en/practices/{practice.slug}/", most=BUDGET)
    assert len(response.context["related"]) >= 2


@pytest.mark.parametrize("count", [5, 50])
def test_list_for_a_logged_in_coordinator(ana_client, grow, count, django_assert_max_num_queries):
    grow(count)
    with django_assert_max_num_queries(BUDGET):
        assert ana_client.get("/en/practices/").status_code == 200
