"""Attachments: checked by content, stored under random names, downloaded only by those who
may see the practice, never rendered inline."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from experiences import services
from experiences.models import PracticeAttachment
from tests.experiences.conftest import (
    EXE_BYTES,
    PDF_BYTES,
    TYPED_TEXT,
    assert_refused_keeping_the_form,
    form_data,
    office_bytes,
    png_bytes,
    post_edit,
)

pytestmark = pytest.mark.usefixtures("media")


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    [
        ("informe.pdf", PDF_BYTES, "application/pdf", ".pdf"),
        ("foto.png", png_bytes(), "image/png", ".png"),
        ("foto.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64, "image/jpeg", ".jpg"),
        (
            "acta.docx",
            office_bytes("docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".docx",
        ),
        (
            "datos.xlsx",
            office_bytes("xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".xlsx",
        ),
        ("texto.odt", office_bytes("odt"), "application/vnd.oasis.opendocument.text", ".odt"),
    ],
)
def test_accepted_types_are_recognised_by_content(
    ana_client, draft, media, name, content, content_type, extension
):
    response = post_edit(ana_client, draft, [upload(name, content)])
    assert response.status_code == 302, response.context["form"].errors
    attachment = PracticeAttachment.objects.get()
    assert attachment.content_type == content_type
    assert attachment.original_name.endswith(extension)
    assert attachment.size == len(content)
    stored = attachment.file.name
    assert stored.startswith("practices/") and stored.endswith(extension)
    assert len(stored.split("/")[1].split(".")[0]) == 32  # uuid4 hex, not the user's name
    assert (media / stored).read_bytes() == content


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("informe.pdf", EXE_BYTES, "is not a PDF, PNG, JPEG, ODT, DOCX or XLSX"),
        ("pagina.html", b"<html><script>alert(1)</script></html>", "is not a PDF"),
        ("imagen.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "is not"),
        (
            "archivo.zip",
            office_bytes("docx").replace(b"wordprocessingml", b"xxxxxxxxxxxxxxxx"),
            "is not",
        ),
        ("roto.docx", b"PK\x03\x04" + b"\x00" * 100, "is not"),
        ("vacio.pdf", b"", "is empty"),
        # The name and the content must agree: a PDF called .docx is refused, naming both.
        ("mal-nombrado.docx", PDF_BYTES, "is named as a DOCX file but its content is a PDF"),
        ("roto.pdf", PDF_BYTES[:200], "is not a readable PDF"),
    ],
)
def test_refused_files_say_why_and_keep_the_rest_of_the_form(
    ana_client, draft, name, content, reason
):
    response = post_edit(ana_client, draft, [upload(name, content)], summary=TYPED_TEXT)
    assert_refused_keeping_the_form(response, draft, reason)


def test_a_50_mb_file_is_refused(ana_client, draft):
    big = upload("enorme.pdf", PDF_BYTES + b"0" * (50 * 1024 * 1024))
    response = post_edit(ana_client, draft, [big])
    assert response.status_code == 200
    assert "files may be at most 10.0\xa0MB" in response.content.decode()
    assert not PracticeAttachment.objects.exists()


def test_the_size_limit_comes_from_settings(ana_client, draft, settings):
    settings.PRACTICE_ATTACHMENT_MAX_BYTES = 1024
    response = post_edit(ana_client, draft, [upload("a.pdf", PDF_BYTES + b"0" * 2048)])
    assert "files may be at most 1.0\xa0KB" in response.content.decode()
    assert not PracticeAttachment.objects.exists()


def test_the_eleventh_file_is_refused(ana_client, ana, draft):
    for n in range(10):
        services.attachment_add(practice=draft, user=ana, upload=upload(f"{n}.pdf", PDF_BYTES))
    response = post_edit(ana_client, draft, [upload("once.pdf", PDF_BYTES)])
    assert response.status_code == 200
    assert "A practice may have at most 10 attachments" in response.content.decode()
    assert PracticeAttachment.objects.count() == 10


def test_the_service_enforces_the_limit_too(ana, draft, settings):
    from django.core.exceptions import ValidationError

    settings.PRACTICE_ATTACHMENT_MAX_FILES = 1
    services.attachment_add(practice=draft, user=ana, upload=upload("1.pdf", PDF_BYTES))
    with pytest.raises(ValidationError):
        services.attachment_add(practice=draft, user=ana, upload=upload("2.pdf", PDF_BYTES))


def test_a_draft_is_created_with_its_attachment(ana_client, city_a, media):
    data = form_data(city=city_a.pk)
    data["attachments"] = [upload("informe final.pdf", PDF_BYTES)]
    assert ana_client.post("/en/practices/new/", data).status_code == 302
    attachment = PracticeAttachment.objects.get()
    assert attachment.title == "informe final"
    assert attachment.original_name == "informe final.pdf"


@pytest.fixture
def published_attachment(published, ana):
    return services.attachment_add(
        practice=published, user=ana, upload=upload("informe final.pdf", PDF_BYTES)
    )


def test_download_is_an_attachment_with_nosniff(visitor, published, published_attachment):
    url = f"/en/practices/{published.slug}/attachments/{published_attachment.pk}/"
    response = visitor.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "informe final.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES
    page = visitor.get(f"/en/practices/{published.slug}/").content.decode()
    assert url in page


def test_draft_attachments_are_hidden_like_the_draft(visitor, bruno_client, ana_client, ana, draft):
    attachment = services.attachment_add(
        practice=draft, user=ana, upload=upload("borrador.pdf", PDF_BYTES)
    )
    url = f"/en/practices/{draft.slug}/attachments/{attachment.pk}/"
    assert visitor.get(url).status_code == 404
    assert bruno_client.get(url).status_code == 404
    assert ana_client.get(url).status_code == 200


def test_an_attachment_is_only_found_under_its_own_practice(
    visitor, make_practice, published_attachment
):
    other = make_practice(title="Otra")
    url = f"/en/practices/{other.slug}/attachments/{published_attachment.pk}/"
    assert visitor.get(url).status_code == 404


def test_a_missing_file_on_disk_is_a_404_not_an_error(visitor, published, published_attachment):
    published_attachment.file.storage.delete(published_attachment.file.name)
    url = f"/en/practices/{published.slug}/attachments/{published_attachment.pk}/"
    assert visitor.get(url).status_code == 404


def test_owner_removes_an_attachment_and_the_file_is_kept(
    ana_client, bruno_client, published, published_attachment, media, self_publishing_city_a
):
    data = form_data(published, remove_attachments=[published_attachment.pk], action="save")
    assert bruno_client.post(f"/en/practices/{published.slug}/edit/", data).status_code == 403
    assert PracticeAttachment.objects.exists()
    assert ana_client.post(f"/en/practices/{published.slug}/edit/", data).status_code == 302
    assert not PracticeAttachment.objects.exists()
    assert (media / published_attachment.file.name).exists()
    assert PracticeAttachment.history.filter(history_type="-").count() == 1
