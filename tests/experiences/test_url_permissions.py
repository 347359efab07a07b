"""One permission matrix over every experiences URL that changes data, read from the URL
conf: a new view lands here by itself and must refuse anonymous visitors and outsiders."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from experiences import services
from experiences import urls as practice_urls
from experiences.models import Practice, PracticeAttachment
from tests.experiences.conftest import PDF_BYTES, form_data

# Pages that only read; every other route changes data.
READ_ONLY = {"list", "detail", "feed", "attachment"}
CHANGING = sorted({p.name for p in practice_urls.urlpatterns} - READ_ONLY)


def test_the_matrix_covers_every_route():
    assert set(CHANGING) == {
        "create",
        "edit",
        "submit",
        "publish",
        "request_changes",
        "archive",
        "unpublish",
        "restore",
        "feature",
        "revision_approve",
        "revision_reject",
    }


@pytest.fixture
def target(published, ana, media):
    attachment = services.attachment_add(
        practice=published, user=ana, upload=SimpleUploadedFile("a.pdf", PDF_BYTES)
    )
    return published, attachment


def url_for(name, practice, attachment):
    pattern = next(p for p in practice_urls.urlpatterns if p.name == name)
    kwargs = {}
    if "slug" in pattern.pattern.converters:
        kwargs["slug"] = practice.slug
    if "pk" in pattern.pattern.converters:
        kwargs["pk"] = attachment.pk
    with translation.override("en"):
        return reverse(f"experiences:{name}", kwargs=kwargs)


def snapshot(practice):
    row = Practice.objects.get(pk=practice.pk)
    return (
        Practice.objects.count(),
        PracticeAttachment.objects.count(),
        row.status,
        row.version,
        row.featured,
        row.title,
        row.updated_at,
    )


def payload(name, practice):
    if name in ("create", "edit"):
        return form_data(practice, title="Cambiado", action="publish")
    return {"comment": "Cambiar", "featured": "1"}


@pytest.mark.parametrize("name", CHANGING)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitor_is_sent_to_log_in_and_nothing_changes(visitor, target, name, method):
    practice, attachment = target
    before = snapshot(practice)
    url = url_for(name, practice, attachment)
    response = getattr(visitor, method)(url, payload(name, practice))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert snapshot(practice) == before


@pytest.mark.parametrize("name", [n for n in CHANGING if n != "create"])
def test_outsider_coordinator_is_refused_and_nothing_changes(bruno_client, target, name):
    practice, attachment = target
    before = snapshot(practice)
    response = bruno_client.post(url_for(name, practice, attachment), payload(name, practice))
    assert response.status_code in (403, 404)
    assert snapshot(practice) == before


@pytest.mark.parametrize("name", [n for n in CHANGING if n != "create"])
def test_outsider_cannot_even_find_a_draft(bruno_client, draft, media, ana, name):
    attachment = services.attachment_add(
        practice=draft, user=ana, upload=SimpleUploadedFile("a.pdf", PDF_BYTES)
    )
    before = snapshot(draft)
    response = bruno_client.post(url_for(name, draft, attachment), payload(name, draft))
    assert response.status_code == 404
    assert snapshot(draft) == before


def test_create_is_refused_to_a_user_without_cities(client, target):
    from tests.factories import UserFactory

    practice, attachment = target
    client.force_login(UserFactory())
    before = snapshot(practice)
    response = client.post(url_for("create", practice, attachment), payload("create", practice))
    assert response.status_code == 403
    assert snapshot(practice) == before


@pytest.mark.parametrize("name", sorted(READ_ONLY))
def test_read_only_routes_refuse_to_write(visitor, target, name):
    practice, attachment = target
    response = visitor.post(url_for(name, practice, attachment), {})
    assert response.status_code == 405


def test_every_form_carries_a_csrf_token(ana_client, draft):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(draft.author)
    assert strict.post(f"/en/practices/{draft.slug}/submit/").status_code == 403
    for url in (
        f"/en/practices/{draft.slug}/",
        f"/en/practices/{draft.slug}/edit/",
        "/en/practices/new/",
    ):
        html = ana_client.get(url).content.decode()
        assert html.count('method="post"') <= html.count("csrfmiddlewaretoken")
