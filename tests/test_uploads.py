"""core.uploads.check_upload on real small files: size, extension and content must agree,
and a PDF must parse (its structure read by pypdf)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from core import uploads
from core.uploads import DOCX, JPEG, PDF, PNG, check_upload
from tests.experiences.conftest import office_bytes, png_bytes
from unit.demo import sample_pdf

LIMIT = 1024 * 1024


def check(name: str, content: bytes, **kwargs):
    with translation.override("en"):
        return check_upload(SimpleUploadedFile(name, content), max_bytes=LIMIT, **kwargs)


def refusal(name: str, content: bytes, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check(name, content, **kwargs)
    return caught.value


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
    error = refusal("report.docx", PDF_FILE)
    assert error.code == "extension_mismatch"
    assert error.messages[0] == (
        "“report.docx” is named as a DOCX file but its content is a PDF document; "
        "rename it or choose the right file."
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
