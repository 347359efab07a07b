"""Requests the tests make through Django's test client, written once."""

from django.core.cache import cache
from django.test import Client

from tests.conftest import totp_code

TEST_BROWSER = "Test browser"


def page_html(client, path: str, data=None) -> str:
    """The page at `path` as text; fails unless it answers 200."""
    response = client.get(path, data)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    return response.content.decode()


def log_in(email, password, *, address="203.0.113.7", agent=TEST_BROWSER) -> Client:
    """A browser that logged in through the real form and the two-factor step."""
    client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    response = client.post("/en/accounts/login/", {"login": email, "password": password})
    assert response["Location"].startswith("/en/accounts/2fa/authenticate/")
    cache.clear()  # a code is accepted once: forget that an earlier login in this test used it
    response = client.post("/en/accounts/2fa/authenticate/", {"code": totp_code()})
    assert response.status_code == 302
    return client


def user_of(client):
    """Who the portal takes the browser's session for (anonymous once it has ended)."""
    return client.get("/en/").context["user"]


NEW_PASSWORD = "a-new-long-secret"


def change_password(client, old_password):
    """Posts the password change form as its owner fills it in, choosing NEW_PASSWORD."""
    return client.post(
        "/en/accounts/password/change/",
        {"oldpassword": old_password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def assert_shows(text: str, *phrases: str) -> None:
    """Fails naming the first of `phrases` that `text` (a page, a body) does not contain."""
    for phrase in phrases:
        assert phrase in text, f"{phrase!r} is missing"


def assert_lacks(text: str, *phrases: str) -> None:
    """Fails naming the first of `phrases` that `text` (a page, a body) does contain."""
    for phrase in phrases:
        assert phrase not in text, f"{phrase!r} is present"
