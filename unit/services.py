"""Writes of the unit's work that span rows: the library's search vector, a new work plan
started from the previous one, and the secretariat's messages to the coordinators."""

import enum
import re

from django.contrib.postgres.search import SearchVector
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.fulltext import config_for_row
from core.mail import recipient_language, render_email, send_after_commit
from core.tasks import enqueue

from . import queries, tasks
from .models import Document, LineOfWork, MessageDelivery, NetworkMessage, WorkPlan


def document_search_vector():
    """Title (A) and summary (B), stemmed in the document's own language."""
    config = config_for_row()
    return SearchVector("title", weight="A", config=config) + SearchVector(
        "summary", weight="B", config=config
    )


def document_refresh_search(*, document: Document) -> None:
    """Rebuild one document's search vector after its title or summary changed."""
    Document.objects.filter(pk=document.pk).update(search_vector=document_search_vector())


def documents_refresh_search() -> int:
    """Rebuild every document's search vector (after a bulk load); returns the count."""
    return Document.objects.update(search_vector=document_search_vector())


def _copied_slug(slug: str, old_year: int, new_year: int, taken: set[str]) -> str:
    """The line's slug with the new plan's first year in place of the old one's."""
    base = re.sub(rf"^{old_year}-", "", slug)[:70]
    candidate, n = f"{new_year}-{base}", 2
    while candidate in taken:
        candidate, n = f"{new_year}-{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


@transaction.atomic
def plan_start_from(*, plan: WorkPlan) -> WorkPlan:
    """A new work plan copying `plan`'s titles, summary and lines of work, for the period
    after the latest plan recorded and as long as `plan`'s, for the secretariat to edit.
    Review notes and the document stay with the old plan."""
    # One copy at a time: two clicks on the action must not both pick the same years.
    WorkPlan.objects.select_for_update().filter(pk=plan.pk).get()
    start = (WorkPlan.objects.aggregate(last=Max("end_year"))["last"] or plan.end_year) + 1
    copy = WorkPlan.objects.create(
        start_year=start,
        end_year=start + plan.end_year - plan.start_year,
        title_es=plan.title_es,
        title_pt_br=plan.title_pt_br,
        title_en=plan.title_en,
        summary_es=plan.summary_es,
        summary_pt_br=plan.summary_pt_br,
        summary_en=plan.summary_en,
    )
    taken = set(LineOfWork.objects.values_list("slug", flat=True))
    LineOfWork.objects.bulk_create(
        LineOfWork(
            plan=copy,
            number=line.number,
            slug=_copied_slug(line.slug, plan.start_year, start, taken),
            title_es=line.title_es,
            title_pt_br=line.title_pt_br,
            title_en=line.title_en,
            description_es=line.description_es,
            description_pt_br=line.description_pt_br,
            description_en=line.description_en,
            shows_profile_updates=line.shows_profile_updates,
            counts_practice_transfers=line.counts_practice_transfers,
        )
        for line in plan.lines.order_by("number")
    )
    return copy


# --- Messages to the coordinators ------------------------------------------------------------


class MessageAlreadySent(Exception):
    """The message left the drafts (sent meanwhile, in another tab): it is not changed."""


class SendResult(enum.Enum):
    QUEUED = "queued"
    ALREADY = "already"  # sent before: a second click sends nothing
    NOBODY = "nobody"  # no coordinator matches the message's filters


@transaction.atomic
def message_save(*, message: NetworkMessage, by) -> NetworkMessage:
    """Save a draft message (new or edited); refuses once it has left the drafts."""
    if message.pk is not None:
        stored = NetworkMessage.objects.select_for_update().get(pk=message.pk)
        if not stored.is_draft:
            raise MessageAlreadySent
    else:
        message.created_by = by
    message.status = NetworkMessage.Status.DRAFT
    message.save()
    return message


@transaction.atomic
def message_send(*, message_id: int, by) -> SendResult:
    """Mark a draft message as being sent and queue its delivery in the background
    (unit.tasks.deliver_message). The row is locked, so a double submit, or two tabs,
    queue it once: the second finds it no longer a draft."""
    message = NetworkMessage.objects.select_for_update().get(pk=message_id)
    if not message.is_draft:
        return SendResult.ALREADY
    count = queries.message_recipients(message).count()
    if not count:
        return SendResult.NOBODY
    message.status = NetworkMessage.Status.SENDING
    message.sent_by, message.sent_at, message.recipient_count = by, timezone.now(), count
    message.save(update_fields=["status", "sent_by", "sent_at", "recipient_count", "updated_at"])
    enqueue(tasks.deliver_message, message_id=message.pk)
    return SendResult.QUEUED


def _message_email(message: NetworkMessage, user) -> tuple[str, EmailMessage]:
    """(language of the text, e-mail) for one recipient: their language's version, or the
    Spanish one, with the portal's prefix and footer in that same language."""
    language, subject, body = message.text_in(recipient_language(user.language))
    context = {"subject": subject, "body": body, "recipient": user}
    return language, render_email("unit/email/message", context, to=user.email, language=language)


@transaction.atomic
def message_deliver(*, message_id: int) -> int:
    """Queue one e-mail per recipient of a message being sent, each in the recipient's
    language (Spanish when the message has no version in it), addressed to that person
    alone, and record each (MessageDelivery). Returns the number queued; none for a
    message not being sent (delivered already), so a job run twice sends nothing twice."""
    message = NetworkMessage.objects.select_for_update().filter(pk=message_id).first()
    if message is None or message.status != NetworkMessage.Status.SENDING:
        return 0
    recipients = list(queries.message_recipients(message))
    written = [_message_email(message, user) for user in recipients]
    keys = send_after_commit(
        [email for _language, email in written], once_per=f"unit.message:{message.pk}"
    )
    MessageDelivery.objects.bulk_create(
        [
            MessageDelivery(
                message=message,
                recipient=user,
                email=user.email,
                language=language,
                subject=email.subject,
                mail_key=key,
            )
            for user, (language, email), key in zip(recipients, written, keys, strict=True)
        ],
        ignore_conflicts=True,
    )
    message.status, message.recipient_count = NetworkMessage.Status.SENT, len(recipients)
    message.save(update_fields=["status", "recipient_count", "updated_at"])
    return len(recipients)
