"""Where uploaded files live: the local disk, or a private bucket of an S3-compatible store
(PrivateS3Storage), and StorageUnavailable, raised when that store cannot be reached.

No object in the bucket is public: the portal's download views check who is asking and
stream the file (core/uploads.py). StorageUnavailable is a ValidationError so that a form
whose files cannot be stored shows why beside the text already typed (the views catch
ValidationError from their services); anywhere else core.availability answers 503.
"""

import functools
from contextlib import contextmanager

from boto3.exceptions import RetriesExceededError, S3UploadFailedError
from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as EndpointUnreachable
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from storages.backends.s3 import S3Storage

# Inside the bucket, the portal's files are under this prefix; the restore drill writes its
# scratch copies beside it (RESTORE_DRILL_LOCATION), never among them.
LOCATION = "media"
RESTORE_DRILL_LOCATION = "restore-drill"
# A signed address of an object, when one is made at all (the admin's file links), is
# valid this long; downloads by the portal's own views never use one.
SIGNED_URL_SECONDS = 60


class StorageUnavailable(ValidationError):
    """The file store did not answer (down, unreachable, or failing on its side)."""

    def __init__(self):
        super().__init__(
            _(
                "The file store cannot be reached right now, so the file could not be "
                "stored and nothing was saved. Your text is kept: attach the file again "
                "and save in a few minutes."
            ),
            code="storage_unavailable",
        )


def _failed_on_the_store_side(error: Exception) -> bool:
    """A ClientError (or an upload failure wrapping one) answered with a 5xx status."""
    if isinstance(error, S3UploadFailedError):
        error = error.__context__
    if not isinstance(error, ClientError):
        return False
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
    return status >= 500


@contextmanager
def reaching_the_store():
    """Turn "the store did not answer" into StorageUnavailable; a missing object or a
    refused request (4xx) keeps its own error."""
    try:
        yield
    except (EndpointUnreachable, HTTPClientError, RetriesExceededError) as error:
        raise StorageUnavailable from error
    except (ClientError, S3UploadFailedError) as error:
        if _failed_on_the_store_side(error):
            raise StorageUnavailable from error
        raise


def _reaching(name):
    """S3Storage's method `name`, run inside reaching_the_store()."""
    inherited = getattr(S3Storage, name)

    @functools.wraps(inherited)
    def method(self, *args, **kwargs):
        with reaching_the_store():
            return inherited(self, *args, **kwargs)

    return method


class PrivateS3Storage(S3Storage):
    """django-storages' S3 storage with every object private and never overwritten; a file
    opened for reading is fetched whole at once (to a temporary file past
    `max_memory_size`), so an outage fails the request before its response starts."""

    location = LOCATION
    default_acl = "private"
    querystring_auth = True
    querystring_expire = SIGNED_URL_SECONDS
    file_overwrite = False

    def _open(self, name, mode="rb"):
        with reaching_the_store():
            file = super()._open(name, mode)
            if "r" in mode:
                file.file  # noqa: B018 - the property downloads the object now
            return file

    _save = _reaching("_save")
    delete = _reaching("delete")
    exists = _reaching("exists")
    listdir = _reaching("listdir")
    size = _reaching("size")

    def url(self, name, parameters=None, expire=None, http_method=None):
        """A signed address valid at most SIGNED_URL_SECONDS that the browser downloads
        as an attachment, never renders."""
        parameters = {"ResponseContentDisposition": "attachment", **(parameters or {})}
        expire = min(expire or SIGNED_URL_SECONDS, SIGNED_URL_SECONDS)
        return super().url(name, parameters=parameters, expire=expire, http_method=http_method)
