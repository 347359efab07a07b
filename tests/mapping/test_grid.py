"""The year's profile in one sitting: /mapping/cities/<slug>/profile/<year>/ (mapping/grid.py,
services.city_profile_save). The tests post what a browser would: every field of the page,
read from its HTML, with the cells a person changed."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from mapping.models import CityProblem, IndicatorValue

from .factories import CityProblemFactory, IndicatorFactory, IndicatorValueFactory

YEAR = 2023


def grid_url(city, year=YEAR):
    return reverse("mapping:profile", kwargs={"slug": city.slug, "year": year})


class _Fields(HTMLParser):
    """The fields the grid's POST form would send, as a browser sends them untouched."""

    def __init__(self):
        super().__init__()
        self.data, self.in_form, self.select, self.textarea = {}, False, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method") == "post":
            self.in_form = True
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "checkbox"):
            self.data[name] = attrs.get("value") or ""
        elif tag == "select":
            self.select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select] = attrs.get("value") or ""
        elif tag == "textarea":
            self.textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data.lstrip("\n")


def page_fields(response) -> dict:
    parser = _Fields()
    parser.feed(response.content.decode())
    parser.data.pop("csrfmiddlewaretoken", None)
    return parser.data


def cell(indicator, name, breakdown="total"):
    return f"v{indicator.pk}-{breakdown}-{name}"


def open_grid(client, city, year=YEAR):
    response = client.get(grid_url(city, year))
    assert response.status_code == 200
    return page_fields(response)


# --- who may open it ---------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(visitor, city_a):
    response = visitor.get(grid_url(city_a))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_coordinator_of_another_city_is_refused(bruno_client, city_a, unemployment):
    assert bruno_client.get(grid_url(city_a)).status_code == 403
    data = {cell(unemployment, "value"): "7", cell(unemployment, "source"): "EPH"}
    assert bruno_client.post(grid_url(city_a), data).status_code == 403
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize("year", [1989, 2999])
def test_a_year_outside_the_accepted_range_is_404(ana_client, city_a, year):
    assert ana_client.get(grid_url(city_a, year)).status_code == 404


def test_city_edit_opens_the_latest_reported_year(ana_client, city_a, unemployment):
    IndicatorValueFactory(city=city_a, indicator=unemployment, year=2019)
    url = reverse("mapping:city_edit", kwargs={"slug": city_a.slug})
    assert ana_client.get(url)["Location"] == grid_url(city_a, 2019)
    assert ana_client.get(url, {"year": "2021"})["Location"] == grid_url(city_a, 2021)
    assert ana_client.get(url, {"year": "1200"})["Location"] == grid_url(city_a, 2019)


# --- the page ----------------------------------------------------------------------------


def test_the_grid_shows_every_indicator_with_the_known_values_and_problems(
    ana_client, city_a, unemployment, income, poverty
):
    IndicatorValueFactory(
        city=city_a, indicator=unemployment, year=YEAR, value=Decimal("7.4"), is_sample=True
    )
    IndicatorValueFactory(
        city=city_a, indicator=unemployment, year=YEAR, breakdown_id="women", value=Decimal("8.1")
    )
    IndicatorValueFactory(city=city_a, indicator=unemployment, year=2020, value=Decimal("99"))
    CityProblemFactory(city=city_a, problem=poverty, year=YEAR, priority=2, notes="Barrios")
    response = ana_client.get(grid_url(city_a))
    html = response.content.decode()
    fields = page_fields(response)
    assert fields[cell(unemployment, "value")] == "7.4"
    assert fields[cell(unemployment, "value", "women")] == "8.1"
    assert fields[cell(income, "value")] == ""  # an indicator without a value: an empty cell
    assert "99" not in fields.values()  # another year
    assert "sample data" in html and "Urban poverty" in html and "Barrios" in html
    assert fields[f"p{poverty.pk}-priority"] == "2"
    assert "Download the template" in html


