"""Funding calls: the public list and detail, the cities' interest, constraints, budgets."""

import datetime

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from funding.models import FundingCall, FundingInterest
from tests.factories import CityFactory, UserFactory

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def make_call(db):
    counter = {"n": 0}

    def make(**overrides):
        counter["n"] += 1
        themes = overrides.pop("themes", [])
        values = {
            "funder": "Unión Europea",
            "title": f"Convocatoria {counter['n']}",
            "slug": f"convocatoria-{counter['n']}",
            "summary": "Fondos para proyectos de inclusión social entre ciudades.",
            "opens_on": TODAY - 10 * DAY,
            "closes_on": TODAY + 10 * DAY,
            "link": "https://funder.example/call",
            **overrides,
        }
        call = FundingCall.objects.create(**values)
        call.themes.set(themes)
        return call

    return make


@pytest.fixture
def open_call(make_call, themes):
    return make_call(
        title="Ciudades inclusivas", slug="ciudades-inclusivas", themes=[themes["migration"]]
    )


def _interest_url(call):
    return reverse("funding:interest", kwargs={"slug": call.slug})


# --- status derived from the dates -----------------------------------------------------


def test_status_is_derived_from_dates_in_queryset_and_property(make_call):
    upcoming = make_call(opens_on=TODAY + DAY, closes_on=TODAY + 5 * DAY)
    current = make_call(opens_on=TODAY, closes_on=TODAY)
    closed = make_call(opens_on=TODAY - 5 * DAY, closes_on=TODAY - DAY)
    assert list(FundingCall.objects.open()) == [current]
    assert list(FundingCall.objects.upcoming()) == [upcoming]
    assert list(FundingCall.objects.closed()) == [closed]
    assert (upcoming.status, current.status, closed.status) == ("upcoming", "open", "closed")


def test_list_shows_open_first_then_upcoming_then_closed(visitor, make_call):
    closed = make_call(opens_on=TODAY - 30 * DAY, closes_on=TODAY - DAY)
    upcoming = make_call(opens_on=TODAY + DAY, closes_on=TODAY + 30 * DAY)
    current = make_call()
    response = visitor.get("/en/funding/")
    assert response.status_code == 200
    assert list(response.context["calls"]) == [current, upcoming, closed]
    assert b"Open now" in response.content and b"Opening soon" in response.content


# --- constraints -----------------------------------------------------------------------


def test_closing_before_opening_is_refused_by_the_database(make_call):
    with pytest.raises(IntegrityError):
        make_call(opens_on=TODAY, closes_on=TODAY - DAY)


def test_maximum_below_minimum_is_refused_by_the_database(make_call):
    with pytest.raises(IntegrityError):
        make_call(amount_min=1000, amount_max=10, currency="USD")


def test_interest_is_unique_per_call_and_city(open_call, city_a):
    FundingInterest.objects.create(call=open_call, city=city_a)
    with pytest.raises(IntegrityError):
        FundingInterest.objects.create(call=open_call, city=city_a)


def test_clean_explains_amounts_and_dates(make_call):
    from django.core.exceptions import ValidationError

    call = FundingCall(
        funder="X",
        title="X",
        slug="x",
        summary="X",
        link="https://x.example",
        opens_on=TODAY,
        closes_on=TODAY - DAY,
        amount_min=10,
        amount_max=5,
    )
    with pytest.raises(ValidationError) as error:
        call.full_clean()
    assert {"closes_on", "amount_max", "currency"} <= set(error.value.message_dict)


# --- list filters ------------------------------------------------------------------------


def test_filters_by_theme_and_country(visitor, make_call, themes, city_a):
    argentina = make_call(eligible_countries=["AR"], themes=[themes["gender"]])
    everywhere = make_call()
    make_call(eligible_countries=["BR"])
    response = visitor.get("/en/funding/", {"country": "AR"})
    assert set(response.context["calls"]) == {argentina, everywhere}
    response = visitor.get("/en/funding/", {"theme": "gender"})
    assert list(response.context["calls"]) == [argentina]


@pytest.mark.parametrize(
    "params",
    [{"theme": "nope"}, {"country": "ZZ"}, {"status": "x"}, {"page": "abc"}, {"theme": "a\x00b"}],
)
def test_malformed_filters_are_ignored_and_flagged(visitor, open_call, params):
    response = visitor.get("/en/funding/", params)
    assert response.status_code == 200
    assert list(response.context["calls"]) == [open_call]
    if "page" not in params:
        assert b"were not understood" in response.content


# --- detail and who sees the interested cities ----------------------------------------


def test_visitor_sees_the_call_but_not_the_interested_cities(visitor, open_call, city_b):
    FundingInterest.objects.create(call=open_call, city=city_b, note="Buscamos socios")
    response = visitor.get(f"/en/funding/{open_call.slug}/")
    assert response.status_code == 200
    assert b"Ciudades inclusivas" in response.content
    assert b"Porto Alegre" not in response.content
    assert b"Mark the interest" not in response.content


def test_coordinator_sees_other_interested_cities_names_only(ana_client, open_call, city_b, bruno):
    FundingInterest.objects.create(call=open_call, city=city_b, marked_by=bruno, note="Socios")
    response = ana_client.get(f"/en/funding/{open_call.slug}/")
    assert b"Porto Alegre" in response.content
    assert b"Socios" not in response.content and b"Bruno" not in response.content
    assert b"Mark the interest of Quilmes" in response.content


