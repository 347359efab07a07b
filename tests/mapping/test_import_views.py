"""The import page (/mapping/import/: upload → preview → confirm) and the command."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.urls import reverse

from mapping.importing import MAX_BYTES, SESSION_KEY
from mapping.models import IndicatorValue
from tests.factories import UserFactory

from .conftest import csv_upload
from .factories import IndicatorValueFactory

HEADER = "city_slug,indicator_code,year,value,source\n"
GOOD = HEADER + "quilmes-ar,sdg-8-5-2,2022,7.5,EPH\nquilmes-ar,sdg-8-5-2,2021,8.25,EPH\n"


@pytest.fixture
def url():
    return reverse("mapping:import")


def upload(client, url, text, **kwargs):
    return client.post(url, {"file": csv_upload(text, **kwargs)})


def confirm(client, url, response):
    return client.post(url, {"digest": response.context["parsed"].digest}, follow=True)


def test_anonymous_is_sent_to_log_in(visitor, url, city_a, unemployment):
    response = upload(visitor, url, GOOD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert IndicatorValue.objects.count() == 0


def test_a_user_without_cities_gets_403(url, db):
    from django.test import Client

    client = Client()
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def test_coordinator_sees_the_form_and_their_cities(ana_client, url):
    response = ana_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html
    assert "You may import values for:" in html and "quilmes-ar" in html


def test_owner_previews_then_confirms_and_every_row_is_written(
    ana_client, url, city_a, unemployment
):
    IndicatorValueFactory(city=city_a, indicator=unemployment, year=2021, value=Decimal("9.0"))
    response = upload(ana_client, url, GOOD)
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.created, preview.changed, preview.unchanged) == (1, 1, 0)
    html = response.content.decode()
    assert "1 new, 1 changed, 0 unchanged" in html
    assert "Confirm the import" in html
    assert ">9<" in html and ">8.25<" in html  # old → new value
    assert IndicatorValue.objects.count() == 1  # nothing written before confirming

    response = confirm(ana_client, url, response)
    assert response.status_code == 200
    values = dict(IndicatorValue.objects.values_list("year", "value"))
    assert values == {2021: Decimal("8.25"), 2022: Decimal("7.5")}
    assert "Imported 2 values: 1 new, 1 changed, 0 unchanged." in [
        str(m) for m in get_messages(response.wsgi_request)
    ]
    assert SESSION_KEY not in ana_client.session


def test_confirming_twice_does_not_import_again(ana_client, url, city_a, unemployment):
    response = upload(ana_client, url, GOOD)
    confirm(ana_client, url, response)
    IndicatorValue.objects.update(value=Decimal("1"))
    again = confirm(ana_client, url, response)
    assert "no longer available" in again.content.decode()
    assert set(IndicatorValue.objects.values_list("value", flat=True)) == {Decimal("1")}


def test_a_forged_digest_imports_nothing(ana_client, url, city_a, unemployment):
    upload(ana_client, url, GOOD)
    response = ana_client.post(url, {"digest": "0" * 64}, follow=True)
    assert "no longer available" in response.content.decode()
    assert IndicatorValue.objects.count() == 0


def test_a_malformed_digest_imports_nothing(ana_client, url, city_a, unemployment):
    response = ana_client.post(url, {"digest": "<script>"}, follow=True)
    assert response.status_code == 200
    assert IndicatorValue.objects.count() == 0


def test_secretariat_imports_for_any_city(sofia_client, url, city_a, city_b, unemployment):
    text = GOOD + "porto-alegre-br,sdg-8-5-2,2022,6.1,IBGE\n"
    response = confirm(sofia_client, url, upload(sofia_client, url, text))
    assert response.status_code == 200
    assert IndicatorValue.objects.count() == 3


def test_outsider_rows_for_another_city_are_line_errors(bruno_client, url, city_a, unemployment):
    response = upload(bruno_client, url, GOOD)
    assert response.status_code == 200
    assert response.context["preview"] is None
    html = response.content.decode()
    assert "The file was not imported: 2 errors" in html
    assert "You do not coordinate Quilmes" in html
    assert '<th scope="row">2</th>' in html and '<th scope="row">3</th>' in html
    assert IndicatorValue.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (HEADER + "atlantis-xx,sdg-8-5-2,2022,7.5,EPH\n", "Unknown city"),
        (HEADER + "quilmes-ar,nope,2022,7.5,EPH\n", "Unknown indicator"),
        (HEADER + "quilmes-ar,sdg-8-5-2,2022,abc,EPH\n", "is not a number"),
        (HEADER + "quilmes-ar,sdg-8-5-2,1980,7.5,EPH\n", "The year must be between 1990"),
        (GOOD + "quilmes-ar,sdg-8-5-2,2022,7.6,EPH\n", "repeats line 2"),
        ("city_slug,year,value,source\nquilmes-ar,2022,7.5,EPH\n", "Missing column"),
        (b"\x00\x01\x02binary", "not a text file"),
        ("", "The file is empty."),
    ],
)
def test_any_bad_input_stops_the_whole_import_with_the_errors_and_the_form(
    ana_client, url, city_a, unemployment, text, expected
):
    IndicatorValueFactory(city=city_a, indicator=unemployment, year=2000)
    before = list(IndicatorValue.objects.values_list("pk", "value"))
    data = text + "quilmes-ar,sdg-8-5-2,2023,1,EPH\n" if isinstance(text, str) and text else text
    response = upload(ana_client, url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert expected in html
    assert 'type="file"' in html  # the form is ready for a corrected file
    assert list(IndicatorValue.objects.values_list("pk", "value")) == before
    assert SESSION_KEY not in ana_client.session


def test_a_file_over_five_megabytes_is_refused_with_its_size(ana_client, url, city_a):
    response = upload(ana_client, url, HEADER.encode() + b"#" * (MAX_BYTES + 10))
    assert response.status_code == 200
    assert "the limit is 5 MB" in response.content.decode()


def test_posting_without_a_file_shows_the_field_error(ana_client, url):
    response = ana_client.post(url, {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_bom_semicolon_and_decimal_comma_through_the_page(ana_client, url, city_a, unemployment):
    text = "\ufeffcity_slug;indicator_code;year;value;source\r\nquilmes-ar;8.5.2;2022;7,5;EPH\r\n"
    response = confirm(ana_client, url, upload(ana_client, url, text))
    assert response.status_code == 200
    assert IndicatorValue.objects.get().value == Decimal("7.5")


# --- The command ---------------------------------------------------------------------------


def test_command_imports_as_the_secretariat(tmp_path, city_a, city_b, unemployment, capsys):
    path = tmp_path / "values.csv"
    path.write_text(GOOD + "porto-alegre-br,sdg-8-5-2,2022,6.1,IBGE\n", encoding="utf-8")
    call_command("import_indicators", str(path))
    assert IndicatorValue.objects.count() == 3
    assert "Imported 3 values: 3 new, 0 changed, 0 unchanged." in capsys.readouterr().out


def test_command_prints_every_error_and_fails_writing_nothing(
    tmp_path, city_a, unemployment, capsys
):
    path = tmp_path / "values.csv"
    path.write_text(GOOD + "atlantis-xx,sdg-8-5-2,2022,x,EPH\n", encoding="utf-8")
    with pytest.raises(CommandError, match="2 error"):
        call_command("import_indicators", str(path))
    err = capsys.readouterr().err
    assert "line 4 [city_slug]: Unknown city" in err and "line 4 [value]" in err
    assert IndicatorValue.objects.count() == 0


def test_command_with_a_coordinator_refuses_other_cities(
    tmp_path, ana, city_b, unemployment, capsys
):
    path = tmp_path / "values.csv"
    path.write_text(HEADER + "porto-alegre-br,sdg-8-5-2,2022,6.1,IBGE\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_indicators", str(path), user=ana.email)
    assert "You do not coordinate Porto Alegre" in capsys.readouterr().err
    assert IndicatorValue.objects.count() == 0


def test_command_with_an_unknown_user_or_file_fails_clearly(tmp_path, db):
    with pytest.raises(CommandError, match="No user"):
        call_command("import_indicators", str(tmp_path / "x.csv"), user="nobody@example.org")
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_indicators", str(tmp_path / "x.csv"))
