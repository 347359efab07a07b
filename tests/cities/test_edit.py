"""The coordinators' form /cities/<slug>/edit/: summary, website and focal points."""

import datetime
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone

from cities.models import FocalPoint
from tests.factories import FocalPointFactory

URL = "/en/cities/{}/edit/"
TODAY = timezone.localdate


class _FormReader(HTMLParser):
    """What a browser would submit from the page's edit form, as a dict."""

    def __init__(self):
        super().__init__()
        self.data, self._textarea, self._select = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            elif attrs.get("type") != "submit":
                self.data[name] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += (
                data.lstrip("\n") if not self.data[self._textarea] else data
            )


def form_data(client, city):
    response = client.get(URL.format(city.slug))
    assert response.status_code == 200
    reader = _FormReader()
    reader.feed(response.content.decode().split('class="form city-edit-form"')[1])
    reader.data.pop("csrfmiddlewaretoken", None)
    return reader.data


def _untick(data, name):
    data.pop(name, None)
    return data


@pytest.fixture
def marta(city_a):
    return FocalPointFactory(
        city=city_a,
        name="Marta Gómez",
        email="marta@quilmes.example",
        phone="+54 11 4350 1111",
        is_primary=True,
        last_confirmed_on=datetime.date(2020, 3, 1),
    )


@pytest.fixture
def luis(city_a):
    return FocalPointFactory(
        city=city_a,
        name="Luis Paz",
        email="luis@quilmes.example",
        last_confirmed_on=datetime.date(2021, 5, 1),
    )


# --- who may open and send the form -------------------------------------------------------


def test_visitor_is_sent_to_log_in_and_nothing_is_saved(visitor, city_a):
    response = visitor.get(URL.format(city_a.slug))
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")
    response = visitor.post(URL.format(city_a.slug), {"summary": "Hacked"})
    assert response.status_code == 302
    city_a.refresh_from_db()
    assert city_a.summary == ""


def test_coordinator_of_another_city_is_forbidden_and_nothing_is_saved(
    bruno_client, ana_client, city_a
):
    data = form_data(ana_client, city_a)
    assert bruno_client.get(URL.format(city_a.slug)).status_code == 403
    data["summary"] = "Written by Porto Alegre"
    assert bruno_client.post(URL.format(city_a.slug), data).status_code == 403
    city_a.refresh_from_db()
    assert city_a.summary == ""


def test_unknown_city_answers_404(ana_client, db):
    assert ana_client.get(URL.format("atlantis")).status_code == 404


def test_owner_sees_the_form_with_the_current_values(ana_client, city_a, marta):
    response = ana_client.get(URL.format(city_a.slug))
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Edit Quilmes" in html
    assert 'value="marta@quilmes.example"' in html
    assert "csrfmiddlewaretoken" in html
    assert "These contacts are still correct" in html


def test_owner_saves_summary_website_and_a_new_contact(ana_client, city_a):
    data = form_data(ana_client, city_a)
    data.update(
        {
            "summary": "A city south of Buenos Aires.",
            "website": "https://www.quilmes.gov.ar/",
            "contacts-0-name": "Nuevo Contacto",
            "contacts-0-position": "Director",
            "contacts-0-email": "nuevo@quilmes.example",
            "contacts-0-phone": "+54 (11) 4350-0000",
            "contacts-0-is_primary": "on",
        }
    )
    response = ana_client.post(URL.format(city_a.slug), data, follow=True)
    assert response.redirect_chain[-1][0] == "/en/cities/quilmes-ar/"
    assert "The profile of Quilmes was saved." in response.content.decode()
    city_a.refresh_from_db()
    assert city_a.summary == "A city south of Buenos Aires."
    assert city_a.website == "https://www.quilmes.gov.ar/"
    contact = FocalPoint.objects.get(city=city_a)
    assert (contact.name, contact.phone, contact.is_primary) == (
        "Nuevo Contacto",
        "+54 (11) 4350-0000",
        True,
    )
    assert contact.last_confirmed_on == TODAY()


def test_secretariat_may_edit_any_city(sofia_client, city_b):
    data = form_data(sofia_client, city_b)
    data["summary"] = "Capital of Rio Grande do Sul."
    response = sofia_client.post(URL.format(city_b.slug), data)
    assert response.status_code == 302
    city_b.refresh_from_db()
    assert city_b.summary == "Capital of Rio Grande do Sul."


def test_website_without_scheme_is_taken_as_https(ana_client, city_a):
    data = form_data(ana_client, city_a)
    data["website"] = "www.quilmes.gov.ar"
    assert ana_client.post(URL.format(city_a.slug), data).status_code == 302
    city_a.refresh_from_db()
    assert city_a.website == "https://www.quilmes.gov.ar"


def test_form_without_csrf_token_is_refused(ana, city_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ana)
    response = client.post(URL.format(city_a.slug), {"summary": "No token"})
    assert response.status_code == 403
    city_a.refresh_from_db()
    assert city_a.summary == ""


