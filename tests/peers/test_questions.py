"""Questions: ana asks La Plata about its practice; the mail goes to La Plata's focal points
and coordinators with Reply-To ana, no address is shown to her, and a day allows five.
The same from a funding call to the other interested cities."""

import pytest
from django.urls import reverse

from funding.models import FundingInterest
from peers.models import Question
from tests.factories import (
    CityCoordinatorFactory,
    FocalPointFactory,
    UserFactory,
    make_funding_call,
)


@pytest.fixture
def la_plata(network):
    city = network.cities["la-plata"]
    FocalPointFactory(city=city, email="focal@laplata.example")
    FocalPointFactory(city=city, email="")  # no address: skipped
    lucia = UserFactory(email="lucia@laplata.example", name="Lucía", language="en")
    CityCoordinatorFactory(user=lucia, city=city)
    return city


def ask_url(practice):
    return reverse("peers:ask_city", kwargs={"slug": practice.slug})


def ask(client, practice, message="¿Cómo organizaron las mesas?", capture=None):
    with capture(execute=True):
        return client.post(ask_url(practice), {"message": message})


def test_question_goes_to_the_citys_focal_points_and_coordinators(
    ana_client, ana, la_plata, network, mailoutbox, django_capture_on_commit_callbacks
):
    practice = network.practices["la-plata"]
    form = ana_client.get(ask_url(practice))
    assert form.status_code == 200
    response = ask(ana_client, practice, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == practice.get_absolute_url()
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "focal@laplata.example",
        "lucia@laplata.example",
    ]
    for mail in mailoutbox:
        assert mail.reply_to == ["ana@quilmes.example"]
        assert "¿Cómo organizaron las mesas?" in mail.body
    english = next(mail for mail in mailoutbox if mail.to == ["lucia@laplata.example"])
    assert "asks La Plata about the practice" in english.body
    question = Question.objects.get()
    assert (question.asked_by, question.practice, question.recipient_count) == (ana, practice, 2)
    # neither the form nor the page she returns to shows an address of La Plata
    page = ana_client.get(response["Location"]).content.decode() + form.content.decode()
    assert "laplata.example" not in page


def test_the_sixth_question_of_a_day_is_refused_and_kept(
    ana_client, la_plata, network, mailoutbox, django_capture_on_commit_callbacks
):
    practice = network.practices["la-plata"]
    for _n in range(5):
        assert (
            ask(ana_client, practice, capture=django_capture_on_commit_callbacks).status_code == 302
        )
    sent = len(mailoutbox)
    response = ask(ana_client, practice, "Una más", capture=django_capture_on_commit_callbacks)
    assert response.status_code == 429
    assert "Una más" in response.content.decode()
    assert len(mailoutbox) == sent and Question.objects.count() == 5


def test_the_daily_limit_is_a_setting(
    settings, ana_client, la_plata, network, django_capture_on_commit_callbacks
):
    settings.PEERS_QUESTIONS_PER_DAY = 1
    practice = network.practices["la-plata"]
    assert ask(ana_client, practice, capture=django_capture_on_commit_callbacks).status_code == 302
    assert ask(ana_client, practice, capture=django_capture_on_commit_callbacks).status_code == 429


def test_an_empty_question_shows_the_error_and_sends_nothing(
    ana_client, la_plata, network, mailoutbox
):
    response = ana_client.post(ask_url(network.practices["la-plata"]), {"message": "  "})
    assert response.status_code == 200 and "message" in response.context["form"].errors
    assert not mailoutbox and not Question.objects.exists()


def test_a_city_without_contacts_cannot_be_asked(ana_client, network, mailoutbox):
    response = ana_client.post(ask_url(network.practices["montevideo"]), {"message": "Hola"})
    assert response.status_code == 200
    assert "no tiene un contacto" in response.content.decode()
    assert not Question.objects.exists() and not mailoutbox


def test_who_may_ask(visitor, ana_client, la_plata, network, client):
    assert visitor.get(ask_url(network.practices["la-plata"])).status_code == 302
    # a city's own coordinators do not write to themselves
    assert ana_client.get(ask_url(network.practices["own"])).status_code == 403
    # a draft stays hidden
    assert ana_client.get(ask_url(network.practices["draft"])).status_code == 404
    # a signed-in account that is not a member of the network
    client.force_login(UserFactory(email="nobody@example.org"))
    assert client.get(ask_url(network.practices["la-plata"])).status_code == 403


def test_the_practice_page_offers_the_question_to_members_only(ana_client, visitor, network):
    practice = network.practices["la-plata"]
    assert ask_url(practice) in ana_client.get(practice.get_absolute_url()).content.decode()
    public = visitor.get(practice.get_absolute_url()).content.decode()
    assert ask_url(practice) not in public and "/accounts/login/?next=" in public


# --- funding calls -------------------------------------------------------------------------


@pytest.fixture
def call(city_a, city_b, la_plata):
    call = make_funding_call("Fondo para la niñez")
    for city in (city_a, city_b, la_plata):
        FundingInterest.objects.create(call=call, city=city)
    return call


def test_an_interested_city_writes_to_the_other_interested_cities(
    ana_client, ana, bruno, call, city_a, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("peers:ask_interested", kwargs={"slug": call.slug})
    assert url in ana_client.get(call.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = ana_client.post(url, {"city": city_a.pk, "message": "¿Postulamos juntos?"})
    assert response.status_code == 302
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "bruno@portoalegre.example",
        "focal@laplata.example",
        "lucia@laplata.example",
    ]
    assert all(mail.reply_to == ["ana@quilmes.example"] for mail in mailoutbox)
    question = Question.objects.get()
    assert (question.call, question.from_city, question.recipient_count) == (call, city_a, 3)


def test_a_city_not_interested_cannot_write(ana_client, city_a, network):
    call = make_funding_call("Otro fondo")
    url = reverse("peers:ask_interested", kwargs={"slug": call.slug})
    assert ana_client.get(url).status_code == 403
    assert url not in ana_client.get(call.get_absolute_url()).content.decode()
