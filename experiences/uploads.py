"""The limits of a practice's attachments (size and count); the content checks are
core/uploads.py's."""

from django.conf import settings

from core.uploads import CheckedFile, check_upload

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