def test_saving_many_cells_at_once_creates_them_and_ends_sample_data(
    ana_client, city_a, unemployment, income, poverty, violence
):
    sample = IndicatorValueFactory(
        city=city_a, indicator=income, year=YEAR, value=Decimal("500"), is_sample=True
    )
    data = open_grid(ana_client, city_a)
    data |= {
        cell(unemployment, "value"): "7.4",
        cell(unemployment, "source"): "EPH",
        cell(income, "source"): "Atlas 2013",  # the same value, a new source
        "new0-problem": str(poverty.pk),
        "new0-priority": "1",
        "new0-affected_population": "15000",
        "new0-source": "Observatorio social",
        "confirm": "1",
    }
    response = ana_client.post(grid_url(city_a), data)
    assert response.status_code == 302
    assert IndicatorValue.objects.get(indicator=unemployment).value == Decimal("7.4")
    sample.refresh_from_db()
    assert (sample.source, sample.is_sample) == ("Atlas 2013", False)
    problem = CityProblem.objects.get()
    assert (problem.problem, problem.priority, problem.affected_population) == (poverty, 1, 15000)
    assert not problem.is_sample


def test_an_untouched_page_saves_nothing(ana_client, city_a, unemployment, poverty):
    value = IndicatorValueFactory(city=city_a, indicator=unemployment, year=YEAR, is_sample=True)
    CityProblemFactory(city=city_a, problem=poverty, year=YEAR, is_sample=True)
    before = value.updated_at
    response = ana_client.post(grid_url(city_a), open_grid(ana_client, city_a), follow=True)
    assert "Nothing changed" in response.content.decode()
    value.refresh_from_db()
    assert value.updated_at == before and value.is_sample
    assert CityProblem.objects.get().is_sample


def test_wrong_cells_are_refused_all_together_with_every_typed_value_kept(
    ana_client, city_a, unemployment, income, poverty
):
    unemployment.max_value = Decimal(100)
    unemployment.save()
    data = open_grid(ana_client, city_a)
    data |= {
        cell(unemployment, "value"): "141",
        cell(unemployment, "source"): "EPH",
        cell(income, "value"): "512,5",  # no source
        "new0-problem": str(poverty.pk),
        "new0-priority": "2",
        "new0-source": "Observatorio",
    }
    response = ana_client.post(grid_url(city_a), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The profile was not saved" in html
    assert "outside the range" in html and "100" in html
    assert "Say where the value comes from." in html
    # the summary links to the cells
    assert f'href="#id_{cell(unemployment, "value")}"' in html
    assert f'href="#id_{cell(income, "source")}"' in html
    fields = page_fields(response)
    assert fields[cell(unemployment, "value")] == "141"
    assert fields[cell(income, "value")] == "512,5"
    assert fields["new0-source"] == "Observatorio" and fields["new0-problem"] == str(poverty.pk)
    assert not IndicatorValue.objects.exists() and not CityProblem.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [("abc", "is not a number"), ("1e400", "too large"), ("12345678901", "too large")],
)
def test_a_cell_that_is_not_a_number_is_refused(ana_client, city_a, unemployment, typed, message):
    data = open_grid(ana_client, city_a)
    data |= {cell(unemployment, "value"): typed, cell(unemployment, "source"): "EPH"}
    response = ana_client.post(grid_url(city_a), data)
    assert message in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_clearing_a_stored_value_points_to_remove(ana_client, city_a, unemployment):
    IndicatorValueFactory(city=city_a, indicator=unemployment, year=YEAR)
    data = open_grid(ana_client, city_a) | {cell(unemployment, "value"): ""}
    response = ana_client.post(grid_url(city_a), data)
    assert "use its “Remove” link" in response.content.decode()
    assert IndicatorValue.objects.count() == 1


def test_a_new_problem_row_needs_problem_priority_and_source(ana_client, city_a, poverty):
    data = open_grid(ana_client, city_a) | {"new1-notes": "Algo"}
    response = ana_client.post(grid_url(city_a), data)
    errors = {e.message for e in response.context["grid"].errors()}
    assert {"Choose the problem.", "Say where the assessment comes from."} <= errors
    assert not CityProblem.objects.exists()


