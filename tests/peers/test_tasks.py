"""The peers tasks through the real queue and worker: `refresh_peers --queue` defers the
refresh, a worker runs it; the daily digest task mails through the mail task."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from peers.models import CityComparability, Follow, Subscriber
from peers.tasks import send_digests
from tests.experiences.conftest import make_practice  # noqa: F401
from tests.factories import CityFactory
from tests.tasks.conftest import mail_server, run_worker  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_queued_refresh_is_run_by_a_worker(mail_server):  # noqa: F811
    CityFactory(slug="a-city")
    CityFactory(slug="b-city")
    call_command("refresh_peers", "--queue")
    assert not CityComparability.objects.exists()  # only queued
    run_worker()
    assert CityComparability.objects.count() == 2


def test_the_digest_task_mails_through_the_queue(mail_server, make_practice, city_a):  # noqa: F811
    subscriber = Subscriber.objects.create(
        email="lea@example.org",
        language="en",
        confirmed_at=timezone.now() - datetime.timedelta(days=30),
    )
    Follow.objects.create(
        subscriber=subscriber, kind="city", key=city_a.slug, confirmed_at=timezone.now()
    )
    make_practice(title="Huertas", city=city_a)
    send_digests.defer(timestamp=0)
    run_worker()
    (mail,) = mail_server.outbox
    assert mail.to == ["lea@example.org"] and "Huertas" in mail.body
    assert "List-Unsubscribe" in mail.extra_headers
