"""core.uploads.check_upload on real small files: size, extension and content must agree,
and a PDF must parse (its structure read by pypdf)."""

import io
import struct
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from core import uploads
from core.uploads import DOCX, JPEG, ODT, PDF, PNG, XLSX, check_upload
from tests.experiences.conftest import (
    TYPED_TEXT,
    assert_refused_keeping_the_form,
    draft_written_by,
    office_bytes,
    png_bytes,
    post_edit,
)
from unit.demo import sample_pdf

LIMIT = 1024 * 1024


def check(name: str, content: bytes, **kwargs):
    with translation.override("en"):
        return check_upload(SimpleUploadedFile(name, content), max_bytes=LIMIT, **kwargs)


def refusal(name: str, content: bytes, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check(name, content, **kwargs)
    return caught.value


def refused(name: str, content: bytes, **kwargs) -> tuple[str, str]:
    """The code and the message of the refusal."""
    error = refusal(name, content, **kwargs)
    return error.code, error.messages[0]


PDF_FILE = sample_pdf("Informe de prueba")


def test_a_real_pdf_is_accepted_with_its_name_kept():
    checked = check("Informe final.PDF", PDF_FILE)
    assert checked.content_type == PDF
    assert checked.extension == ".pdf"
    assert checked.original_name == "Informe final.pdf"


def test_the_parse_check_leaves_the_file_ready_to_be_read_from_the_start():
    upload = SimpleUploadedFile("a.pdf", PDF_FILE)
    check_upload(upload, max_bytes=LIMIT)
    assert upload.read() == PDF_FILE


def test_real_png_jpeg_and_docx_are_accepted():
    assert check("foto.png", png_bytes()).content_type == PNG
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
    assert check("foto.jpeg", jpeg).content_type == JPEG
    assert check("foto.JPG", jpeg).content_type == JPEG
    assert check("acta.docx", office_bytes("docx")).content_type == DOCX


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(PDF_FILE[: len(PDF_FILE) // 2], id="truncated-half"),
        pytest.param(PDF_FILE[: PDF_FILE.index(b"xref")], id="truncated-before-xref"),
        pytest.param(b"%PDF-" + b"\x00garbage" * 64, id="pdf-magic-then-garbage"),
        pytest.param(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", id="no-pages"),
    ],
)
def test_a_pdf_that_does_not_parse_is_refused(content):
    error = refusal("informe.pdf", content)
    assert error.code == "bad_pdf"
    assert "“informe.pdf” is not a readable PDF document" in error.messages[0]


def test_an_encrypted_pdf_is_refused(tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(PDF_FILE)))
    writer.encrypt("secreto")
    out = io.BytesIO()
    writer.write(out)
    assert refusal("cifrado.pdf", out.getvalue()).code == "bad_pdf"


def test_a_page_tree_claiming_too_many_pages_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "PDF_MAX_PAGES", 0)
    assert refusal("informe.pdf", PDF_FILE).code == "bad_pdf"


def test_a_pdf_named_docx_is_refused_naming_both():
    assert refused("report.docx", PDF_FILE) == (
        "extension_mismatch",
        "“report.docx” is named as a DOCX file but its content is a PDF document; "
        "rename it or choose the right file.",
    )


def test_a_png_renamed_pdf_is_refused_naming_both():
    error = refusal("scan.pdf", png_bytes())
    assert error.code == "extension_mismatch"
    assert "named as a PDF file but its content is a PNG document" in error.messages[0]


def test_a_name_without_a_known_extension_is_judged_by_content_alone():
    assert check("informe", PDF_FILE).original_name == "informe.pdf"
    assert check("informe.final", PDF_FILE).original_name == "informe.pdf"


def test_size_is_checked_before_the_content():
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        check_upload(SimpleUploadedFile("grande.pdf", b"%PDF-" + b"0" * 100), max_bytes=10)
    error = caught.value
    assert error.code == "too_large"
    assert "files may be at most 10" in error.messages[0]


def test_an_empty_file_is_refused():
    assert refusal("vacio.pdf", b"").code == "empty"


def test_a_kind_not_allowed_by_the_caller_is_refused():
    error = refusal("informe.pdf", PDF_FILE, allowed={PNG})
    assert error.code == "bad_type"
    assert "its content was checked, not its name" in error.messages[0]


# --- Office containers: the main part, and the size they declare unpacked ------------------


