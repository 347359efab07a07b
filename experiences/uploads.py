"""What a practice may have attached: checked by content (magic bytes), never by name.

The checks themselves are shared (core/uploads.py): PDF, PNG and JPEG are recognised by
`filetype`; ODT, DOCX and XLSX are zip containers whose `mimetype` member (OpenDocument) or
`[Content_Types].xml` (Office Open XML) must name the document type. This module sets the
practice's limits.
"""

from django.conf import settings

from core.uploads import (  # noqa: F401  (re-exported: part of this module's public names)
    DOCX,
    EXTENSIONS,
    JPEG,
    MEMBER_READ_LIMIT,
    ODT,
    PDF,
    PNG,
    XLSX,
    ZIP_KINDS,
    CheckedFile,
    check_upload,
)
from core.uploads import download_name as _download_name  # noqa: F401
from core.uploads import office_type as _office_type  # noqa: F401
from core.uploads import read_member as _read_member  # noqa: F401

# Overridable in settings (tests lower them); read at call time.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_FILES = 10


def max_bytes() -> int:
    return int(getattr(settings, "PRACTICE_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_files() -> int:
    return int(getattr(settings, "PRACTICE_ATTACHMENT_MAX_FILES", DEFAULT_MAX_FILES))


def check_attachment(upload) -> CheckedFile:
    """The file's real type, or ValidationError saying why it is refused."""
    return check_upload(upload, max_bytes=max_bytes())
