"""The ground floor's tables: the e-mails the mail tasks send, and the task queue's jobs as
the secretariat's admin shows them; what the apps' models share (Timestamped,
optional_link)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from procrastinate.contrib.django.models import ProcrastinateJob


class OutgoingMail(models.Model):
    """An e-mail queued for a mail task (core.tasks.send_mail), found by the key the job
    carries: the job's arguments and the worker's log lines hold only the key, never the
    body with its links. Once sent, the message is emptied and `sent_at` kept, so a job run
    twice (its worker died before marking it done) sends nothing the second time."""

    key = models.UUIDField(_("key"), primary_key=True)
    to = models.TextField(_("recipient"))
    subject = models.TextField(_("subject"))
    message = models.JSONField(_("message"), default=dict, blank=True)
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self):
        return f"{self.to}: {self.subject}"


class BackgroundJob(ProcrastinateJob):
    """A job of the task queue (Procrastinate's table, read-only here)."""

    class Meta:
        proxy = True
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")
        ordering = ["-id"]


def optional_link(to, verbose_name, **options) -> models.ForeignKey:
    """A link that may stay empty and is emptied, never cascading, when its row is deleted
    (an account, a city, a document…): what links to it is kept."""
    return models.ForeignKey(
        to, verbose_name=verbose_name, on_delete=models.SET_NULL, null=True, blank=True, **options
    )


class Timestamped(models.Model):
    """An abstract base: when the row was created and when it last changed."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True
