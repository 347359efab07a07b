"""Working offline and removing with a trace: the profile template (a CSV in the import
format) and the remove pages of the profile grid."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from mapping import importing, services
from mapping.models import CityProblem, IndicatorValue

from .conftest import csv_upload
from .factories import CityProblemFactory, IndicatorValueFactory
from .test_grid import YEAR, cell, grid_url, open_grid


def template_url(city, year=YEAR):
    return reverse("mapping:profile_template", kwargs={"slug": city.slug, "year": year})


def download(client, city, year=YEAR) -> list[dict]:
    response = client.get(template_url(city, year))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def as_csv(lines: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(lines[0]))
    writer.writeheader()
    writer.writerows(lines)
    return out.getvalue()


def import_file(client, text):
    """Upload then confirm through the import page, as a coordinator does."""
    preview = client.post(reverse("mapping:import"), {"file": csv_upload(text)})
    assert preview.status_code == 200 and preview.context["preview"], preview.context["parsed"]
    digest = preview.context["confirm_form"].initial["digest"]
    assert client.post(reverse("mapping:import"), {"digest": digest}).status_code == 302


def stored():
    return {
        (v.indicator.slug, v.breakdown_id): (v.value, v.source, v.is_sample)
        for v in IndicatorValue.objects.select_related("indicator")
    }


def test_the_template_has_a_line_per_cell_prefilled_in_the_import_format(
    ana_client, city_a, unemployment, income
):
    IndicatorValueFactory(
        city=city_a, indicator=unemployment, year=YEAR, value=Decimal("7.40"), source="EPH"
    )
    IndicatorValueFactory(city=city_a, indicator=income, year=2020)  # another year
    lines = download(ana_client, city_a)
    assert list(lines[0]) == [*importing.REQUIRED_COLUMNS, *importing.OPTIONAL_COLUMNS]
    by_key = {(line["indicator_code"], line["breakdown"]): line for line in lines}
    assert by_key[("sdg-8-5-2", "total")] == {
        "city_slug": city_a.slug,
        "indicator_code": "sdg-8-5-2",
        "year": str(YEAR),
        "value": "7.4",
        "source": "EPH",
        "breakdown": "total",
    }
    assert by_key[("br-atlas-rdpc", "total")]["value"] == ""


def test_only_the_city_coordinators_download_the_template(bruno_client, visitor, city_a):
    assert bruno_client.get(template_url(city_a)).status_code == 403
    assert visitor.get(template_url(city_a)).status_code == 302


def test_an_untouched_template_imports_as_no_change(ana_client, city_a, unemployment, income):
    IndicatorValueFactory(city=city_a, indicator=unemployment, year=YEAR, value=Decimal("7.4"))
    lines = download(ana_client, city_a)
    parsed = importing.parse_indicator_csv(as_csv(lines).encode(), allowed_city_ids=None)
    assert parsed.ok and len(parsed.rows) == 1  # the blank lines are skipped
    assert importing.preview(parsed).unchanged == 1


def test_the_template_round_trip_gives_what_the_grid_gives(
    ana_client, city_a, unemployment, income
):
    """Figures saved in the grid, cells starting with - and = included, come back identical
    through the downloaded template (the writer protects them with an apostrophe, the import
    strips it); a cell changed in the spreadsheet is imported like the grid would save it."""
    unemployment.min_value = None  # negatives allowed, as for a growth rate
    unemployment.save()
    IndicatorValueFactory(
        city=city_a, indicator=unemployment, year=YEAR, value=Decimal("9.1"), is_sample=True
    )
    data = open_grid(ana_client, city_a)
    data |= {cell(unemployment, "value"): "-3.5", cell(unemployment, "source"): "=ENCUESTA+1"}
    data |= {cell(income, "value"): "512.25", cell(income, "source"): "-Atlas 2013"}
    assert ana_client.post(grid_url(city_a), data | {"confirm": "1"}).status_code == 302
    through_grid = stored()
    assert through_grid[("sdg-8-5-2", "total")] == (Decimal("-3.5"), "=ENCUESTA+1", False)

    lines = download(ana_client, city_a)
    text = as_csv(lines)
    assert "'-3.5" in text and "'=ENCUESTA+1" in text and "'-Atlas 2013" in text
    IndicatorValue.objects.all().delete()
    import_file(ana_client, text)
    assert stored() == through_grid

    # edited in a spreadsheet (which saves what it shows, without the apostrophe)
    for line in lines:
        if line["indicator_code"] == "br-atlas-rdpc":
            line["value"], line["source"] = "-1", "=Atlas 2014"
    income.min_value = None
    income.save()
    import_file(ana_client, as_csv(lines))
    assert stored()[("br-atlas-rdpc", "total")] == (Decimal("-1"), "=Atlas 2014", False)
    assert stored()[("sdg-8-5-2", "total")] == through_grid[("sdg-8-5-2", "total")]


def test_a_downloaded_template_with_protected_cells_imports_back_unchanged(
    ana_client, city_a, unemployment
):
    unemployment.min_value = None
    unemployment.save()
    IndicatorValueFactory(
        city=city_a,
        indicator=unemployment,
        year=YEAR,
        value=Decimal("-2"),
        source="=HYPERLINK(1)",
    )
    lines = download(ana_client, city_a)
    (line,) = [line for line in lines if line["value"]]
    assert (line["value"], line["source"]) == ("'-2", "'=HYPERLINK(1)")
    parsed = importing.parse_indicator_csv(as_csv(lines).encode(), allowed_city_ids=None)
    assert parsed.ok
    (row,) = parsed.rows
    assert (row.value, row.source) == (Decimal("-2"), "=HYPERLINK(1)")


# --- removing ----------------------------------------------------------------------------


def value_remove_url(value):
    return reverse("mapping:value_remove", kwargs={"slug": value.city.slug, "pk": value.pk})


def problem_remove_url(entry):
    return reverse("mapping:problem_remove", kwargs={"slug": entry.city.slug, "pk": entry.pk})


def test_remove_asks_first_then_removes_the_value_and_history_keeps_it(
    ana_client, ana, city_a, unemployment
):
    value = IndicatorValueFactory(
        city=city_a, indicator=unemployment, year=YEAR, value=Decimal("9.1")
    )
    page = ana_client.get(value_remove_url(value))
    assert page.status_code == 200 and "Unemployment rate" in page.content.decode()
    assert IndicatorValue.objects.exists()  # GET removes nothing
    response = ana_client.post(value_remove_url(value))
    assert response["Location"] == grid_url(city_a)
    assert not IndicatorValue.objects.exists()
    removal = IndicatorValue.history.filter(id=value.pk).latest("history_date")
    assert removal.history_type == "-" and removal.history_user == ana
    assert removal.value == Decimal("9.1")


def test_a_removed_value_can_be_restored_from_its_history(ana_client, city_a, unemployment):
    value = IndicatorValueFactory(city=city_a, indicator=unemployment, year=YEAR)
    ana_client.post(value_remove_url(value))
    removal = IndicatorValue.history.filter(id=value.pk).latest("history_date")
    removal.instance.save()  # what the admin's "restore" does
    assert IndicatorValue.objects.get().value == value.value


def test_remove_asks_first_then_removes_the_problem(ana_client, ana, city_a, poverty):
    entry = CityProblemFactory(city=city_a, problem=poverty, year=YEAR)
    assert "Urban poverty" in ana_client.get(problem_remove_url(entry)).content.decode()
    ana_client.post(problem_remove_url(entry))
    assert not CityProblem.objects.exists()
    removal = CityProblem.history.filter(id=entry.pk).latest("history_date")
    assert removal.history_type == "-" and removal.history_user == ana


def test_another_citys_coordinator_cannot_remove(bruno_client, city_a, unemployment, poverty):
    value = IndicatorValueFactory(city=city_a, indicator=unemployment, year=YEAR)
    entry = CityProblemFactory(city=city_a, problem=poverty, year=YEAR)
    assert bruno_client.post(value_remove_url(value)).status_code == 403
    assert bruno_client.post(problem_remove_url(entry)).status_code == 403
    assert IndicatorValue.objects.exists() and CityProblem.objects.exists()


def test_a_value_of_another_city_under_this_citys_address_is_404(
    ana_client, city_a, city_b, unemployment
):
    foreign = IndicatorValueFactory(city=city_b, indicator=unemployment, year=YEAR)
    url = reverse("mapping:value_remove", kwargs={"slug": city_a.slug, "pk": foreign.pk})
    assert ana_client.post(url).status_code == 404
    assert IndicatorValue.objects.exists()


def test_the_service_refuses_a_user_who_may_not_edit(bruno, city_a, unemployment):
    value = IndicatorValueFactory(city=city_a, indicator=unemployment, year=YEAR)
    with pytest.raises(PermissionDenied):
        services.indicator_value_remove(value=value, by=bruno)