def test_a_problem_already_listed_for_the_year_is_not_added_twice(ana_client, city_a, poverty):
    CityProblemFactory(city=city_a, problem=poverty, year=YEAR, priority=3)
    data = open_grid(ana_client, city_a)
    data |= {"new0-problem": str(poverty.pk), "new0-priority": "1", "new0-source": "X"}
    response = ana_client.post(grid_url(city_a), data)
    assert "already listed" in response.content.decode()
    assert CityProblem.objects.get().priority == 3


def test_add_a_problem_row_keeps_the_typed_cells_and_saves_nothing(
    ana_client, city_a, unemployment
):
    data = open_grid(ana_client, city_a)
    data |= {cell(unemployment, "value"): "7", "add_row": "1"}
    response = ana_client.post(grid_url(city_a), data)
    fields = page_fields(response)
    assert fields["new_rows"] == "3" and "new2-problem" in fields
    assert fields[cell(unemployment, "value")] == "7"
    assert "The profile was not saved" not in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_spanish_page_shows_and_reads_a_decimal_comma(ana_client, city_a, unemployment):
    IndicatorValueFactory(city=city_a, indicator=unemployment, year=YEAR, value=Decimal("7.25"))
    with translation.override("es"):
        url = grid_url(city_a)
    data = page_fields(ana_client.get(url))
    assert data[cell(unemployment, "value")] == "7,25"
    response = ana_client.post(url, data)
    assert response.status_code == 302  # unchanged: no confirmation asked
    data |= {cell(unemployment, "value"): "7,5", "confirm": "1"}
    ana_client.post(url, data)
    assert IndicatorValue.objects.get().value == Decimal("7.5")


# --- replacing and conflicts -------------------------------------------------------------


