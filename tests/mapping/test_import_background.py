"""A large CSV import runs as a task: the confirmation only queues it, a worker stores the
values and the person gets one e-mail with the result in their language; small imports
stay in the request."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from cities.models import CityCoordinator
from mapping.importing import SESSION_KEY
from mapping.models import Indicator, IndicatorValue
from tests.http import assert_shows
from tests.tasks.conftest import jobs, mail_server, work_until_done  # noqa: F401

from .conftest import csv_upload

TASK = "mapping.tasks.import_indicator_values"
HEADER = "city_slug,indicator_code,year,value,source\n"
QUEUED = "The import of 3 values is queued"


def rows(city_slug: str, count: int) -> str:
    lines = [f"{city_slug},sdg-8-5-2,{2022 - n},{7 + n}.5,EPH\n" for n in range(count)]
    return HEADER + "".join(lines)


@pytest.fixture(autouse=True)
def _small_threshold(settings):
    settings.IMPORT_BACKGROUND_ROWS = 2


def upload_and_confirm(client, text):
    url = reverse("mapping:import")
    preview = client.post(url, {"file": csv_upload(text)})
    assert preview.status_code == 200 and preview.context["preview"] is not None
    response = client.post(url, {"digest": preview.context["parsed"].digest})
    assert response.status_code == 302 and response["Location"] == url
    return [str(m) for m in get_messages(response.wsgi_request)]


def assert_one_mail(outbox, *, to, subject: str, body: tuple[str, ...]) -> None:
    """Exactly one e-mail went out, to `to`, with `subject` in its subject, `body` in its body."""
    (mail,) = outbox
    assert mail.to == [to]
    assert subject in mail.subject
    assert_shows(mail.body, *body)


@pytest.mark.django_db(transaction=True)
def test_a_large_import_is_queued_then_stored_by_the_worker_and_mailed_in_spanish(
    mail_server,  # noqa: F811
    ana_client,
    ana,
    city_a,
    unemployment,
):
    shown = upload_and_confirm(ana_client, rows("quilmes-ar", 3))
    assert len(shown) == 1 and shown[0].startswith(QUEUED) and "e-mail" in shown[0]
    assert SESSION_KEY not in ana_client.session
    assert IndicatorValue.objects.count() == 0  # nothing stored in the request
    assert [job["task_name"] for job in jobs()] == [TASK]
    assert mail_server.outbox == []

    work_until_done()
    values = dict(IndicatorValue.objects.values_list("year", "value"))
    assert values == {2022: Decimal("7.5"), 2021: Decimal("8.5"), 2020: Decimal("9.5")}
    assert_one_mail(
        mail_server.outbox,
        to=ana.email,
        subject="Su importación de valores de indicadores terminó",
        body=(
            "Se importaron 3 valores: 3 nuevos, 0 modificados, 0 sin cambios.",
            "Estimado/a Ana Pereyra:",
        ),
    )
    assert {job["status"] for job in jobs()} == {"succeeded"}


@pytest.mark.django_db(transaction=True)
def test_a_large_import_mails_the_counts_in_portuguese(
    mail_server,  # noqa: F811
    bruno_client,
    bruno,
    city_b,
    unemployment,
):
    IndicatorValue.objects.create(
        city=city_b, indicator=unemployment, year=2021, value=Decimal("1"), source="IBGE"
    )
    shown = upload_and_confirm(bruno_client, rows("porto-alegre-br", 3))
    assert shown[0].startswith(QUEUED)
    assert IndicatorValue.objects.count() == 1
    work_until_done()
    assert IndicatorValue.objects.count() == 3
    assert_one_mail(
        mail_server.outbox,
        to=bruno.email,
        subject="Sua importação de valores de indicadores foi concluída",
        body=("3 valores importados: 2 novos, 1 alterados, 0 sem alteração.",),
    )


def test_an_import_at_the_threshold_stays_in_the_request(
    ana_client, city_a, unemployment, mailoutbox
):
    shown = upload_and_confirm(ana_client, rows("quilmes-ar", 2))
    assert shown == ["Imported 2 values: 2 new, 0 changed, 0 unchanged."]
    assert IndicatorValue.objects.count() == 2
    assert mailoutbox == []


@pytest.mark.parametrize("change", ["coordination ended", "indicator deleted"])
@pytest.mark.django_db(transaction=True)
def test_an_import_whose_rows_became_invalid_mails_that_nothing_was_imported(
    mail_server,  # noqa: F811
    ana_client,
    ana,
    city_a,
    unemployment,
    change,
):
    upload_and_confirm(ana_client, rows("quilmes-ar", 3))
    if change == "coordination ended":
        CityCoordinator.objects.filter(user=ana).delete()  # PermissionDenied in the task
    else:
        Indicator.objects.filter(pk=unemployment.pk).delete()  # IntegrityError in the task
    work_until_done()
    assert IndicatorValue.objects.count() == 0
    assert_one_mail(
        mail_server.outbox,
        to=ana.email,
        subject="Su importación de valores de indicadores falló",
        body=(
            "No se importó nada del archivo",
            "Los datos cambiaron desde la vista previa; vuelva a subir el archivo.",
        ),
    )
    assert [job["status"] for job in jobs(TASK)] == ["succeeded"]
