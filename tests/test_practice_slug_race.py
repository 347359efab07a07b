"""Two practices created at once with the same title both get a slug: both compute the same
free slug, the second insert meets the unique index and takes the next free one."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection
from django.db.models.signals import pre_save

from experiences.models import Practice
from experiences.services import practice_create
from tests.experiences.conftest import SECTIONS


def draft_data(city, title="Mesas barriales"):
    return {
        "title": title,
        "city": city,
        "language": "es",
        "start_date": datetime.date(2015, 3, 1),
        **SECTIONS,
    }


def in_thread(work):
    """Run `work` on a thread of its own (its own database connection, committed on
    return) and hand back what it returned or raised."""
    outcome = {}

    def run():
        try:
            outcome["value"] = work()
        except Exception as error:  # reported by the caller's assertion
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.mark.django_db(transaction=True)
def test_a_slug_taken_between_its_choice_and_the_insert_is_replaced(ana, city_a):
    """Deterministic: when Ana's practice is about to be inserted with the slug computed
    for it, another request creates a practice with the same title and commits first."""
    fired = []

    def someone_else_first(sender, instance, **kwargs):
        if fired or instance.pk is not None:
            return
        fired.append(instance.slug)
        thread, outcome = in_thread(lambda: practice_create(user=ana, data=draft_data(city_a)))
        thread.join(timeout=30)
        assert "error" not in outcome, outcome

    pre_save.connect(someone_else_first, sender=Practice)
    try:
        mine = practice_create(user=ana, data=draft_data(city_a))
    finally:
        pre_save.disconnect(someone_else_first, sender=Practice)
    assert fired == ["mesas-barriales"]
    assert mine.slug == "mesas-barriales-2"
    assert sorted(Practice.objects.values_list("slug", flat=True)) == [
        "mesas-barriales",
        "mesas-barriales-2",
    ]
    assert mine.history.count() == 1  # the refused insert left no history behind


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_creates_with_one_title_both_get_a_slug(ana, sofia, city_a):
    """Two requests on two connections: each waits, slug chosen, until the other has chosen
    too, so both try the same slug at once."""
    barrier = threading.Barrier(2)
    waited = threading.local()

    def meet_the_other(sender, instance, **kwargs):
        if instance.pk is None and not getattr(waited, "done", False):
            waited.done = True
            barrier.wait(timeout=10)

    pre_save.connect(meet_the_other, sender=Practice)
    try:
        started = [
            in_thread(lambda user=user: practice_create(user=user, data=draft_data(city_a)))
            for user in (ana, sofia)
        ]
        for thread, _outcome in started:
            thread.join(timeout=30)
    finally:
        pre_save.disconnect(meet_the_other, sender=Practice)
    errors = [outcome.get("error") for _thread, outcome in started if "error" in outcome]
    assert errors == []
    slugs = sorted(outcome["value"].slug for _thread, outcome in started)
    assert slugs == ["mesas-barriales", "mesas-barriales-2"]


def test_another_integrity_error_is_not_hidden(ana, city_a):
    """Only a taken slug is retried: a row the database refuses for another reason is
    still refused."""
    data = draft_data(city_a)
    data["start_date"], data["end_date"] = datetime.date(2020, 1, 1), datetime.date(2019, 1, 1)
    with pytest.raises(IntegrityError):
        practice_create(user=ana, data=data)
