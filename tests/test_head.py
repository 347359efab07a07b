"""HEAD answers every page that answers GET, with the same status and headers and no body
(link checkers, uptime monitors and caches ask with HEAD first).

The routes, their objects and the roles are those of the permission matrix
(tests/test_permission_matrix.py): every URL of the portal, read from the URL conf, and
allauth's pages, as a visitor, a coordinator of another city, the owner and the secretariat.
"""

import pytest
from django.db import transaction

from tests import test_permission_matrix as matrix

# The matrix's fixtures: its world of objects, built once, and a client per role.
world = matrix.world
clients = matrix.clients


def get_and_head(client, path):
    """The GET and HEAD answers, each in a savepoint rolled back after it."""
    answers = []
    for method in (client.get, client.head):
        with transaction.atomic():
            answers.append(method(path))
            transaction.set_rollback(True)
    return answers


def differences(clients, path) -> list[str]:
    wrong = []
    for role in matrix.ROLES:
        got, head = get_and_head(clients[role], path)
        if head.status_code != got.status_code:
            wrong.append(f"HEAD {path} as {role}: {head.status_code}, GET gives {got.status_code}")
            continue
        body = b"".join(head.streaming_content) if head.streaming else head.content
        if body:
            wrong.append(f"HEAD {path} as {role}: a body of {len(body)} bytes")
        for header in ("Content-Type", "Location", "Content-Disposition"):
            if head.get(header) != got.get(header):
                wrong.append(f"HEAD {path} as {role}: {header} {head.get(header)!r}")
    return wrong


def get_cases():
    """The portal's routes that answer GET to someone (405 to everyone: POST only)."""
    return [case for case in matrix.portal_cases() if case.values[1].get != (405, 405, 405, 405)]


@pytest.mark.parametrize(("key", "rule"), get_cases())
def test_head_answers_like_get(key, rule, world, clients):
    wrong = differences(clients, matrix.path_of(key, rule, world))
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("key", "route"), matrix.ALLAUTH_ROUTES, ids=[k for k, _r in matrix.ALLAUTH_ROUTES]
)
def test_head_answers_like_get_on_allauth_pages(key, route, world, clients):
    path = matrix.ALLAUTH_KWARGS.get(key) or "/en/" + route
    wrong = differences(clients, path)
    assert not wrong, "\n".join(wrong)
