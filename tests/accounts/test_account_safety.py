"""Account safety people expect: changing the address with two-factor on, notices of
password and address changes, confirmations before ending a session or asking to be
deleted, a deletion request that shows, can be cancelled and is acknowledged, and sessions
named by browser, system and device."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.utils import translation
from zeal import zeal_ignore

from accounts.models import DeletionRequest
from accounts.sessions import describe_user_agent
from tests.http import change_password, log_in, user_of

CHROME_LINUX = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0"
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/125.0.6422.165 Mobile Safari/537.36"
)
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0"
)
SAFARI_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Safari/605.1.15"
)


@pytest.fixture(autouse=True)
def _portal_url(settings):
    settings.PORTAL_URL = "https://utds.example"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block and then the e-mails it queued for after the commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def sent_to(mailoutbox, address):
    return [message for message in mailoutbox if address in message.to]


# --- Changing the e-mail address with two-factor authentication on -----------------------


def test_changing_the_address_with_two_factor_on_asks_again_proves_the_new_one_then_notifies(
    ana, password, mailoutbox, committed
):
    old, new = ana.email, "ana.nueva@quilmes.example"
    browser = log_in(old, password)
    response = browser.post("/en/accounts/email/", {"email": new, "action_add": ""})
    # First the password again (allauth's reauthentication); nothing sent yet.
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/reauthenticate/")
    assert mailoutbox == []
    with committed():
        response = browser.post(response["Location"], {"password": password})
    assert response.status_code == 302
    # A link goes to the new address, in Ana's language; the old address stays until then.
    (link_mail,) = sent_to(mailoutbox, new)
    link = re.search(r"https://utds\.example(/accounts/confirm-email/[^\s]+/)", link_mail.body)
    ana.refresh_from_db()
    assert ana.email == old
    assert EmailAddress.objects.get(email=new).verified is False
    assert user_of(log_in(old, password, address="198.51.100.8")) == ana
    # allauth's confirmation reads the one address and its user twice: not an N+1 over rows.
    with zeal_ignore([{"model": "account.EmailAddress", "field": "*"}]), committed():
        page = browser.get(link.group(1))
        assert page.status_code == 200
        response = browser.post(link.group(1))
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.email == new
    assert list(EmailAddress.objects.filter(user=ana).values_list("email", "verified")) == [
        (new, True)
    ]
    # The old address is told, in Ana's language (Spanish).
    (notice,) = sent_to(mailoutbox, old)
    assert old in notice.body and new in notice.body
    assert notice.subject.startswith("[UTDS Mercociudades] ")
    assert f"Su dirección de correo electrónico se cambió de {old} a {new}." in notice.body
    # She logs in with the new address from now on, still with her app's code (allauth
    # looks the account up by address and by user: the same row read twice, not an N+1).
    with zeal_ignore([{"model": "accounts.User", "field": "get()"}]):
        assert user_of(log_in(new, password, address="198.51.100.9")) == ana


# --- Notices ----------------------------------------------------------------------------


def test_a_password_change_sends_a_notice_in_the_persons_language(
    ana, bruno, password, mailoutbox, committed
):
    for user, phrase in (
        (ana, "Su contraseña ha sido modificada."),
        (bruno, "Sua senha foi alterada."),
    ):
        browser = log_in(user.email, password)
        with committed():
            response = change_password(browser, password)
        assert response.status_code == 302
        (notice,) = sent_to(mailoutbox, user.email)
        assert phrase in notice.body, notice.body
        assert "203.0.113.7" in notice.body


# --- Asking to be deleted ----------------------------------------------------------------


def test_asking_to_be_deleted_is_confirmed_first_without_javascript(ana_client, ana, mailoutbox):
    profile = ana_client.get("/en/accounts/profile/").content.decode()
    assert 'href="/en/accounts/delete/"' in profile
    page = ana_client.get("/en/accounts/delete/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'method="post" action="/en/accounts/delete/"' in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert not DeletionRequest.objects.exists()
    assert mailoutbox == []


def test_a_deletion_request_is_acknowledged_to_the_person_and_the_secretariat_in_their_languages(
    bruno_client, bruno, sofia, mailoutbox, committed
):
    sofia.language = "en"
    sofia.save(update_fields=["language"])
    with committed():
        response = bruno_client.post("/pt-br/accounts/delete/")
    assert response.status_code == 302
    (to_person,) = sent_to(mailoutbox, bruno.email)
    assert "Recebemos o seu pedido de exclusão da conta" in to_person.subject
    assert "https://utds.example/pt-br/accounts/profile/" in to_person.body
    (to_secretariat,) = sent_to(mailoutbox, sofia.email)
    assert to_secretariat.subject.endswith("Account deletion requested by Bruno Carvalho")
    request = DeletionRequest.objects.get(user=bruno)
    assert f"https://utds.example/en/admin/accounts/deletionrequest/{request.pk}/change/" in (
        to_secretariat.body
    )
    # Asking again changes nothing and mails nobody.
    with committed():
        bruno_client.post("/pt-br/accounts/delete/")
    assert len(mailoutbox) == 2
    assert DeletionRequest.objects.filter(user=bruno).count() == 1


def test_a_pending_deletion_request_shows_on_the_profile_and_can_be_cancelled(ana_client, ana):
    ana_client.post("/en/accounts/delete/")
    html = ana_client.get("/en/accounts/profile/").content.decode()
    assert "Deletion requested" in html
    assert 'action="/en/accounts/delete/cancel/"' in html
    assert 'href="/en/accounts/delete/"' not in html
    # Cancelling is a POST; a GET does nothing.
    assert ana_client.get("/en/accounts/delete/cancel/").status_code == 405
    assert DeletionRequest.objects.filter(user=ana).exists()
    response = ana_client.post("/en/accounts/delete/cancel/", follow=True)
    assert "has been cancelled" in response.content.decode()
    assert not DeletionRequest.objects.filter(user=ana).exists()
    assert 'href="/en/accounts/delete/"' in ana_client.get("/en/accounts/profile/").content.decode()


def test_cancelling_never_touches_a_completed_request(ana_client, ana, sofia):
    from django.utils import timezone

    done = DeletionRequest.objects.create(user=ana, completed_at=timezone.now(), completed_by=sofia)
    ana_client.post("/en/accounts/delete/cancel/")
    assert DeletionRequest.objects.filter(pk=done.pk).exists()


# --- Sessions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("agent", "english", "spanish"),
    [
        (CHROME_LINUX, "Chrome on Linux", "Chrome en Linux"),
        (SAFARI_IPHONE, "Safari on iPhone", "Safari en iPhone"),
        (FIREFOX_WINDOWS, "Firefox on Windows", "Firefox en Windows"),
        (EDGE_WINDOWS, "Edge on Windows", "Edge en Windows"),
        (SAFARI_MAC, "Safari on Mac", "Safari en Mac"),
        (CHROME_ANDROID, "Chrome on Android (Samsung SM-S918B)", None),
        ("", "Unknown browser", "Navegador desconocido"),
    ],
)
def test_sessions_are_named_by_browser_system_and_device(agent, english, spanish):
    with translation.override("en"):
        assert describe_user_agent(agent) == english
    if spanish:
        with translation.override("es"):
            assert describe_user_agent(agent) == spanish


def test_the_sessions_page_names_each_browser_with_its_address_and_last_activity(ana, password):
    here = log_in(ana.email, password, agent=CHROME_LINUX)
    log_in(ana.email, password, address="198.51.100.2", agent=SAFARI_IPHONE)
    html = here.get("/en/accounts/sessions/").content.decode()
    assert "Chrome on Linux" in html and "Safari on iPhone" in html
    assert "203.0.113.7" in html and "198.51.100.2" in html
    assert "Last activity" in html
    assert "Log out of Safari on iPhone" in html
    assert "Log out of Chrome on Linux" not in html  # this browser logs out from the header


def test_ending_another_session_asks_first_and_only_the_post_ends_it(ana, password):
    here = log_in(ana.email, password, agent=CHROME_LINUX)
    phone = log_in(ana.email, password, address="198.51.100.2", agent=SAFARI_IPHONE)
    other = UserSession.objects.get(user=ana, ip="198.51.100.2")
    url = f"/en/accounts/sessions/{other.pk}/end/"
    page = here.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Safari on iPhone" in html and 'method="post"' in html
    assert user_of(phone) == ana
    response = here.post(url)
    assert response.status_code == 302
    assert not user_of(phone).is_authenticated
    assert user_of(here) == ana


def test_nobody_ends_someone_elses_session_or_their_own_current_one_this_way(ana, bruno, password):
    ana_browser = log_in(ana.email, password)
    bruno_browser = log_in(bruno.email, password, address="198.51.100.3")
    anas = UserSession.objects.get(user=ana)
    assert bruno_browser.get(f"/en/accounts/sessions/{anas.pk}/end/").status_code == 404
    assert bruno_browser.post(f"/en/accounts/sessions/{anas.pk}/end/").status_code == 404
    assert ana_browser.post(f"/en/accounts/sessions/{anas.pk}/end/").status_code == 404
    assert user_of(ana_browser) == ana
