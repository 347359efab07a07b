"""Content checks for uploaded documents, shared by every app that accepts files.

A file is recognised by its content (magic bytes), never by its name. PDF, PNG and JPEG
are recognised by `filetype`. ODT, DOCX and XLSX are zip containers, opened and read from
their directory: the `mimetype` member (OpenDocument) or `[Content_Types].xml` (Office
Open XML) must name the document type, the type's main part (content.xml,
word/document.xml, xl/workbook.xml) must be there, and the members may not declare more
than UNPACKED_SIZE_RATIO times the upload limit once unpacked (a zip bomb is refused
unread). A PDF must also parse: its structure (cross-reference table, page tree) is read
with pypdf, never its content streams. The name's extension, when it is one of ours, must
agree with the content. Each app passes its own limits (allowed kinds, maximum size,
maximum number of files); this module imports no domain app.
"""

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pypdf import PdfReader

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", ODT: ".odt", DOCX: ".docx", XLSX: ".xlsx"}
# Every extension a name may carry for each kind (lower case).
NAME_EXTENSIONS = {
    PDF: {".pdf"},
    PNG: {".png"},
    JPEG: {".jpg", ".jpeg", ".jpe"},
    ODT: {".odt"},
    DOCX: {".docx"},
    XLSX: {".xlsx"},
}
KNOWN_EXTENSIONS = {ext: mime for mime, exts in NAME_EXTENSIONS.items() for ext in exts}
# A genuine document has far fewer pages; a page tree claiming more is refused unread.
PDF_MAX_PAGES = 5000
DOCUMENT_KINDS = frozenset(EXTENSIONS)
ZIP_KINDS = {"application/zip", ODT, DOCX, XLSX}
# Members of a genuine document are small; do not read more than this from any of them.
MEMBER_READ_LIMIT = 256 * 1024
# The main part each kind of container must hold: without it there is no document.
MAIN_PARTS = {ODT: "content.xml", DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}
# A container whose members declare more than this many times the upload limit, unpacked,
# is refused unread: text and spreadsheets compress well, but not a thousandfold.
UNPACKED_SIZE_RATIO = 10


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    original_name: str


class StoredUploadMixin:
    """For models that keep a checked upload with its `original_name` (whose extension
    tells the truth about the content, see download_name)."""

    @property
    def extension(self) -> str:
        """ "PDF", "DOCX"…: the short name of the file's type."""
        return PurePath(self.original_name).suffix.lstrip(".").upper()


def read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MEMBER_READ_LIMIT:
        return b""
    with archive.open(info) as member:
        return member.read(MEMBER_READ_LIMIT)


@dataclass(frozen=True)
class Container:
    """What a zip container says of itself: the kind it declares (ODT, DOCX, XLSX or None),
    whether that kind's main part is in it, and the size its members declare unpacked."""

    declared: str | None
    complete: bool
    unpacked_size: int


