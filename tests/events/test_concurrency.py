"""Two registrations at once for the last seats: the event row lock lets only one through."""

import threading

import pytest
from django.db import connection

from events.models import Registration
from events.services import DelegateData, registration_create


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_registrations_cannot_overbook(ana, bruno, event, city_a, city_b):
    barrier = threading.Barrier(2)
    errors = []
    people = [DelegateData(f"P{n}", "", f"p{n}@x.example") for n in range(3)]

    def register(user, city):
        try:
            barrier.wait(timeout=10)
            registration_create(event=event, city=city, user=user, delegates=people)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection

    threads = [
        threading.Thread(target=register, args=(ana, city_a)),
        threading.Thread(target=register, args=(bruno, city_b)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    statuses = sorted(Registration.objects.values_list("status", flat=True))
    assert statuses == ["confirmed", "waiting"]  # 3 + 3 delegates never fit in 4 seats
    assert sum(Registration.objects.confirmed().values_list("attendees", flat=True)) <= 4
