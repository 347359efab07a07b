"""The public list and detail pages, the secretariat's registrations page and downloads."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from cities.models import WorkingGroup
from events.models import Event, EventDocument
from tests.events.conftest import en, make_event, make_registration, url

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_list_shows_upcoming_first_then_past_by_year(visitor, event, past_event):
    old = make_event(title="Old assembly", starts_at=timezone.now() - datetime.timedelta(days=800))
    response = visitor.get(en("events:list"))
    assert response.status_code == 200
    groups = response.context["groups"]
    assert groups[0][0] == "upcoming"
    assert groups[0][2] == [event]
    assert [g[0] for g in groups[1:]] == ["past"] * (len(groups) - 1)
    assert groups[-1][2] == [old]
    content = response.content.decode()
    assert content.index("Upcoming events") < content.index("Past events of")
    assert content.count("<h1") == 1


def test_list_filters_by_kind_group_country_and_year(visitor, event, past_event, city_b):
    group = WorkingGroup.objects.create(
        slug="human-rights", name_es="DDHH", name_pt_br="DH", name_en="Human rights"
    )
    joint = make_event(title="Joint", working_group=group, host_city=city_b)
    assert list(visitor.get(url("events:list"), {"kind": "summit"}).context["filter"].qs) == [
        past_event
    ]
    assert list(
        visitor.get(url("events:list"), {"group": "human-rights"}).context["filter"].qs
    ) == [joint]
    assert list(visitor.get(url("events:list"), {"country": "BR"}).context["filter"].qs) == [joint]
    year = timezone.localtime(past_event.starts_at).year
    assert past_event in visitor.get(url("events:list"), {"year": year}).context["filter"].qs


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "party"},
        {"group": "nope"},
        {"country": "ZZ"},
        {"year": "abc"},
        {"year": "99999999999999999999"},
        {"page": "x"},
        {"group": "a\x00b"},
    ],
)
def test_malformed_filters_answer_200_and_are_ignored(visitor, event, query):
    response = visitor.get(en("events:list"), query)
    assert response.status_code == 200
    assert event in response.context["page_obj"].object_list


def test_list_is_paginated(visitor):
    for _ in range(23):
        make_event()
    response = visitor.get(url("events:list"), {"page": 2})
    assert response.context["page_obj"].number == 2
    assert len(response.context["page_obj"].object_list) == 3


def test_detail_shows_times_in_the_events_zone_with_its_label(visitor, event):
    response = visitor.get(en("events:detail", slug=event.slug))
    assert response.status_code == 200
    content = response.content.decode()
    assert "18:00" in content and "20:00" in content
    assert "(Montevideo time)" in content
    assert 'title="America/Montevideo"' in content
    assert url("events:event_ics", slug=event.slug) in content


def test_detail_of_unknown_event_is_404(visitor):
    assert visitor.get(url("events:detail", slug="nothing")).status_code == 404


def test_cancelled_event_shows_a_banner(visitor, event):
    event.cancelled = True
    event.save()
    content = visitor.get(en("events:detail", slug=event.slug)).content.decode()
    assert "This event was cancelled and will not take place." in content


def test_description_is_escaped_plain_text(visitor, event):
    event.description = "<script>alert(1)</script>\n\nSecond paragraph"
    event.save()
    content = visitor.get(en("events:detail", slug=event.slug)).content.decode()
    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;" in content
    assert "<p>Second paragraph</p>" in content


def test_map_appears_only_with_a_host_city_with_coordinates(visitor, event, city_a):
    assert (
        "city-map-data" not in visitor.get(url("events:detail", slug=event.slug)).content.decode()
    )
    event.host_city = city_a
    event.save()
    response = visitor.get(url("events:detail", slug=event.slug))
    assert response.context["map_data"]["markers"][0]["name"] == "Quilmes"
    assert "city-map-data" in response.content.decode()


def test_participating_cities_only_after_the_event(visitor, ana, event, past_event, city_a):
    make_registration(event, city_a, user=ana)
    make_registration(past_event, city_a, user=ana)
    assert visitor.get(url("events:detail", slug=event.slug)).context["participants"] is None
    response = visitor.get(en("events:detail", slug=past_event.slug))
    assert response.context["participants"] == [city_a]
    assert "Participating cities" in response.content.decode()


def test_delegates_are_never_shown_to_the_public_or_other_coordinators(
    visitor, bruno_client, ana, event, city_a
):
    make_registration(event, city_a, user=ana)
    for client in (visitor, bruno_client):
        assert (
            b"delegate0@quilmes-ar.example"
            not in client.get(url("events:detail", slug=event.slug)).content
        )


def test_document_downloads_with_its_original_name(visitor, event, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = EventDocument(
        event=event,
        kind="agenda",
        title="Agenda",
        original_name="Agenda final.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
    )
    document.file.save("x.pdf", ContentFile(PDF_BYTES), save=True)
    assert document.file.name.startswith("events/") and "Agenda" not in document.file.name
    response = visitor.get(url("events:document", slug=event.slug, pk=document.pk))
    assert response.status_code == 200
    assert 'attachment; filename="Agenda final.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    other = make_event()
    assert visitor.get(url("events:document", slug=other.slug, pk=document.pk)).status_code == 404


def test_registrations_page_is_for_the_secretariat(
    visitor, ana_client, sofia_client, ana, event, city_a
):
    make_registration(event, city_a, user=ana, delegates=2)
    path = url("events:registrations", slug=event.slug)
    assert visitor.get(path).status_code == 302
    assert ana_client.get(path).status_code == 403
    response = sofia_client.get(path)
    assert response.status_code == 200
    assert b"delegate1@quilmes-ar.example" in response.content


def test_registrations_csv_is_for_the_secretariat(
    visitor, bruno_client, sofia_client, ana, event, city_a
):
    registration = make_registration(event, city_a, user=ana, delegates=2)
    registration.note = "=HYPERLINK(1)"
    registration.save()
    path = url("events:registrations_csv", slug=event.slug)
    assert visitor.get(path).status_code == 302
    assert bruno_client.get(path).status_code == 403
    response = sofia_client.get(path)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    lines = body.strip().split("\r\n")
    assert lines[0].startswith("event_slug,event_title,city_slug")
    assert len(lines) == 3  # one line per delegate
    assert "delegate0@quilmes-ar.example" in body
    assert "'=HYPERLINK(1)" in body


def test_event_kind_label(event):
    with translation.override("en"):
        assert Event.Kind.WORKSHOP.label == "workshop or training"
    with translation.override("es"):
        assert Event.Kind.WORKSHOP.label == "taller o capacitación"
