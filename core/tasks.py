"""The ground floor's background tasks: delivering one e-mail at most once, running again
the jobs of workers that died, and clearing old jobs; plus `enqueue`, the one way to queue."""

import datetime
import logging
import uuid

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import connection, transaction
from django.utils import timezone
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from .models import OutgoingMail

logger = logging.getLogger(__name__)


def enqueue(task, **kwargs) -> None:
    """Queue `task` with these arguments in the current transaction: a worker sees the job
    only once the transaction commits, and a rolled-back write leaves no job behind.

    With TASKS_EAGER (tests), the task runs in this process instead, right after the commit
    of the code's transaction (at once outside one); a failure is logged, never raised.
    """
    if not settings.TASKS_EAGER:
        task.defer(**kwargs)
        return

    def run():
        try:
            task(**kwargs)
        except Exception:
            logger.exception("eager task %s failed", task.name)

    # The test case's own transaction stands for the database's autocommit.
    if any(not block._from_testcase for block in connection.atomic_blocks):
        transaction.on_commit(run)
    else:
        run()


# --- e-mail --------------------------------------------------------------------------------


def queue_mails(messages: dict[uuid.UUID, EmailMessage]) -> None:
    """Store rendered messages under their keys and queue one mail task each. A key stored
    already (the same announcement queued again) queues nothing."""
    stored = set(OutgoingMail.objects.filter(key__in=messages).values_list("key", flat=True))
    new = {key: message for key, message in messages.items() if key not in stored}
    OutgoingMail.objects.bulk_create(
        [
            OutgoingMail(
                key=key,
                to=", ".join(message.to),
                subject=message.subject,
                message=_payload(message),
            )
            for key, message in new.items()
        ],
        ignore_conflicts=True,
    )
    for key in new:
        enqueue(send_mail, key=str(key))


def _payload(message: EmailMessage) -> dict:
    if message.attachments:
        raise ValueError("queued e-mails carry no attachments")
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [content, mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


def _message(payload: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        cc=payload["cc"],
        bcc=payload["bcc"],
        reply_to=payload["reply_to"],
        headers=payload["headers"],
    )
    for content, mimetype in payload["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


@app.task(
    queue="mail",
    retry=RetryStrategy(
        max_attempts=settings.MAIL_RETRY_ATTEMPTS,
        exponential_wait=settings.MAIL_RETRY_BACKOFF_SECONDS,
    ),
)
def send_mail(*, key: str) -> bool:
    """Send the queued e-mail with this key unless it was sent already; True when sent.

    The row is locked, the message sent and the row marked sent (its message emptied) in
    one transaction: a failed send changes nothing (the job is retried with backoff), a
    second run of the job (its worker died after sending) finds it sent, and two runs at
    once queue on the row's lock.
    """
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().get(key=key)
        if mail.sent_at is not None:
            logger.info("mail %s was sent already; not sending it again", key)
            return False
        _message(mail.message).send()
        mail.sent_at, mail.message = timezone.now(), {}
        mail.save(update_fields=["sent_at", "message"])
    return True


# --- the queue's own upkeep ---------------------------------------------------------------


@app.periodic(cron="*/5 * * * *")
@app.task(queueing_lock="core.retry_stalled_jobs", pass_context=True)
async def retry_stalled_jobs(context, timestamp: int) -> int:
    """Queue again the jobs held by workers that sent no heartbeat for TASKS_STALLED_SECONDS
    (killed outright, machine lost); returns how many."""
    manager = context.app.job_manager
    stalled = await manager.get_stalled_jobs(seconds_since_heartbeat=settings.TASKS_STALLED_SECONDS)
    for job in stalled:
        logger.warning("job %s (%s) was left by a dead worker; queued again", job.id, job.task_name)
        await manager.retry_job(job)
    return len(stalled)


@app.periodic(cron="17 4 * * *")
@app.task(queueing_lock="core.delete_old_jobs", pass_context=True)
async def delete_old_jobs(context, timestamp: int) -> None:
    """Delete jobs finished (succeeded or cancelled) more than TASKS_KEEP_DAYS ago, and the
    e-mails sent before then; failed jobs and unsent e-mails stay for the secretariat."""
    days = settings.TASKS_KEEP_DAYS
    await context.app.job_manager.delete_old_jobs(nb_hours=days * 24, include_cancelled=True)
    cutoff = timezone.now() - datetime.timedelta(days=days)
    await OutgoingMail.objects.filter(sent_at__lt=cutoff).adelete()