def test_secretariat_sees_who_marked_and_the_notes(sofia_client, open_call, city_b, bruno):
    FundingInterest.objects.create(call=open_call, city=city_b, marked_by=bruno, note="Socios")
    response = sofia_client.get(f"/en/funding/{open_call.slug}/")
    assert b"Porto Alegre" in response.content
    assert b"Socios" in response.content and b"Bruno Carvalho" in response.content


def test_unknown_call_is_404(visitor, db):
    assert visitor.get("/en/funding/nope/").status_code == 404


# --- marking interest --------------------------------------------------------------------


def test_coordinator_marks_and_withdraws_interest_for_own_city(ana_client, ana, open_call, city_a):
    response = ana_client.post(
        _interest_url(open_call), {"city": city_a.pk, "action": "mark", "note": "Con socios"}
    )
    assert response.status_code == 302
    interest = FundingInterest.objects.get(call=open_call, city=city_a)
    assert (interest.marked_by, interest.note) == (ana, "Con socios")
    ana_client.post(_interest_url(open_call), {"city": city_a.pk, "action": "mark", "note": "Otra"})
    assert FundingInterest.objects.get(call=open_call, city=city_a).note == "Otra"
    ana_client.post(_interest_url(open_call), {"city": city_a.pk, "action": "withdraw"})
    assert not FundingInterest.objects.exists()


def test_coordinator_of_other_city_gets_403_and_nothing_is_saved(ana_client, open_call, city_b):
    response = ana_client.post(_interest_url(open_call), {"city": city_b.pk, "action": "mark"})
    assert response.status_code == 403
    assert not FundingInterest.objects.exists()


def test_coordinator_cannot_withdraw_another_citys_interest(ana_client, open_call, city_b):
    FundingInterest.objects.create(call=open_call, city=city_b)
    response = ana_client.post(_interest_url(open_call), {"city": city_b.pk, "action": "withdraw"})
    assert response.status_code == 403
    assert FundingInterest.objects.filter(city=city_b).exists()


def test_outsider_without_cities_gets_403(open_call, city_a):
    client = Client()
    client.force_login(UserFactory(email="nobody@example.org"))
    response = client.post(_interest_url(open_call), {"city": city_a.pk, "action": "mark"})
    assert response.status_code == 403
    assert not FundingInterest.objects.exists()


def test_visitor_is_sent_to_log_in(visitor, open_call, city_a):
    response = visitor.post(_interest_url(open_call), {"city": city_a.pk, "action": "mark"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not FundingInterest.objects.exists()


def test_secretariat_may_mark_for_any_city(sofia_client, open_call, city_b):
    sofia_client.post(_interest_url(open_call), {"city": city_b.pk, "action": "mark"})
    assert FundingInterest.objects.filter(city=city_b).exists()


def test_get_on_interest_is_405(ana_client, open_call):
    assert ana_client.get(_interest_url(open_call)).status_code == 405


@pytest.mark.parametrize(
    "data",
    [{}, {"city": "abc", "action": "mark"}, {"city": "999999", "action": "mark"}, {"action": "x"}],
)
def test_invalid_interest_input_is_400_and_nothing_saved(ana_client, open_call, city_a, data):
    data = {"city": city_a.pk, **data} if "city" not in data and data else data
    response = ana_client.post(_interest_url(open_call), data)
    assert response.status_code == 400
    assert not FundingInterest.objects.exists()


def test_closed_call_takes_no_new_interest(ana_client, make_call, city_a):
    closed = make_call(opens_on=TODAY - 9 * DAY, closes_on=TODAY - DAY)
    response = ana_client.post(_interest_url(closed), {"city": city_a.pk, "action": "mark"})
    assert response.status_code == 302
    assert not FundingInterest.objects.exists()


def test_pages_render_in_english(visitor, open_call):
    with translation.override("en"):
        response = visitor.get(reverse("funding:list"))
    assert b"Funding calls" in response.content


# --- query budgets ------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 30])
def test_list_query_budget(visitor, make_call, themes, size, django_assert_max_num_queries):
    # guards the themes of each card (prefetched) and the filter's choices
    for _n in range(size):
        make_call(themes=list(themes.values()))
    with django_assert_max_num_queries(8):
        assert visitor.get("/en/funding/").status_code == 200


@pytest.mark.parametrize("size", [1, 25])
def test_detail_query_budget(sofia_client, open_call, size, django_assert_max_num_queries):
    # guards the interested cities and who marked them (one query with their joins)
    for n in range(size):
        FundingInterest.objects.create(call=open_call, city=CityFactory(slug=f"city-{n}"))
    with django_assert_max_num_queries(12):
        assert sofia_client.get(f"/en/funding/{open_call.slug}/").status_code == 200


def test_demo_seed_adds_three_marked_sample_calls(db):
    from funding.demo import seed

    assert seed() == 3
    assert seed() == 3  # idempotent
    calls = FundingCall.objects.all()
    assert all(call.is_sample and call.title.startswith("[Ejemplo]") for call in calls)
    assert {call.status for call in calls} == {"open", "upcoming", "closed"}
