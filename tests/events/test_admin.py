"""The secretariat's event screens: local times, the end-after-start rule, documents."""

import datetime
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from events.forms import EventAdminForm
from events.models import Event, EventDocument, Registration
from tests.events.conftest import make_event, make_registration
from unit.demo import sample_pdf

pytestmark = pytest.mark.django_db

PDF_BYTES = sample_pdf("Agenda")  # uploads are parse-checked: a PDF that parses


def admin_data(**values):
    data = {
        "title": "Assembly",
        "slug": "assembly",
        "kind": "assembly",
        "time_zone": "America/Montevideo",
        "starts_local_0": "2031-03-10",
        "starts_local_1": "18:00",
        "ends_local_0": "2031-03-10",
        "ends_local_1": "20:00",
        "place": "",
        "online_url": "",
        "description": "",
        "capacity": "",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "1000",
        "registrations-TOTAL_FORMS": "0",
        "registrations-INITIAL_FORMS": "0",
        "registrations-MIN_NUM_FORMS": "0",
        "registrations-MAX_NUM_FORMS": "1000",
    }
    data.update(values)
    return data


def test_admin_form_converts_local_times_to_utc():
    form = EventAdminForm(admin_data())
    assert form.is_valid(), form.errors
    event = form.save()
    assert event.starts_at == datetime.datetime(2031, 3, 10, 21, 0, tzinfo=datetime.UTC)
    again = EventAdminForm(instance=event)
    assert again.initial["starts_local"] == datetime.datetime(2031, 3, 10, 18, 0)


def test_admin_form_rejects_end_before_start():
    form = EventAdminForm(admin_data(ends_local_1="17:00"))
    assert not form.is_valid()
    assert "ends_local" in form.errors
    assert not Event.objects.exists()


def test_database_refuses_end_before_start(event):
    event.ends_at = event.starts_at - datetime.timedelta(minutes=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_model_clean_mirrors_the_constraint(event):
    from django.core.exceptions import ValidationError

    event.ends_at = event.starts_at - datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError):
        event.full_clean()


def test_secretariat_creates_an_event_in_the_admin(sofia_client):
    response = sofia_client.post("/admin/events/event/add/", admin_data())
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get(slug="assembly")
    local = event.starts_at.astimezone(zoneinfo.ZoneInfo("America/Montevideo"))
    assert (local.hour, local.minute) == (18, 0)


def test_admin_add_page_shows_the_error_for_end_before_start(sofia_client):
    response = sofia_client.post("/admin/events/event/add/", admin_data(ends_local_0="2031-03-09"))
    assert response.status_code == 200
    assert not Event.objects.exists()


def test_admin_pages_open(sofia_client, ana, event, city_a):
    make_registration(event, city_a, user=ana)
    for path in (
        "/admin/events/event/",
        "/admin/events/event/add/",
        f"/admin/events/event/{event.pk}/change/",
        "/admin/events/registration/",
    ):
        assert sofia_client.get(path).status_code == 200, path


def test_coordinators_cannot_use_the_admin(ana_client):
    assert ana_client.get("/admin/events/event/").status_code in (302, 403)


def test_admin_document_is_checked_by_content(sofia_client, event, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("agenda.pdf", b"MZ not a pdf at all", "application/pdf")
    data = admin_data(
        title=event.title,
        slug=event.slug,
        **{
            "documents-TOTAL_FORMS": "1",
            "documents-0-kind": "agenda",
            "documents-0-title": "Agenda",
            "documents-0-file": fake,
        },
    )
    response = sofia_client.post(f"/admin/events/event/{event.pk}/change/", data)
    assert response.status_code == 200
    assert not EventDocument.objects.exists()
    good = SimpleUploadedFile("Agenda día 1.pdf", PDF_BYTES, "application/pdf")
    data["documents-0-file"] = good
    response = sofia_client.post(f"/admin/events/event/{event.pk}/change/", data)
    assert response.status_code == 302
    document = EventDocument.objects.get()
    assert document.original_name == "Agenda día 1.pdf"
    assert document.content_type == "application/pdf"
    assert document.file.name.startswith("events/") and "Agenda" not in document.file.name


def test_raising_capacity_in_the_admin_promotes_waiting_cities(
    sofia_client, ana, bruno, event, city_a, city_b
):
    make_registration(event, city_a, user=ana, delegates=4)
    make_registration(event, city_b, user=bruno, delegates=2, status="waiting", waiting_position=1)
    local = event.local_starts_at
    end = event.local_ends_at
    data = admin_data(
        title=event.title,
        slug=event.slug,
        registration_open="on",
        capacity="6",
        starts_local_0=local.date().isoformat(),
        starts_local_1=local.strftime("%H:%M"),
        ends_local_0=end.date().isoformat(),
        ends_local_1=end.strftime("%H:%M"),
    )
    response = sofia_client.post(f"/admin/events/event/{event.pk}/change/", data)
    assert response.status_code == 302
    assert Registration.objects.get(city=city_b).status == "confirmed"


def test_admin_action_exports_registrations_csv(sofia_client, ana, event, city_a):
    make_registration(event, city_a, user=ana, delegates=2)
    other = make_event(starts_at=timezone.now() + datetime.timedelta(days=3))
    response = sofia_client.post(
        "/admin/events/event/",
        {"action": "export_registrations", "_selected_action": [event.pk, other.pk]},
    )
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert body.count(",quilmes-ar,") == 2  # two delegates of one registration
