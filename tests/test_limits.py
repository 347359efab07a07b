"""Bad input at scale: oversized bodies refused before any view, uploads kept out of
memory, deep pagination answering the last page, exports of whole tables streamed."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.conf.urls.i18n import i18n_patterns
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.paginator import Page
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone

from cities.models import MembershipApplication
from experiences import uploads as attachment_limits
from tests.events.conftest import make_event
from tests.factories import CityFactory
from tests.unit.test_news import make_news
from tests.unit.test_review import make_call, make_practice

JOIN = "/en/cities/join/"
MB = 1024 * 1024


def test_the_limits_hold_together():
    # A practice form with its ten 10 MB attachments fits in a request (so a file too
    # large gets the form's message and nothing typed is lost); form fields and files
    # beyond 2.5 MB never sit in memory.
    assert django_settings.MAX_REQUEST_BYTES == 101 * MB
    assert 10 * attachment_limits.max_bytes() < django_settings.MAX_REQUEST_BYTES
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * MB
    assert django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * MB
    assert django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 2000


def test_a_declared_oversized_body_gets_413_in_the_frame_before_the_view(visitor, db):
    # Only the header says 102 MB: the body is never read, so the view never runs.
    response = visitor.post(JOIN, {"city_name": "Rosario"}, CONTENT_LENGTH=str(102 * MB))
    assert response.status_code == 413
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Request too large" in html
    assert "101.0\xa0MB" in html
    assert not MembershipApplication.objects.exists()


def test_a_real_oversized_upload_gets_413(visitor, db, settings):
    settings.MAX_REQUEST_BYTES = 2 * MB  # the rule, without building a 101 MB body
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (3 * MB), "application/pdf")
    response = visitor.post(JOIN, {"city_name": "Rosario", "file": upload})
    assert response.status_code == 413
    assert not MembershipApplication.objects.exists()


def test_the_413_page_speaks_the_language_of_the_address(visitor, db):
    response = visitor.post("/pt-br/cities/join/", {}, CONTENT_LENGTH=str(102 * MB))
    assert response.status_code == 413
    assert '<html lang="pt-br">' in response.content.decode()


def test_a_body_within_the_limit_reaches_the_view(visitor, db):
    response = visitor.post(JOIN, {"city_name": ""})
    assert response.status_code == 200  # the form again, with its errors


def test_form_fields_beyond_the_memory_limit_are_a_bad_request(visitor, db):
    response = visitor.post(JOIN, {"motivation": "x" * (3 * MB)})
    assert response.status_code == 400
    assert not MembershipApplication.objects.exists()


def test_too_many_form_fields_are_a_bad_request(visitor, db):
    response = visitor.post(JOIN, {f"field{n}": "x" for n in range(2001)})
    assert response.status_code == 400


# An upload over FILE_UPLOAD_MAX_MEMORY_SIZE goes to a temporary file, not to memory.
def _upload_kind(request):
    return HttpResponse(type(request.FILES["file"]).__name__)


urlpatterns = i18n_patterns(path("upload/", _upload_kind), prefix_default_language=False)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("size", "kind"),
    [(100 * 1024, "InMemoryUploadedFile"), (3 * MB, "TemporaryUploadedFile")],
)
def test_large_uploads_are_written_to_a_temporary_file(visitor, size, kind):
    upload = SimpleUploadedFile("data.csv", b"0" * size, "text/csv")
    response = visitor.post("/en/upload/", {"file": upload})
    assert response.content.decode() == kind


# --- deep pagination -------------------------------------------------------------------


def _page(response) -> Page:
    context = response.context  # a ContextList: iterating it yields contexts, not names
    names = context.keys()
    return next(context[name] for name in names if isinstance(context[name], Page))


def test_deep_page_of_the_city_directory_answers_the_last_page(visitor, db):
    for number in range(25):  # 24 a page: two pages
        CityFactory(name=f"Ciudad {number:02d}", slug=f"ciudad-{number:02d}")
    response = visitor.get("/en/cities/?page=100000")
    assert response.status_code == 200
    page = _page(response)
    assert (page.number, page.paginator.num_pages, len(page.object_list)) == (2, 2, 1)


@pytest.fixture
def one_of_each(city_a):
    now = timezone.now()
    make_practice(city_a, "Mesas barriales", published_at=now)
    make_event(title="Cumbre social", slug="cumbre-social")
    make_call(
        "Llamado de cooperación",
        opens_on=now.date(),
        closes_on=now.date() + datetime.timedelta(days=30),
    )
    make_news(title="Noticia de la red", slug="noticia-de-la-red")


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/en/practices/", "Mesas barriales"),
        ("/en/events/", "Cumbre social"),
        ("/en/funding/", "Llamado de cooperación"),
        ("/en/unit/news/", "Noticia de la red"),
    ],
)
@pytest.mark.parametrize("page", ["100000", "-3", "abc", "9" * 30])
def test_deep_or_bad_page_numbers_answer_the_last_page(visitor, one_of_each, url, title, page):
    response = visitor.get(url, {"page": page})
    assert response.status_code == 200
    assert title in response.content.decode()
    assert _page(response).number == 1


# --- streamed exports ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/en/mapping/export/indicators.csv",
        "/en/mapping/export/indicators.json",
        "/en/mapping/export/problems.csv",
        "/en/mapping/export/problems.json",
    ],
)
def test_open_data_exports_of_whole_tables_are_streamed(visitor, db, url):
    response = visitor.get(url)
    assert response.status_code == 200
    assert response.streaming
    assert b"".join(response.streaming_content) is not None


def test_registrations_export_is_streamed(sofia_client, city_a):
    event = make_event(title="Asamblea", slug="asamblea")
    response = sofia_client.get(f"/en/events/{event.slug}/registrations.csv")
    assert response.status_code == 200
    assert response.streaming
    assert b"".join(response.streaming_content).count(b"\n") >= 1  # the header
