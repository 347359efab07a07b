"""Every write to practices: atomic, keyword-only, permission-checked, one history record
per change, the search vector rebuilt after each write, e-mails sent after commit."""

import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from cities.models import CityCoordinator
from core.mail import absolute_url, recipient_language, render_email, send_after_commit

from . import permissions
from .models import (
    PRACTICE_EDITABLE_FIELDS,
    PRACTICE_HISTORY,
    PRACTICE_M2M_FIELDS,
    Practice,
    PracticeAttachment,
    PracticeRevision,
)
from .search import vector_expression
from .uploads import check_attachment, max_files

Status = Practice.Status

# Slugs the URL conf uses for its own pages under /practices/.
RESERVED_SLUGS = {"new", "feed"}
# Inserts tried with the first free slug before a random suffix is added (_insert_with_free_slug).
SLUG_ATTEMPTS = 5


class ConcurrentEditError(Exception):
    """Someone else saved the practice after this form was opened."""


# --- helpers -----------------------------------------------------------------------------


def _unique_slug(title: str, exclude_pk=None) -> str:
    base = slugify(title)[:200].strip("-") or "practice"
    taken = (
        set(
            Practice.objects.filter(slug__startswith=base)
            .exclude(pk=exclude_pk)
            .values_list("slug", flat=True)
        )
        | RESERVED_SLUGS
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _insert_with_free_slug(practice, *, user, m2m) -> None:
    """Insert a new practice under the first free slug of its title. Two practices created
    at once with one title both find the same slug free: the second insert meets the unique
    index, is undone to its savepoint and tries again with the next free slug."""
    for _attempt in range(SLUG_ATTEMPTS - 1):
        practice.slug = _unique_slug(practice.title)
        try:
            with transaction.atomic():
                _save_with_history(practice, user=user, m2m=m2m, history_type="+")
            return
        except IntegrityError:
            if not Practice.objects.filter(slug=practice.slug).exists():
                raise  # another rule of the table refused the row
    # Still colliding after several tries: a random suffix cannot collide in practice.
    practice.slug = f"{_unique_slug(practice.title)[:200]}-{get_random_string(6).lower()}"
    _save_with_history(practice, user=user, m2m=m2m, history_type="+")


def _save_with_history(practice, *, user, m2m, history_type) -> None:
    """Save the row and its m2m, then write one history record with all of it."""
    practice.skip_history_when_saving = True
    try:
        practice.save()
        for name, values in m2m.items():
            getattr(practice, name).set(values)
    finally:
        del practice.skip_history_when_saving
    practice._history_user = user
    PRACTICE_HISTORY.create_historical_record(practice, history_type)


def _transition(practice, *, user, **changes) -> Practice:
    """Change workflow fields under a row lock, raising the version; history by save()."""
    locked = Practice.objects.select_for_update().get(pk=practice.pk)
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.version += 1
    locked._history_user = user
    locked.save(update_fields=[*changes, "version", "updated_at"])
    for name in (*changes, "version", "updated_at"):
        setattr(practice, name, getattr(locked, name))
    return practice


def _checked(check):
    """Make a practice service atomic and refuse (PermissionDenied) a user `check` does not
    allow on the practice, before anything is written."""

    def decorate(service):
        @functools.wraps(service)
        @transaction.atomic
        def run(*, practice, user, **options):
            if not check(user, practice):
                raise PermissionDenied
            return service(practice=practice, user=user, **options)

        return run

    return decorate


def _required_comment(comment) -> str:
    """The reviewer's comment, stripped; a ValidationError when there is none."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("Say what should change."), code="required")
    return comment


def _require_complete(practice) -> None:
    missing = practice.missing_sections()
    if missing:
        raise ValidationError(
            _("Complete these sections first: %(sections)s.") % {"sections": ", ".join(missing)},
            code="incomplete",
        )
    if not practice.themes.exists():
        raise ValidationError(_("Choose at least one theme first."), code="incomplete")


def _split(data: dict) -> tuple[dict, dict]:
    fields = {name: data[name] for name in PRACTICE_EDITABLE_FIELDS if name in data}
    m2m = {name: data[name] for name in PRACTICE_M2M_FIELDS if name in data}
    return fields, m2m


# --- search ------------------------------------------------------------------------------


def practice_refresh_search(*, practice) -> None:
    """Rebuild the practice's search vector from its text, its city and its themes' names
    in every language (one UPDATE; themes and city read from the instance)."""
    words = [practice.city.name]
    for theme in practice.themes.all():
        words += [theme.name_es, theme.name_pt_br, theme.name_en]
    Practice.objects.filter(pk=practice.pk).update(search_vector=vector_expression(" ".join(words)))


def practice_refresh_all_search() -> int:
    """Rebuild every practice's vector from its own columns (bulk loads, restores)."""
    return Practice.objects.update(search_vector=vector_expression())


# --- writing -----------------------------------------------------------------------------


@transaction.atomic
def practice_create(*, user, data: dict, attachments=()) -> Practice:
    """Create a draft for a city the user coordinates (or any, for the secretariat).

    `data` holds the form's cleaned fields and m2m lists; `attachments` uploaded files.
    """
    if not permissions.can_create_practice_for(user, data.get("city")):
        raise PermissionDenied
    fields, m2m = _split(data)
    practice = Practice(**fields, author=user, status=Status.DRAFT, version=1)
    _insert_with_free_slug(practice, user=user, m2m=m2m)
    for upload in attachments:
        attachment_add(practice=practice, user=user, upload=upload)
    practice_refresh_search(practice=practice)
    return practice


@transaction.atomic
def practice_update(
    *, practice, user, data: dict, expected_version: int, attachments=(), remove_attachments=()
):
    """Save an edit if nobody saved since `expected_version` was read: the text, then the
    attachments ticked for removal, then the new uploads, all or nothing.

    One guarded UPDATE … WHERE id AND version claims the row; if it matches no row,
    ConcurrentEditError is raised and nothing is written. A published practice of a city
    that publishes after review keeps its text: the edit becomes its pending revision
    (permissions.edits_need_review), which the secretariat approves or not.
    """
    # Decide on the stored row: a bound ModelForm has already changed the instance.
    stored = Practice.objects.select_related("city").get(pk=practice.pk)
    if not permissions.can_edit_practice(user, stored):
        raise PermissionDenied
    city = data.get("city")
    moved = city is not None and city.pk != stored.city_id
    if moved and not permissions.can_create_practice_for(user, city):
        raise PermissionDenied
    claimed = Practice.objects.filter(pk=practice.pk, version=expected_version).update(
        version=expected_version + 1
    )
    if claimed != 1:
        raise ConcurrentEditError
    if permissions.edits_need_review(user, stored):
        _propose_revision(stored, user=user, data=data, version=expected_version + 1)
        practice.version = expected_version + 1
        _change_attachments(practice, user=user, remove=remove_attachments, add=attachments)
        return practice
    fields, m2m = _split(data)
    for name, value in fields.items():
        setattr(practice, name, value)
    practice.version = expected_version + 1
    _save_with_history(practice, user=user, m2m=m2m, history_type="~")
    _change_attachments(practice, user=user, remove=remove_attachments, add=attachments)
    practice_refresh_search(practice=practice)
    return practice


def _change_attachments(practice, *, user, remove, add) -> None:
    for attachment in remove:
        if attachment.practice_id != practice.pk:
            raise PermissionDenied
        attachment_remove(attachment=attachment, user=user)
    for upload in add:
        attachment_add(practice=practice, user=user, upload=upload)


@_checked(permissions.can_submit_practice)
def practice_submit(*, practice, user) -> Practice:
    """Send a complete draft to the secretariat's review and tell the secretariat."""
    _require_complete(practice)
    _transition(practice, user=user, status=Status.IN_REVIEW)
    recipients = list(User.objects.secretariat())
    _mail(recipients, "practice_submitted", practice=practice)
    return practice


@_checked(permissions.can_publish_practice)
def practice_publish(*, practice, user) -> Practice:
    """Make a complete practice public; the secretariat (and the author) are told."""
    _require_complete(practice)
    _transition(
        practice,
        user=user,
        status=Status.PUBLISHED,
        published_at=practice.published_at or timezone.now(),
        review_comment="",
        review_comment_at=None,
    )
    recipients = list(User.objects.secretariat())
    author = practice.author
    _mail(recipients, "practice_published", practice=practice)
    if author and author.is_active and author.pk != user.pk and author not in recipients:
        _mail([author], "practice_published_author", practice=practice)
    return practice


@_checked(permissions.can_review_practice)
def practice_request_changes(*, practice, user, comment: str) -> Practice:
    """Send a practice in review back to draft with the secretariat's comments, which the
    author receives by e-mail in their language."""
    comment = _required_comment(comment)
    _transition(
        practice,
        user=user,
        status=Status.DRAFT,
        review_comment=comment,
        review_comment_at=timezone.now(),
    )
    recipients = _city_authors(practice)
    _mail(recipients, "practice_changes_requested", practice=practice)
    return practice


@_checked(permissions.can_archive_practice)
def practice_archive(*, practice, user) -> Practice:
    """Withdraw a practice: it leaves every public list; nothing is deleted."""
    return _transition(practice, user=user, status=Status.ARCHIVED, featured=False)


@_checked(permissions.can_unpublish_practice)
def practice_unpublish(*, practice, user) -> Practice:
    """Take a published practice back to draft (moderation by the secretariat)."""
    return _transition(practice, user=user, status=Status.DRAFT, featured=False)


@_checked(permissions.can_restore_practice)
def practice_restore(*, practice, user) -> Practice:
    """Bring an archived practice back as a draft."""
    return _transition(practice, user=user, status=Status.DRAFT)


@_checked(permissions.can_feature_practice)
def practice_set_featured(*, practice, user, featured: bool) -> Practice:
    """Feature a published practice, or stop featuring it."""
    return _transition(practice, user=user, featured=bool(featured))


# --- revisions of published practices ----------------------------------------------------


def _propose_revision(practice, *, user, data: dict, version: int) -> PracticeRevision:
    """Keep an edit of a published practice as its pending revision (replacing an earlier
    pending one, which stays in the list of revisions)."""
    fields, m2m = _split(data)
    stored = {name: getattr(value, "pk", value) for name, value in fields.items()}
    stored.update({name: sorted(obj.pk for obj in values) for name, values in m2m.items()})
    PracticeRevision.objects.filter(
        practice=practice, status=PracticeRevision.Status.PENDING
    ).update(status=PracticeRevision.Status.REPLACED)
    return PracticeRevision.objects.create(
        practice=practice,
        data=_jsonable(stored),
        version=version,
        author=user,
    )


def _jsonable(values: dict) -> dict:
    """Dates and amounts as the text JSON keeps them (ISO dates, decimal strings)."""
    encoder = DjangoJSONEncoder()
    plain = (str, int, list, type(None))
    return {
        name: value if isinstance(value, plain) else encoder.default(value)
        for name, value in values.items()
    }


def revision_values(data: dict) -> dict:
    """A revision's stored data as the form's cleaned data: model instances and typed
    values, ready for practice_update (a query per relation)."""
    values = {}
    for name in PRACTICE_EDITABLE_FIELDS:
        if name not in data:
            continue
        field = Practice._meta.get_field(name)
        if field.is_relation:
            values[name] = field.related_model.objects.filter(pk=data[name]).first()
        else:
            values[name] = field.to_python(data[name])
    for name in PRACTICE_M2M_FIELDS:
        if name in data:
            model = Practice._meta.get_field(name).related_model
            values[name] = list(model.objects.filter(pk__in=data[name]))
    return values


def _pending(practice, revision):
    locked = PracticeRevision.objects.select_for_update().get(pk=revision.pk)
    if locked.practice_id != practice.pk or locked.status != PracticeRevision.Status.PENDING:
        raise ValidationError(_("These changes were already decided."), code="decided")
    return locked


@_checked(permissions.can_review_revision)
def practice_revision_approve(*, practice, revision, user) -> Practice:
    """Make a pending revision the published text (one more history record, by the
    approver); the revision is kept as approved."""
    revision = _pending(practice, revision)
    current = Practice.objects.select_for_update().select_related("city").get(pk=practice.pk)
    practice_update(
        practice=current,
        user=user,
        data=revision_values(revision.data),
        expected_version=current.version,
    )
    revision.status = PracticeRevision.Status.APPROVED
    revision.decided_by, revision.decided_at = user, timezone.now()
    revision.save(update_fields=["status", "decided_by", "decided_at"])
    return current


@_checked(permissions.can_review_revision)
def practice_revision_reject(*, practice, revision, user, comment: str) -> PracticeRevision:
    """Refuse a pending revision with the secretariat's reason; the published text stays."""
    comment = _required_comment(comment)
    revision = _pending(practice, revision)
    revision.status = PracticeRevision.Status.REJECTED
    revision.comment = comment
    revision.decided_by, revision.decided_at = user, timezone.now()
    revision.save(update_fields=["status", "comment", "decided_by", "decided_at"])
    return revision


# --- attachments -------------------------------------------------------------------------


@_checked(permissions.can_edit_practice)
def attachment_add(*, practice, user, upload, title: str = "") -> PracticeAttachment:
    """Store an uploaded file under a random name after checking its content and the
    practice's limit; ValidationError says why a file is refused."""
    # Lock the practice row so two uploads at once cannot pass the limit together.
    Practice.objects.select_for_update().filter(pk=practice.pk).exists()
    # counted in the database: the practice's prefetched list misses this save's removals
    if PracticeAttachment.objects.filter(practice=practice).count() >= max_files():
        raise ValidationError(
            _("A practice may have at most %(count)s attachments.") % {"count": max_files()},
            code="too_many",
        )
    checked = check_attachment(upload)
    attachment = PracticeAttachment(
        practice=practice,
        title=(title or checked.original_name.rsplit(".", 1)[0])[:200],
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=upload.size,
        uploaded_by=user,
    )
    attachment._history_user = user
    attachment.file.save(f"upload{checked.extension}", upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_remove(*, attachment, user) -> None:
    """Detach a file from its practice; the stored file and its history are kept."""
    if not permissions.can_edit_practice(user, attachment.practice):
        raise PermissionDenied
    attachment._history_user = user
    attachment.delete()


# --- e-mail ------------------------------------------------------------------------------


def _city_authors(practice) -> list:
    """The author, or the city's coordinators when the author is gone."""
    if practice.author and practice.author.is_active:
        return [practice.author]
    return [
        link.user
        for link in CityCoordinator.objects.filter(city_id=practice.city_id, user__is_active=True)
        .select_related("user")
        .order_by("user__email")
    ]


def _mail(recipients, template: str, *, practice) -> None:
    """One message per recipient, written in that person's language, its links on the
    portal's address (PORTAL_URL) in that language, queued to leave after the commit."""
    messages = []
    for recipient in recipients:
        language = recipient_language(recipient.language)
        with translation.override(language):
            context = {
                "recipient": recipient,
                "practice": practice,
                "city": practice.city,
                "url": absolute_url(practice.get_absolute_url()),
                "edit_url": absolute_url(
                    reverse("experiences:edit", kwargs={"slug": practice.slug})
                ),
            }
        name = f"experiences/email/{template}"
        messages.append(
            render_email(
                name, context, to=recipient.email, language=language, body=f"{name}_body.txt"
            )
        )
    send_after_commit(messages)
