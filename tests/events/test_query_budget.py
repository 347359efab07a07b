"""Query budgets: the list, the detail page and the calendar feed cost the same whatever the
number of events, documents and registrations."""

import pytest
from django.core.files.base import ContentFile

from events.models import EventDocument
from tests.events.conftest import make_event, make_registration, url
from tests.factories import CityFactory, UserFactory

pytestmark = pytest.mark.django_db

BUDGET = 12


def populate(size, city_a, coordinator, tmp_path):
    """`size` events, each with a host city, `size` documents and `size` registrations."""
    events = []
    for n in range(size):
        event = make_event(host_city=CityFactory(), capacity=100)
        for m in range(size):
            document = EventDocument(
                event=event,
                kind="agenda",
                title=f"Doc {m}",
                original_name="a.pdf",
                content_type="application/pdf",
                size=10,
            )
            document.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=True)
            make_registration(event, CityFactory(), user=UserFactory(), delegates=2)
        if n == 0:
            make_registration(event, city_a, user=coordinator, delegates=2)
        events.append(event)
    return events


@pytest.mark.parametrize("size", [1, 6])
def test_pages_stay_within_budget(
    size,
    ana,
    ana_client,
    visitor,
    sofia_client,
    city_a,
    settings,
    tmp_path,
    django_assert_max_num_queries,
):
    settings.MEDIA_ROOT = tmp_path
    events = populate(size, city_a, ana, tmp_path)
    first = events[0]
    # N+1 guarded: host city and working group of every card (select_related).
    with django_assert_max_num_queries(BUDGET):
        assert visitor.get(url("events:list")).status_code == 200
    # N+1 guarded: documents of the event, delegates of the coordinator's registrations.
    for client in (visitor, ana_client, sofia_client):
        with django_assert_max_num_queries(BUDGET):
            assert client.get(url("events:detail", slug=first.slug)).status_code == 200
    # N+1 guarded: host city of each VEVENT's location.
    with django_assert_max_num_queries(BUDGET):
        assert visitor.get(url("events:calendar")).status_code == 200
    # N+1 guarded: delegates of each registration on the secretariat's page.
    with django_assert_max_num_queries(BUDGET):
        assert sofia_client.get(url("events:registrations", slug=first.slug)).status_code == 200
    with django_assert_max_num_queries(BUDGET):
        assert sofia_client.get(url("events:participation")).status_code == 200