def _declared_kind(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    if "mimetype" in names and read_member(archive, "mimetype").strip() == ODT.encode():
        return ODT
    if "[Content_Types].xml" in names:
        types = read_member(archive, "[Content_Types].xml")
        if b"wordprocessingml.document.main+xml" in types:
            return DOCX
        if b"spreadsheetml.sheet.main+xml" in types:
            return XLSX
    return None


def read_container(upload) -> Container | None:
    """The container's own account of itself, read from its directory and two small
    members (nothing is unpacked); None when it is not a readable zip."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            names = {info.filename for info in members}
            declared = _declared_kind(archive, names)
            return Container(
                declared=declared,
                complete=declared is not None and MAIN_PARTS[declared] in names,
                unpacked_size=sum(info.file_size for info in members),
            )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError):
        return None
    finally:
        upload.seek(0)


def is_readable_pdf(upload) -> bool:
    """True when pypdf can read the PDF's structure: trailer, cross-reference table and
    page tree (the page count). Content streams are not decoded."""
    try:
        upload.seek(0)
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            return False
        return 0 < len(reader.pages) <= PDF_MAX_PAGES
    except Exception:  # pypdf raises many kinds of error on a broken file
        return False
    finally:
        upload.seek(0)


def download_name(name: str, extension: str) -> str:
    """Keep the person's file name, but let the extension tell the truth about the content."""
    stem = PurePath(PurePath(name or "").name).stem.strip() or "document"
    stem = "".join(ch for ch in stem if ch.isprintable() and ch not in '\\/:*?"<>|')[:150]
    return f"{stem or 'document'}{extension}"


def refused_type_message(name: str) -> str:
    return _(
        "“%(name)s” is not a PDF, PNG, JPEG, ODT, DOCX or XLSX document "
        "(its content was checked, not its name)."
    ) % {"name": name}


def check_upload(
    upload,
    *,
    max_bytes: int,
    allowed: Iterable[str] = DOCUMENT_KINDS,
    refused_message=refused_type_message,
) -> CheckedFile:
    """The file's real type, or ValidationError saying why it is refused.

    `allowed` is a subset of the kinds in EXTENSIONS; `refused_message(name)` words the
    refusal of any other kind.
    """
    if upload.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(max_bytes),
            },
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": upload.name}, code="empty")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime in ZIP_KINDS:
        mime = _check_container(upload, max_bytes=max_bytes)
    if mime not in EXTENSIONS or mime not in set(allowed):
        raise ValidationError(refused_message(upload.name), code="bad_type")
    declared = PurePath(upload.name or "").suffix.lower()
    if declared in KNOWN_EXTENSIONS and declared not in NAME_EXTENSIONS[mime]:
        raise ValidationError(
            _(
                "“%(name)s” is named as a %(declared)s file but its content is a "
                "%(found)s document; rename it or choose the right file."
            )
            % {
                "name": upload.name,
                "declared": declared[1:].upper(),
                "found": EXTENSIONS[mime][1:].upper(),
            },
            code="extension_mismatch",
        )
    if mime == PDF and not is_readable_pdf(upload):
        raise ValidationError(
            _("“%(name)s” is not a readable PDF document (it may be damaged or encrypted).")
            % {"name": upload.name},
            code="bad_pdf",
        )
    return CheckedFile(mime, EXTENSIONS[mime], download_name(upload.name, EXTENSIONS[mime]))


def _check_container(upload, *, max_bytes: int) -> str | None:
    """The Office kind of a zip upload, ValidationError for a zip bomb or an Office
    document without its main part, None for any other zip."""
    container = read_container(upload)
    if container is None:
        return None
    limit = UNPACKED_SIZE_RATIO * max_bytes
    if container.unpacked_size > limit:
        raise ValidationError(
            _(
                "“%(name)s” would unpack to %(size)s, more than %(limit)s; a genuine "
                "document is much smaller. Save it again, or split it, and upload it again."
            )
            % {
                "name": upload.name,
                "size": filesizeformat(container.unpacked_size),
                "limit": filesizeformat(limit),
            },
            code="too_large_unpacked",
        )
    if container.declared is not None and not container.complete:
        raise ValidationError(
            _(
                "“%(name)s” is not a complete %(kind)s document: its main part "
                "(%(part)s) is missing. It may be damaged; save it again and upload the "
                "new copy."
            )
            % {
                "name": upload.name,
                "kind": EXTENSIONS[container.declared][1:].upper(),
                "part": MAIN_PARTS[container.declared],
            },
            code="incomplete_document",
        )
    return container.declared


def clean_checked_file(form, *, max_bytes: int, field: str = "file"):
    """For a ModelForm's `clean_<field>`: check a newly chosen file by its content and
    record what was found on the instance (original_name, content_type, size); the file is
    stored under a neutral name with the true extension."""
    upload = form.cleaned_data.get(field)
    if upload and field in form.changed_data:
        checked = check_upload(upload, max_bytes=max_bytes)
        form.instance.original_name = checked.original_name
        form.instance.content_type = checked.content_type
        form.instance.size = upload.size
        upload.name = f"document{checked.extension}"
    return upload


def check_file_count(*, existing: int, adding: int, max_files: int) -> None:
    """ValidationError when `existing + adding` files would pass `max_files`."""
    if existing + adding > max_files:
        raise ValidationError(
            ngettext(
                "At most %(limit)s file may be attached.",
                "At most %(limit)s files may be attached.",
                max_files,
            )
            % {"limit": max_files},
            code="too_many",
        )


def download_response(stored_file, *, filename: str, content_type: str):
    """Serve a stored upload as a download under its original name, never rendered inline:
    streamed from the storage (the local disk or the private bucket) through the calling
    view, which has checked who is asking. 404 when the file is gone from storage;
    core.storage.StorageUnavailable (a 503 page) when the store cannot be reached."""
    try:
        handle = stored_file.open("rb")
    except (FileNotFoundError, ValueError) as missing:
        raise Http404 from missing
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