def test_a_replaced_value_is_confirmed_old_to_new_before_it_is_saved(
    ana_client, city_a, unemployment, poverty
):
    IndicatorValueFactory(city=city_a, indicator=unemployment, year=YEAR, value=Decimal("9.1"))
    CityProblemFactory(city=city_a, problem=poverty, year=YEAR, priority=3)
    data = open_grid(ana_client, city_a)
    data |= {cell(unemployment, "value"): "7.4", f"p{poverty.pk}-priority": "1"}
    response = ana_client.post(grid_url(city_a), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Replace and save" in html
    assert "<del>9.1</del>" in html and "<ins>7.4</ins>" in html
    assert "<del>priority 3" in html and "<ins>priority 1" in html
    assert IndicatorValue.objects.get().value == Decimal("9.1")  # not yet
    carried = page_fields(response)
    assert carried[cell(unemployment, "value")] == "7.4"
    # going back shows the grid with the typed values
    back = ana_client.post(grid_url(city_a), carried | {"back": "1"})
    assert page_fields(back)[cell(unemployment, "value")] == "7.4"
    # confirming saves
    assert ana_client.post(grid_url(city_a), carried | {"confirm": "1"}).status_code == 302
    assert IndicatorValue.objects.get().value == Decimal("7.4")
    assert CityProblem.objects.get().priority == 1


def test_a_value_changed_meanwhile_is_refused_with_409_and_the_typed_values_kept(
    ana_client, city_a, unemployment, income
):
    stored = IndicatorValueFactory(
        city=city_a, indicator=unemployment, year=YEAR, value=Decimal("9.1")
    )
    data = open_grid(ana_client, city_a)
    # someone else saves meanwhile
    stored.value = Decimal("8.8")
    stored.save()
    data |= {
        cell(unemployment, "value"): "7.4",
        cell(income, "value"): "600",
        cell(income, "source"): "Atlas",
        "confirm": "1",
    }
    response = ana_client.post(grid_url(city_a), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this year" in html and "now 8.8" in html
    fields = page_fields(response)
    assert fields[cell(unemployment, "value")] == "7.4"
    assert fields[cell(income, "value")] == "600"
    stored.refresh_from_db()
    assert stored.value == Decimal("8.8") and IndicatorValue.objects.count() == 1
    # saving again replaces knowingly: the confirmation shows 8.8 → 7.4
    again = ana_client.post(grid_url(city_a), fields)
    assert "<del>8.8</del>" in again.content.decode()
    ana_client.post(grid_url(city_a), fields | {"confirm": "1"})
    stored.refresh_from_db()
    assert stored.value == Decimal("7.4") and IndicatorValue.objects.count() == 2


def test_a_row_changed_meanwhile_but_untouched_here_is_left_alone(
    ana_client, city_a, unemployment, income
):
    other = IndicatorValueFactory(city=city_a, indicator=income, year=YEAR, value=Decimal("500"))
    data = open_grid(ana_client, city_a)
    other.value = Decimal("550")
    other.save()
    data |= {cell(unemployment, "value"): "7", cell(unemployment, "source"): "EPH"}
    assert ana_client.post(grid_url(city_a), data).status_code == 302
    other.refresh_from_db()
    assert other.value == Decimal("550")


def test_a_value_added_meanwhile_by_someone_else_is_a_conflict(ana_client, city_a, unemployment):
    data = open_grid(ana_client, city_a)
    IndicatorValueFactory(city=city_a, indicator=unemployment, year=YEAR, value=Decimal("5"))
    data |= {cell(unemployment, "value"): "7", cell(unemployment, "source"): "EPH"}
    response = ana_client.post(grid_url(city_a), data)
    assert response.status_code == 409
    assert IndicatorValue.objects.get().value == Decimal("5")


# --- query budget --------------------------------------------------------------------------


def _indicators(count):
    return [IndicatorFactory(slug=f"budget-{n}") for n in range(count)]


@pytest.mark.parametrize("count", [1, 40])
def test_the_grid_page_runs_a_fixed_number_of_queries(
    ana_client, city_a, poverty, django_assert_max_num_queries, count
):
    # Guards an N+1 over indicators (a query per row for its value) and over problems
    # (a query per row for the problem's name).
    indicators = _indicators(count)
    for indicator in indicators:
        IndicatorValueFactory(city=city_a, indicator=indicator, year=YEAR, value=Decimal("3.5"))
        IndicatorValueFactory(
            city=city_a, indicator=indicator, year=YEAR, breakdown_id="women", value=Decimal("4")
        )
    CityProblemFactory(city=city_a, problem=poverty, year=YEAR)
    with django_assert_max_num_queries(12):
        response = ana_client.get(grid_url(city_a))
    html = response.content.decode()
    assert html.count('name="initial-v') == 2 * 2 * count  # value and source of two rows each
    assert indicators[-1].name in html and "Urban poverty" in html


def test_a_stored_value_left_as_loaded_is_not_checked_again(
    ana_client, city_a, unemployment, income
):
    """A value stored before its indicator had a range does not block saving other cells."""
    IndicatorValueFactory(city=city_a, indicator=unemployment, year=YEAR, value=Decimal("141"))
    unemployment.max_value = Decimal(100)
    unemployment.save()
    data = open_grid(ana_client, city_a)
    data |= {cell(income, "value"): "700", cell(income, "source"): "Atlas"}
    assert ana_client.post(grid_url(city_a), data).status_code == 302
    assert IndicatorValue.objects.count() == 2


def test_a_source_without_a_value_asks_for_the_value(ana_client, city_a, unemployment):
    data = open_grid(ana_client, city_a) | {cell(unemployment, "source"): "EPH"}
    response = ana_client.post(grid_url(city_a), data)
    assert "Enter the value, or clear its source." in response.content.decode()
    assert page_fields(response)[cell(unemployment, "source")] == "EPH"


def test_the_history_names_who_saved_each_row(ana_client, ana, city_a, unemployment, poverty):
    data = open_grid(ana_client, city_a)
    data |= {cell(unemployment, "value"): "7", cell(unemployment, "source"): "EPH"}
    data |= {"new0-problem": str(poverty.pk), "new0-priority": "2", "new0-source": "X"}
    assert ana_client.post(grid_url(city_a), data).status_code == 302
    assert IndicatorValue.history.get().history_user == ana
    assert CityProblem.history.get().history_user == ana
