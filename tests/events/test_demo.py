import pytest

from events import demo
from events.models import Event, Registration
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_marked_as_sample(ana, bruno):
    for slug in ("montevideo-uy", "villa-carlos-paz-ar"):
        CityFactory(slug=slug)
    assert demo.seed() == 4
    assert demo.seed() == 0
    events = Event.objects.all()
    assert events.count() == 4
    assert all(e.is_sample and e.title.startswith("[Ejemplo]") for e in events)
    assert events.filter(ends_at__lt=demo.timezone.now()).count() == 2
    assert Registration.objects.filter(registered_by=ana).exists()
    assert Registration.objects.filter(registered_by=bruno).exists()
    summit = Event.objects.get(slug="ejemplo-cumbre-social")
    assert summit.kind == "summit" and summit.host_city.slug == "montevideo-uy"
    assert Event.objects.get(slug="ejemplo-reunion-derechos-humanos").kind == "meeting"


def test_seed_without_demo_cities_still_works():
    assert demo.seed() == 4
    assert not Registration.objects.exists()
