"""The secretariat's admin for the library and the news: uploads checked by content and size,
the reason shown and the other fields kept, nothing saved on refusal, the search vector
filled; coordinators stay out."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.fulltext import search_query
from unit.demo import sample_pdf
from unit.models import Document, LineOfWork, NewsItem, WorkPlan

ADD_DOCUMENT = "/en/admin/unit/document/add/"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def line(db):
    plan = WorkPlan.objects.create(
        start_year=2012, end_year=2012, title_es="Plan", title_pt_br="Plano", title_en="Plan"
    )
    return LineOfWork.objects.create(
        plan=plan, number=1, slug="2012-ninez", title_es="Niñez", title_en="Children"
    )


def document_data(upload, line, **overrides):
    data = {
        "title": "Informe sobre niñez y adolescencia",
        "slug": "informe-ninez",
        "kind": Document.Kind.REPORT,
        "year": "2024",
        "language": "es",
        "summary": "Programas municipales para adolescentes.",
        "lines": [str(line.pk)],
        "audience": Document.Audience.MEMBERS,
        "file": upload,
    }
    data.update(overrides)
    return data


def found(words) -> list[str]:
    return list(
        Document.objects.filter(search_vector=search_query(words)).values_list("slug", flat=True)
    )


def test_a_real_pdf_is_stored_under_a_random_name_and_indexed(sofia_client, line, media):
    content = sample_pdf("Informe")
    upload = SimpleUploadedFile("Informe final (v2).PDF", content, "application/pdf")
    response = sofia_client.post(ADD_DOCUMENT, document_data(upload, line))
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.original_name == "Informe final (v2).pdf"  # extension from the content
    assert document.content_type == "application/pdf"
    assert document.size == len(content)
    assert re.fullmatch(r"unit/[0-9a-f]{32}\.pdf", document.file.name)
    assert (media / document.file.name).read_bytes() == content
    assert list(document.lines.all()) == [line]
    assert found("ninez") == ["informe-ninez"]  # title, accents aside
    assert found("adolescentes") == ["informe-ninez"]  # summary


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("informe.pdf", EXE_BYTES),
        ("pagina.pdf", b"<html><body><script>alert(1)</script></body></html>"),
    ],
)
def test_a_file_that_is_not_a_document_is_refused_and_the_form_kept(
    sofia_client, line, media, name, content
):
    upload = SimpleUploadedFile(name, content, "application/pdf")
    response = sofia_client.post(ADD_DOCUMENT, document_data(upload, line))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "is not a PDF, PNG, JPEG, ODT, DOCX or XLSX document" in str(errors["file"])
    page = response.content.decode()
    assert "its content was checked, not its name" in page
    assert 'value="Informe sobre niñez y adolescencia"' in page  # the other fields are kept
    assert "Programas municipales para adolescentes." in page
    assert not Document.objects.exists()
    assert not (media / "unit").exists() or not any((media / "unit").iterdir())


def test_an_oversized_file_is_refused_with_its_size(sofia_client, line, media, settings):
    settings.LIBRARY_DOCUMENT_MAX_BYTES = 100
    content = sample_pdf("Informe")
    upload = SimpleUploadedFile("grande.pdf", content, "application/pdf")
    response = sofia_client.post(ADD_DOCUMENT, document_data(upload, line))
    assert response.status_code == 200
    message = str(response.context["adminform"].form.errors["file"])
    assert "files may be at most 100\xa0bytes" in message
    assert f"“grande.pdf” is {len(content)}\xa0bytes" in message
    assert not Document.objects.exists()


def test_changing_title_or_summary_in_the_admin_refreshes_the_search(sofia_client, line):
    upload = SimpleUploadedFile("a.pdf", sample_pdf("A"), "application/pdf")
    sofia_client.post(ADD_DOCUMENT, document_data(upload, line))
    document = Document.objects.get()
    data = document_data(
        "", line, title="Acta de la asamblea", summary="Migraciones y derechos humanos."
    )
    data.pop("file")
    response = sofia_client.post(f"/en/admin/unit/document/{document.pk}/change/", data)
    assert response.status_code == 302
    assert found("ninez") == []
    assert found("asamblea") == found("migraciones") == ["informe-ninez"]
    document.refresh_from_db()
    assert document.content_type == "application/pdf"  # the file was left as it was


def test_news_saved_in_the_admin_records_its_author(sofia_client, sofia, line):
    now = timezone.localtime()
    response = sofia_client.post(
        "/en/admin/unit/newsitem/add/",
        {
            "title": "Nueva noticia",
            "slug": "nueva-noticia",
            "summary": "Resumen.",
            "body": "Texto.",
            "language": "es",
            "published_at_0": now.date().isoformat(),
            "published_at_1": now.strftime("%H:%M:%S"),
            "is_published": "on",
            "lines": [str(line.pk)],
        },
    )
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert item.author == sofia and list(item.lines.all()) == [line]


def news_form(when, **overrides) -> dict:
    data = {
        "title": "Nueva noticia",
        "slug": "nueva-noticia",
        "summary": "Resumen.",
        "language": "es",
        "published_at_0": when.date().isoformat(),
        "published_at_1": when.strftime("%H:%M:%S"),
    }
    return {**data, **overrides}


def test_a_news_item_added_in_the_admin_is_published_unless_unticked(sofia_client, db):
    form = sofia_client.get("/en/admin/unit/newsitem/add/").content.decode()
    assert re.search(r'<input type="checkbox" name="is_published"[^>]* checked', form)
    now = timezone.localtime()
    response = sofia_client.post(
        "/en/admin/unit/newsitem/add/", news_form(now, is_published="on"), follow=True
    )
    assert "This news item is public on the site." in response.content.decode()
    assert NewsItem.objects.published().get().slug == "nueva-noticia"


def test_an_unticked_news_item_is_a_draft_and_the_message_says_so(sofia_client, visitor, db):
    now = timezone.localtime()
    response = sofia_client.post("/en/admin/unit/newsitem/add/", news_form(now), follow=True)
    html = response.content.decode()
    assert "This news item is not public: only the secretariat sees it." in html
    assert not NewsItem.objects.get().is_published
    assert visitor.get("/en/unit/news/nueva-noticia/").status_code == 404


def test_a_scheduled_news_item_says_when_it_will_be_public(sofia_client, db):
    later = timezone.localtime() + timezone.timedelta(days=3)
    response = sofia_client.post(
        "/en/admin/unit/newsitem/add/", news_form(later, is_published="on"), follow=True
    )
    assert "This news item will be public from" in response.content.decode()
    response = sofia_client.get("/admin/unit/newsitem/add/")
    assert "Desmarque para guardar la noticia como borrador" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/en/admin/unit/document/",
        ADD_DOCUMENT,
        "/en/admin/unit/newsitem/",
        "/en/admin/unit/newsitem/add/",
        "/en/admin/unit/document/?q=informe&kind__exact=report",
    ],
)
def test_secretariat_opens_the_admin_pages(sofia_client, line, path):
    assert sofia_client.get(path).status_code == 200


@pytest.mark.parametrize(
    "path", ["/en/admin/unit/document/", ADD_DOCUMENT, "/en/admin/unit/newsitem/"]
)
def test_coordinators_get_no_access_to_the_admin(ana_client, path):
    response = ana_client.get(path)
    assert response.status_code in (302, 403)
    assert b"Informe" not in response.content


def test_coordinator_cannot_upload_through_the_admin(ana_client, line):
    upload = SimpleUploadedFile("a.pdf", sample_pdf("A"), "application/pdf")
    response = ana_client.post(ADD_DOCUMENT, document_data(upload, line))
    assert response.status_code in (302, 403)
    assert not Document.objects.exists()