# --- invalid input: errors shown, nothing lost, nothing saved ------------------------------


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("call me", "Use only digits, spaces, +, - and parentheses."),
        ("+54 11 4350 0000 ext. 2", "Use only digits, spaces, +, - and parentheses."),
        ("12345", "A phone number has between 6 and 20 digits."),
        ("+" + "1" * 21, "A phone number has between 6 and 20 digits."),
    ],
)
def test_invalid_phone_is_refused_beside_the_field_and_nothing_is_saved(
    ana_client, city_a, marta, phone, message
):
    data = form_data(ana_client, city_a)
    data.update({"summary": "Changed", "contacts-0-phone": phone})
    response = ana_client.post(URL.format(city_a.slug), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'id="id_contacts-0-phone_error"' in html
    assert "Please correct the errors below." in html
    assert "Changed" in html  # what was typed is still there
    city_a.refresh_from_db()
    marta.refresh_from_db()
    assert city_a.summary == ""
    assert marta.phone == "+54 11 4350 1111"


def test_invalid_email_and_website_are_refused(ana_client, city_a, marta):
    data = form_data(ana_client, city_a)
    data.update({"website": "not a site", "contacts-0-email": "marta-at-quilmes"})
    response = ana_client.post(URL.format(city_a.slug), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"website"}
    assert set(response.context["formset"].forms[0].errors) == {"email"}
    marta.refresh_from_db()
    assert marta.email == "marta@quilmes.example"


def test_two_primary_contacts_are_refused_with_a_readable_message(ana_client, city_a, marta, luis):
    data = form_data(ana_client, city_a)
    luis_prefix = "contacts-1" if data["contacts-1-id"] == str(luis.pk) else "contacts-0"
    data[f"{luis_prefix}-is_primary"] = "on"
    response = ana_client.post(URL.format(city_a.slug), data)
    assert response.status_code == 200
    assert "Only one contact can be the primary contact." in response.content.decode()
    luis.refresh_from_db()
    assert luis.is_primary is False


def test_confirmation_date_in_the_future_is_refused(ana_client, city_a, marta):
    data = form_data(ana_client, city_a)
    data["contacts-0-last_confirmed_on"] = (TODAY() + datetime.timedelta(days=3)).isoformat()
    response = ana_client.post(URL.format(city_a.slug), data)
    assert "The confirmation date cannot be in the future." in response.content.decode()
    marta.refresh_from_db()
    assert marta.last_confirmed_on == datetime.date(2020, 3, 1)


def test_new_contact_without_a_name_is_refused(ana_client, city_a):
    data = form_data(ana_client, city_a)
    data["contacts-0-email"] = "someone@quilmes.example"
    response = ana_client.post(URL.format(city_a.slug), data)
    assert response.status_code == 200
    assert "name" in response.context["formset"].forms[0].errors
    assert not FocalPoint.objects.exists()


# --- contacts: primary, delete, confirm ----------------------------------------------------


def test_primary_moves_from_one_contact_to_another_in_one_save(ana_client, city_a, marta, luis):
    data = form_data(ana_client, city_a)
    for index in (0, 1):
        prefix = f"contacts-{index}"
        if data[f"{prefix}-id"] == str(luis.pk):
            data[f"{prefix}-is_primary"] = "on"
        else:
            _untick(data, f"{prefix}-is_primary")
    assert ana_client.post(URL.format(city_a.slug), data).status_code == 302
    marta.refresh_from_db()
    luis.refresh_from_db()
    assert (marta.is_primary, luis.is_primary) == (False, True)


def test_contact_can_be_deleted(ana_client, city_a, marta, luis):
    data = form_data(ana_client, city_a)
    prefix = "contacts-0" if data["contacts-0-id"] == str(marta.pk) else "contacts-1"
    data[f"{prefix}-DELETE"] = "on"
    assert ana_client.post(URL.format(city_a.slug), data).status_code == 302
    assert list(FocalPoint.objects.filter(city=city_a)) == [luis]


def test_saving_unchanged_contacts_keeps_their_dates(ana_client, city_a, marta):
    data = form_data(ana_client, city_a)
    assert ana_client.post(URL.format(city_a.slug), data).status_code == 302
    marta.refresh_from_db()
    assert marta.last_confirmed_on == datetime.date(2020, 3, 1)


def test_still_correct_box_confirms_every_contact_today(ana_client, city_a, marta, luis):
    data = form_data(ana_client, city_a)
    data["confirm_contacts"] = "on"
    assert ana_client.post(URL.format(city_a.slug), data).status_code == 302
    marta.refresh_from_db()
    luis.refresh_from_db()
    assert marta.last_confirmed_on == TODAY()
    assert luis.last_confirmed_on == TODAY()


def test_changing_a_contact_counts_as_confirming_it(ana_client, city_a, marta, luis):
    data = form_data(ana_client, city_a)
    prefix = "contacts-0" if data["contacts-0-id"] == str(marta.pk) else "contacts-1"
    data[f"{prefix}-phone"] = "+54 11 4350 9999"
    assert ana_client.post(URL.format(city_a.slug), data).status_code == 302
    marta.refresh_from_db()
    luis.refresh_from_db()
    assert (marta.phone, marta.last_confirmed_on) == ("+54 11 4350 9999", TODAY())
    assert luis.last_confirmed_on == datetime.date(2021, 5, 1)


def test_contacts_of_another_city_cannot_be_changed_through_this_form(
    ana_client, city_a, city_b, marta
):
    other = FocalPointFactory(city=city_b, name="Bruna", email="bruna@poa.example")
    data = form_data(ana_client, city_a)
    data["contacts-0-id"] = str(other.pk)
    data["contacts-0-email"] = "taken@quilmes.example"
    ana_client.post(URL.format(city_a.slug), data)
    other.refresh_from_db()
    assert (other.city, other.email) == (city_b, "bruna@poa.example")
    assert FocalPoint.objects.count() == 2