def container(members: dict[str, bytes | str]) -> bytes:
    """A zip holding `members` (deflated, so that zeros shrink a thousandfold)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def content_types(main: str, part: str) -> str:
    return (
        f'<Types><Override PartName="/{part}" ContentType="application/'
        f'vnd.openxmlformats-officedocument.{main}"/></Types>'
    )


FAKE_ODT = container({"mimetype": "application/vnd.oasis.opendocument.text"})
FAKE_DOCX = container(
    {
        "[Content_Types].xml": content_types("wordprocessingml.document.main+xml", "word/x.xml"),
        "_rels/.rels": "<Relationships/>",
    }
)
FAKE_XLSX = container(
    {"[Content_Types].xml": content_types("spreadsheetml.sheet.main+xml", "xl/workbook.xml")}
)


def zip_bomb(unpacked: int) -> bytes:
    """A genuine DOCX whose one extra member is `unpacked` zero bytes, deflated."""
    with zipfile.ZipFile(io.BytesIO(office_bytes("docx"))) as genuine:
        members = {info.filename: genuine.read(info) for info in genuine.infolist()}
    return container({**members, "word/media/zeros.bin": b"\0" * unpacked})


def lying_zip(declared: int) -> bytes:
    """A small genuine DOCX whose directory declares a member of `declared` bytes."""
    data = bytearray(office_bytes("docx"))
    directory = data.rindex(b"PK\x01\x02")  # the last member's central directory entry
    data[directory + 24 : directory + 28] = struct.pack("<I", declared)
    return bytes(data)


@pytest.mark.parametrize(
    ("name", "content", "part"),
    [
        ("acta.odt", FAKE_ODT, "content.xml"),
        ("acta.docx", FAKE_DOCX, "word/document.xml"),
        ("datos.xlsx", FAKE_XLSX, "xl/workbook.xml"),
    ],
)
def test_an_office_document_without_its_main_part_is_refused(name, content, part):
    kind = name.rsplit(".", 1)[1].upper()
    assert refused(name, content) == (
        "incomplete_document",
        f"“{name}” is not a complete {kind} document: its main part ({part}) is missing. "
        "It may be damaged; save it again and upload the new copy.",
    )


def test_an_odt_needs_the_opendocument_mimetype_entry():
    wrong_type = container({"mimetype": "application/zip", "content.xml": "<document/>"})
    assert refusal("texto.odt", wrong_type).code == "bad_type"
    assert check("texto.odt", office_bytes("odt")).content_type == ODT


def test_the_genuine_containers_are_accepted():
    assert check("a.docx", office_bytes("docx")).content_type == DOCX
    assert check("a.xlsx", office_bytes("xlsx")).content_type == XLSX
    assert check("a.odt", office_bytes("odt")).content_type == ODT


def test_a_zip_bomb_is_refused_by_its_declared_size():
    bomb = zip_bomb(12 * LIMIT)
    assert len(bomb) < LIMIT / 10  # small on the wire
    assert refused("informe.docx", bomb) == (
        "too_large_unpacked",
        "“informe.docx” would unpack to 12.0\xa0MB, more than 10.0\xa0MB; a genuine document "
        "is much smaller. Save it again, or split it, and upload it again.",
    )


def test_a_container_up_to_ten_times_the_limit_unpacked_is_accepted():
    unpacked_members = sum(
        info.file_size for info in zipfile.ZipFile(io.BytesIO(office_bytes("docx"))).infolist()
    )
    content = zip_bomb(10 * LIMIT - unpacked_members)
    assert check("informe.docx", content).content_type == DOCX


def test_a_directory_that_declares_a_huge_member_is_refused_unread():
    error = refusal("informe.docx", lying_zip(2**31))
    assert error.code == "too_large_unpacked"
    assert "would unpack to 2.0\xa0GB" in error.messages[0]


@pytest.mark.parametrize("language", ["es", "pt-br"])
def test_the_container_refusals_are_translated(language):
    with translation.override(language):
        for content in (FAKE_ODT, zip_bomb(12 * LIMIT)):
            with pytest.raises(ValidationError) as caught:
                check_upload(SimpleUploadedFile("a.odt", content), max_bytes=LIMIT)
            assert "would unpack" not in caught.value.messages[0]
            assert "main part" not in caught.value.messages[0]


@pytest.fixture
def draft_of_ana(ana, city_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRACTICE_ATTACHMENT_MAX_BYTES = LIMIT  # a bomb of 10 MB, not of 100
    return draft_written_by(ana, city_a)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("acta.odt", FAKE_ODT, "its main part (content.xml) is missing"),
        ("acta.docx", FAKE_DOCX, "its main part (word/document.xml) is missing"),
        ("bomba.docx", zip_bomb(12 * LIMIT), "would unpack to 12.0\xa0MB, more than 10.0\xa0MB"),
    ],
)
def test_the_practice_form_refuses_fake_and_bomb_containers(
    ana_client, draft_of_ana, name, content, reason
):
    files = [SimpleUploadedFile(name, content)]
    response = post_edit(ana_client, draft_of_ana, files, summary=TYPED_TEXT)
    assert_refused_keeping_the_form(response, draft_of_ana, reason)
