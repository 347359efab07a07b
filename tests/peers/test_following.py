"""Follows and digests: double opt-in for visitors, members at once, the digest in the
reader's language with one-click unsubscribe, nothing sent when nothing is new,
unconfirmed addresses deleted after a week, the join form's abuse protections."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from peers import following, tasks
from peers.models import Follow, Subscriber, Transfer

URL = "/en/peers/follow/?problem=child-poverty"


def post_follow(client, capture, url=URL, **data):
    with capture(execute=True):
        return client.post(url, {"email": "lea@example.org", "frequency": "weekly", **data})


def confirm_link(mail) -> str:
    return next(word for word in mail.body.split() if "/peers/follow/confirm/" in word)


def test_a_visitor_confirms_by_e_mail_before_anything_counts(
    visitor, network, mailoutbox, django_capture_on_commit_callbacks
):
    assert visitor.get(URL).status_code == 200
    response = post_follow(visitor, django_capture_on_commit_callbacks)
    assert response.status_code == 200 and "Check your inbox" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.confirmed_at is None and subscriber.language == "en"
    (mail,) = mailoutbox
    assert mail.to == ["lea@example.org"] and "child poverty" in mail.body
    path = confirm_link(mail).removeprefix("http://testserver").split("testserver")[-1]
    path = path[path.index("/en/") :]
    assert visitor.get(path).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None  # opening the link confirms nothing
    assert visitor.post(path).status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None
    assert subscriber.follows.get().confirmed_at is not None


def test_a_member_follows_with_her_account_at_once(
    ana_client, ana, network, mailoutbox, django_capture_on_commit_callbacks
):
    response = post_follow(ana_client, django_capture_on_commit_callbacks, email=ana.email)
    assert "You now follow" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.user == ana and subscriber.confirmed_at is not None
    assert not mailoutbox


def test_unknown_topic_is_404(visitor, network):
    assert visitor.get("/en/peers/follow/?problem=nope").status_code == 404


def test_follow_without_a_topic_leads_to_the_directory(visitor, network):
    # The language switcher drops the query string: no broken link, the cities to follow.
    response = visitor.get("/en/peers/follow/")
    assert response.status_code == 302
    assert response["Location"] == "/en/cities/"


def test_honeypot_is_dropped_quietly(
    visitor, network, mailoutbox, django_capture_on_commit_callbacks
):
    response = post_follow(visitor, django_capture_on_commit_callbacks, homepage="http://spam")
    assert response.status_code == 200
    assert not Subscriber.objects.exists() and not mailoutbox


def test_the_sixth_request_of_an_hour_is_refused(
    visitor, network, mailoutbox, django_capture_on_commit_callbacks
):
    for n in range(5):
        post_follow(visitor, django_capture_on_commit_callbacks, email=f"p{n}@example.org")
    response = post_follow(visitor, django_capture_on_commit_callbacks, email="p6@example.org")
    assert response.status_code == 429
    assert Subscriber.objects.count() == 5


def test_invalid_address_shows_the_error(visitor, network):
    response = visitor.post(URL, {"email": "nope", "frequency": "weekly"})
    assert response.status_code == 200 and "email" in response.context["form"].errors
    assert not Subscriber.objects.exists()


@pytest.fixture
def lea(network):
    """A confirmed subscriber in Portuguese who follows child poverty and La Plata, her
    last digest three weeks ago."""
    subscriber = Subscriber.objects.create(
        email="lea@example.org",
        language="pt-br",
        confirmed_at=timezone.now() - datetime.timedelta(days=60),
        last_sent_at=timezone.now() - datetime.timedelta(days=21),
    )
    now = timezone.now()
    Follow.objects.create(
        subscriber=subscriber, kind="problem", key="child-poverty", confirmed_at=now
    )
    Follow.objects.create(subscriber=subscriber, kind="city", key="la-plata-ar", confirmed_at=now)
    return subscriber


def test_digest_lists_what_is_new_in_the_readers_language(
    lea, network, mailoutbox, django_capture_on_commit_callbacks
):
    Transfer.objects.create(
        practice=network.practices["la-plata"],
        city=network.cities["rosario"],
        started_on=datetime.date(2024, 1, 1),
        status="published",
        published_at=timezone.now(),
        contact_email="secret@rosario.example",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_digests(timestamp=0) == 1
    (mail,) = mailoutbox
    # new in three weeks: Quilmes's own (5 days) and Montevideo's (10 days) child-poverty
    # practices; Rosario took La Plata's practice
    assert "Plan CAIF" in mail.body and "Quilmes contra la pobreza" in mail.body
    assert "Primeira infância" not in mail.body  # 100 days old
    assert "Rosario took" not in mail.body and "Rosario adotou “Mesa de niñez”" in mail.body
    assert "/pt-br/practices/" in mail.body and "secret@" not in mail.body
    with translation.override("pt-br"):
        unsubscribe = reverse("peers:unsubscribe", kwargs={"token": lea.token})
    header = mail.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http") and header.endswith(f"{unsubscribe}>")
    assert unsubscribe in mail.body
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    lea.refresh_from_db()
    assert lea.last_sent_at > timezone.now() - datetime.timedelta(minutes=1)
    # the next run finds her not due
    assert following.digests_send() == 0


def test_nothing_new_sends_nothing(lea, network, mailoutbox):
    Subscriber.objects.filter(pk=lea.pk).update(
        last_sent_at=timezone.now() - datetime.timedelta(days=8)
    )
    Follow.objects.filter(subscriber=lea).update(key="unemployment")
    Follow.objects.filter(subscriber=lea, kind="city").delete()
    assert following.digests_send() == 0
    assert not mailoutbox


def test_one_click_unsubscribe_deletes_the_address(lea, client):
    url = reverse("peers:unsubscribe", kwargs={"token": lea.token})
    assert client.get(url).status_code == 200
    client_without_csrf = client
    client_without_csrf.handler.enforce_csrf_checks = True
    assert client_without_csrf.post(url).status_code == 200
    assert not Subscriber.objects.exists() and not Follow.objects.exists()
    assert client.get(url).status_code == 404


def test_unconfirmed_addresses_are_deleted_after_a_week(lea, network):
    old = Subscriber.objects.create(email="old@example.org", language="es")
    Subscriber.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    fresh = Subscriber.objects.create(email="fresh@example.org", language="es")
    pending = Follow.objects.create(subscriber=lea, kind="theme", key="migration")
    Follow.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    following.unconfirmed_delete()
    assert set(Subscriber.objects.values_list("email", flat=True)) == {lea.email, fresh.email}
    assert not Follow.objects.filter(pk=pending.pk).exists()
    assert lea.follows.count() == 2


def test_the_city_profile_links_to_following_it(visitor, network, city_a):
    with translation.override("en"):
        html = visitor.get(city_a.get_absolute_url()).content.decode()
    assert "/en/peers/follow/?city=quilmes-ar" in html


def test_a_member_sees_what_she_follows_on_her_profile(
    ana_client, ana, network, django_capture_on_commit_callbacks
):
    profile = "/en/accounts/profile/"
    assert "You follow nothing yet" in ana_client.get(profile).content.decode()
    post_follow(ana_client, django_capture_on_commit_callbacks, email=ana.email)
    html = ana_client.get(profile).content.decode()
    assert "A weekly digest" in html and "child-poverty" in html
    assert reverse("peers:unsubscribe", kwargs={"token": Subscriber.objects.get().token}) in html
