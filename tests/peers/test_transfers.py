"""Transfers: ana records that Quilmes adapted La Plata's "Mesa de niñez"; where the
record shows (practice page, both city profiles, its own page, open data) and where its
contact never does."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import translation

from peers.models import Transfer
from tests.factories import UserFactory

CONTACT = {"contact_name": "Marta Ruiz", "contact_email": "marta@quilmes.example"}


def transfer_data(**changes):
    return {
        "kind": "adapted",
        "started_on": "2024-03-01",
        "changes": "Mesas por escuela en lugar de por barrio.",
        "results": "Nueve mesas en el primer año.",
        **CONTACT,
        **changes,
    }


@pytest.fixture
def mesa(network):
    return network.practices["la-plata"]


@pytest.fixture
def transfer(mesa, city_a, ana):
    return Transfer.objects.create(
        practice=mesa,
        city=city_a,
        started_on=datetime.date(2024, 3, 1),
        changes="Mesas por escuela.",
        results="Nueve mesas.",
        status=Transfer.Status.PUBLISHED,
        published_at=mesa.published_at,
        recorded_by=ana,
        **CONTACT,
    )


def create_url(practice):
    return reverse("peers:transfer_create", kwargs={"slug": practice.slug})


def test_coordinator_records_and_publishes_an_adaptation(ana_client, mesa, city_a, ana):
    form = ana_client.get(create_url(mesa))
    assert form.status_code == 200
    response = ana_client.post(
        create_url(mesa), {"city": city_a.pk, **transfer_data(), "publish": "1"}
    )
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and response["Location"] == transfer.get_absolute_url()
    assert (transfer.city, transfer.practice, transfer.status, transfer.recorded_by) == (
        city_a,
        mesa,
        "published",
        ana,
    )
    assert transfer.published_at is not None


def test_a_draft_is_seen_by_its_city_only(ana_client, bruno_client, visitor, mesa, city_a):
    ana_client.post(create_url(mesa), {"city": city_a.pk, **transfer_data(), "draft": "1"})
    transfer = Transfer.objects.get()
    assert transfer.status == "draft" and transfer.published_at is None
    url = transfer.get_absolute_url()
    assert ana_client.get(url).status_code == 200
    assert bruno_client.get(url).status_code == 404
    assert visitor.get(url).status_code == 404
    assert "Adapted in" not in visitor.get(mesa.get_absolute_url()).content.decode()


def test_invalid_input_shows_errors_and_saves_nothing(ana_client, mesa, city_a):
    response = ana_client.post(
        create_url(mesa),
        {"city": city_a.pk, **transfer_data(started_on="", contact_email="not-an-address")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"started_on", "contact_email"}
    assert not Transfer.objects.exists()


def test_a_second_record_of_the_same_practice_is_refused(ana_client, transfer, mesa, city_a):
    response = ana_client.post(
        create_url(mesa), {"city": city_a.pk, **transfer_data(), "publish": "1"}
    )
    assert response.status_code == 200
    assert "ya registró esta práctica" in response.content.decode()
    assert Transfer.objects.count() == 1


def test_a_city_does_not_record_its_own_practice(ana_client, network):
    own = network.practices["own"]
    assert ana_client.get(create_url(own)).status_code == 403


def test_a_city_chosen_outside_ones_own_is_refused(ana_client, mesa, city_b):
    response = ana_client.post(create_url(mesa), {"city": city_b.pk, **transfer_data()})
    assert response.status_code == 200 and "city" in response.context["form"].errors
    assert not Transfer.objects.exists()


def test_visitor_is_sent_to_log_in_and_drafts_are_not_adoptable(visitor, ana_client, network):
    assert visitor.get(create_url(network.practices["la-plata"])).status_code == 302
    assert ana_client.get(create_url(network.practices["draft"])).status_code == 404


def test_only_its_city_and_the_secretariat_edit_a_transfer(
    transfer, ana_client, bruno_client, sofia_client, visitor
):
    url = reverse("peers:transfer_edit", kwargs={"pk": transfer.pk})
    assert visitor.get(url).status_code == 302
    assert bruno_client.get(url).status_code == 403
    assert sofia_client.get(url).status_code == 200
    response = ana_client.post(url, transfer_data(results="Doce mesas.", publish="1"))
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.results == "Doce mesas." and transfer.city.slug == "quilmes-ar"


def test_the_practice_page_counts_and_links_the_adaptations(visitor, transfer, mesa):
    with translation.override("en"):
        html = visitor.get(mesa.get_absolute_url()).content.decode()
    assert "Adapted in 1 city:" in html
    assert transfer.get_absolute_url() in html


def test_both_city_profiles_list_the_transfer(visitor, transfer, city_a, network):
    adopted = visitor.get(city_a.get_absolute_url()).content.decode()
    assert "Quilmes adoptó de otras ciudades" in adopted and "Mesa de niñez" in adopted
    given = visitor.get(network.cities["la-plata"].get_absolute_url()).content.decode()
    assert "Lo que otras ciudades adoptaron de La Plata" in given


def test_the_contact_is_in_no_public_place(visitor, transfer, mesa, city_a, network):
    pages = [
        transfer.get_absolute_url(),
        mesa.get_absolute_url(),
        city_a.get_absolute_url(),
        network.cities["la-plata"].get_absolute_url(),
        reverse("peers:transfers_csv"),
        reverse("peers:transfers_json"),
        reverse("experiences:feed"),
    ]
    for url in pages:
        response = visitor.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"marta" not in body.lower(), url


def test_members_see_the_contact(bruno_client, transfer):
    html = bruno_client.get(transfer.get_absolute_url()).content.decode()
    assert "marta@quilmes.example" in html


def test_open_data_lists_published_transfers_only(visitor, transfer, network, city_a):
    Transfer.objects.create(
        practice=network.practices["sao-carlos"],
        city=city_a,
        started_on=datetime.date(2024, 1, 1),
        status="draft",
    )
    body = b"".join(visitor.get(reverse("peers:transfers_json")).streaming_content)
    rows = json.loads(body)
    assert [(r["practice_slug"], r["city_slug"], r["kind"]) for r in rows] == [
        (
            transfer.practice.slug,
            "quilmes-ar",
            "adopted" if transfer.kind == "adopted" else "adapted",
        )
    ]
    assert "contact_email" not in rows[0] and "contact_name" not in rows[0]
    csv_text = b"".join(visitor.get(reverse("peers:transfers_csv")).streaming_content).decode()
    assert csv_text.splitlines()[0].startswith("practice_slug,practice_title")
    assert len(csv_text.splitlines()) == 2


def test_an_inactive_member_cannot_record(client, mesa, city_a):
    user = UserFactory(email="gone@quilmes.example", is_active=False)
    client.force_login(user)
    assert client.get(create_url(mesa)).status_code in (302, 403)
