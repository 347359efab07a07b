"""Coordinators keep their city's problems and values: /mapping/cities/<slug>/edit/."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from mapping.models import CityProblem, IndicatorValue

from .factories import CityProblemFactory, IndicatorValueFactory


def edit_url(city):
    return reverse("mapping:city_edit", kwargs={"slug": city.slug})


def problem_data(problem, **changes):
    data = {
        "form": "problem",
        "problem-problem": problem.pk,
        "problem-year": 2023,
        "problem-priority": 2,
        "problem-affected_population": "15000",
        "problem-source": "Municipal social observatory",
        "problem-notes": "",
    }
    return {**data, **changes}


def value_data(indicator, **changes):
    data = {
        "form": "value",
        "value-indicator": indicator.pk,
        "value-year": 2023,
        "value-breakdown": "",
        "value-value": "7.4",
        "value-source": "EPH",
    }
    return {**data, **changes}


def test_anonymous_is_sent_to_log_in(visitor, city_a, poverty):
    response = visitor.post(edit_url(city_a), problem_data(poverty))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert CityProblem.objects.count() == 0


def test_coordinator_of_other_city_gets_403(bruno_client, city_a, poverty, unemployment):
    assert bruno_client.get(edit_url(city_a)).status_code == 403
    assert bruno_client.post(edit_url(city_a), problem_data(poverty)).status_code == 403
    assert bruno_client.post(edit_url(city_a), value_data(unemployment)).status_code == 403
    assert CityProblem.objects.count() == IndicatorValue.objects.count() == 0


def test_unknown_city_is_404(ana_client, db):
    assert ana_client.get("/en/mapping/cities/atlantis/edit/").status_code == 404


def test_owner_sees_both_forms_with_csrf_and_lists(ana_client, city_a, poverty, unemployment):
    CityProblemFactory(city=city_a, problem=poverty, year=2021)
    IndicatorValueFactory(city=city_a, indicator=unemployment, year=2021, value=Decimal("9.25"))
    response = ana_client.get(edit_url(city_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("csrfmiddlewaretoken") >= 2
    assert "Add or update a problem" in html and "Add or update a value" in html
    assert "Urban poverty" in html and "9.25" in html


def test_owner_adds_then_updates_a_problem_for_a_year(ana_client, city_a, poverty):
    response = ana_client.post(edit_url(city_a), problem_data(poverty))
    assert response.status_code == 302
    entry = CityProblem.objects.get()
    assert (entry.city, entry.year, entry.priority, entry.affected_population) == (
        city_a,
        2023,
        2,
        15000,
    )
    ana_client.post(edit_url(city_a), problem_data(poverty, **{"problem-priority": 1}))
    entry.refresh_from_db()
    assert entry.priority == 1 and CityProblem.objects.count() == 1


def test_owner_entry_replaces_a_sample_row(ana_client, city_a, poverty):
    sample = CityProblemFactory(city=city_a, problem=poverty, year=2023, is_sample=True)
    ana_client.post(edit_url(city_a), problem_data(poverty))
    sample.refresh_from_db()
    assert not sample.is_sample and sample.source == "Municipal social observatory"


def test_owner_adds_and_updates_values_with_breakdowns(ana_client, city_a, unemployment):
    ana_client.post(edit_url(city_a), value_data(unemployment))
    ana_client.post(
        edit_url(city_a),
        value_data(unemployment, **{"value-breakdown": "Female", "value-value": "8.1"}),
    )
    ana_client.post(edit_url(city_a), value_data(unemployment, **{"value-value": "7.0"}))
    assert dict(IndicatorValue.objects.values_list("breakdown", "value")) == {
        "total": Decimal("7.0"),
        "female": Decimal("8.1"),
    }


def test_spanish_page_accepts_a_decimal_comma(ana_client, city_a, unemployment):
    with translation.override("es"):
        url = edit_url(city_a)
    response = ana_client.post(url, value_data(unemployment, **{"value-value": "7,45"}))
    assert response.status_code == 302
    assert IndicatorValue.objects.get().value == Decimal("7.45")


def test_secretariat_edits_any_city(sofia_client, city_b, poverty):
    response = sofia_client.post(edit_url(city_b), problem_data(poverty))
    assert response.status_code == 302
    assert CityProblem.objects.get().city == city_b


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"problem-priority": "7"}, "priority"),
        ({"problem-year": "1980"}, "year"),
        ({"problem-year": "3000"}, "year"),
        ({"problem-source": ""}, "source"),
        ({"problem-affected_population": "-5"}, "affected_population"),
        ({"problem-problem": "999999"}, "problem"),
    ],
)
def test_bad_problem_input_shows_field_errors_and_keeps_what_was_typed(
    ana_client, city_a, poverty, changes, field
):
    existing = CityProblemFactory(city=city_a, problem=poverty, year=2023, priority=4)
    response = ana_client.post(edit_url(city_a), problem_data(poverty, **changes))
    assert response.status_code == 200
    form = response.context["problem_form"]
    assert field in form.errors
    html = response.content.decode()
    assert 'class="error"' in html
    assert "Municipal social observatory" in html or field == "source"  # input kept
    existing.refresh_from_db()
    assert existing.priority == 4 and CityProblem.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"value-value": "abc"}, "value"),
        ({"value-value": "1.1234567"}, "value"),
        ({"value-year": "1900"}, "year"),
        ({"value-indicator": ""}, "indicator"),
        ({"value-source": ""}, "source"),
    ],
)
def test_bad_value_input_shows_field_errors_and_saves_nothing(
    ana_client, city_a, unemployment, changes, field
):
    response = ana_client.post(edit_url(city_a), value_data(unemployment, **changes))
    assert response.status_code == 200
    assert field in response.context["value_form"].errors
    assert IndicatorValue.objects.count() == 0


def test_edit_link_fills_the_form_and_ignores_other_cities_rows(
    ana_client, city_a, city_b, poverty
):
    own = CityProblemFactory(city=city_a, problem=poverty, year=2020, priority=5)
    foreign = CityProblemFactory(city=city_b, problem=poverty, year=2019, priority=3)
    response = ana_client.get(edit_url(city_a), {"edit_problem": own.pk})
    assert response.context["problem_form"].initial["year"] == 2020
    response = ana_client.get(edit_url(city_a), {"edit_problem": foreign.pk})
    assert "year" not in response.context["problem_form"].initial
    response = ana_client.get(edit_url(city_a), {"edit_problem": "x'; drop"})
    assert response.status_code == 200


def test_an_unknown_form_name_changes_nothing(ana_client, city_a, poverty):
    response = ana_client.post(edit_url(city_a), {**problem_data(poverty), "form": "other"})
    assert response.status_code == 200
    assert CityProblem.objects.count() == 0
