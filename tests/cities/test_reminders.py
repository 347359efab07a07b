"""`remind_focal_points`: one e-mail per coordinator about their cities' stale contacts."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from cities.models import FOCAL_POINT_STALE_AFTER
from tests.factories import CityCoordinatorFactory, CityFactory, FocalPointFactory, UserFactory


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


STALE = FOCAL_POINT_STALE_AFTER.days + 1


def run(*args):
    """The command's report, read in English (an operator's shell may be in any language)."""
    out = io.StringIO()
    with translation.override("en"):
        call_command("remind_focal_points", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def stale_cities(ana, bruno, city_a, city_b):
    """Quilmes and Porto Alegre have stale contacts; ana also coordinates Avellaneda."""
    avellaneda = CityFactory(name="Avellaneda", slug="avellaneda-ar")
    CityCoordinatorFactory(user=ana, city=avellaneda)
    FocalPointFactory(city=city_a, name="Old Quilmes", last_confirmed_on=days_ago(STALE))
    FocalPointFactory(city=city_a, name="Fresh Quilmes", last_confirmed_on=days_ago(10))
    FocalPointFactory(city=avellaneda, name="Old Avellaneda", last_confirmed_on=days_ago(900))
    FocalPointFactory(city=city_b, name="Old Porto Alegre", last_confirmed_on=days_ago(STALE))
    return avellaneda


def test_each_coordinator_gets_one_email_listing_all_their_stale_cities(
    stale_cities, mailoutbox, settings
):
    settings.PORTAL_URL = "https://utds.example"
    output = run()
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert sorted(by_address) == ["ana@quilmes.example", "bruno@portoalegre.example"]
    assert len(mailoutbox) == 2

    ana_mail = by_address["ana@quilmes.example"].body
    assert "Avellaneda" in ana_mail and "Quilmes" in ana_mail
    assert "Old Quilmes" in ana_mail and "Old Avellaneda" in ana_mail
    assert "Fresh Quilmes" not in ana_mail
    assert "Porto Alegre" not in ana_mail
    # Spanish (ana) links have no prefix; Portuguese (bruno) links carry /pt-br/.
    assert "https://utds.example/cities/quilmes-ar/edit/" in ana_mail
    bruno_mail = by_address["bruno@portoalegre.example"].body
    assert "https://utds.example/pt-br/cities/porto-alegre-br/edit/" in bruno_mail
    assert "Old Porto Alegre" in bruno_mail

    assert "2 reminders sent." in output
    assert "Cities with stale contacts and a coordinator: 3." in output


def test_english_reminder_is_written_in_english(city_a, mailoutbox):
    user = UserFactory(email="eve@quilmes.example", name="Eve", language="en")
    CityCoordinatorFactory(user=user, city=city_a)
    FocalPointFactory(city=city_a, name="Old", last_confirmed_on=days_ago(STALE))
    run()
    (mail,) = mailoutbox
    assert mail.subject == "[UTDS Mercociudades] Please confirm your cities' contacts"
    assert "Dear Eve," in mail.body
    assert "/en/cities/quilmes-ar/edit/" in mail.body


def test_fresh_contacts_send_nothing(ana, city_a, mailoutbox):
    FocalPointFactory(city=city_a, last_confirmed_on=days_ago(FOCAL_POINT_STALE_AFTER.days))
    output = run()
    assert mailoutbox == []
    assert "0 reminders sent." in output


def test_inactive_coordinators_and_former_members_are_left_out(ana, city_a, mailoutbox):
    ana.is_active = False
    ana.save(update_fields=["is_active"])
    former = CityFactory(name="Ex Ciudad", slug="ex-ciudad-ar", status="former")
    CityCoordinatorFactory(user=UserFactory(), city=former)
    FocalPointFactory(city=city_a, last_confirmed_on=days_ago(STALE))
    FocalPointFactory(city=former, last_confirmed_on=days_ago(STALE))
    output = run()
    assert mailoutbox == []
    assert "Quilmes has stale contacts but no coordinator to remind." in output
    assert "Ex Ciudad" not in output


def test_dry_run_counts_without_sending(stale_cities, mailoutbox):
    output = run("--dry-run")
    assert mailoutbox == []
    assert "Dry run: 2 reminders would be sent." in output
