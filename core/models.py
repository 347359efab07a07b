"""The ground floor's tables: the keys of e-mails already sent, and the task queue's jobs as
the secretariat's admin shows them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from procrastinate.contrib.django.models import ProcrastinateJob


class SentMail(models.Model):
    """One e-mail handed to the mail server, by the key it was given when it was queued: a
    job run twice (its worker died before marking it done) finds it here and sends nothing."""

    key = models.UUIDField(_("key"), primary_key=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")

    def __str__(self):
        return str(self.key)


class BackgroundJob(ProcrastinateJob):
    """A job of the task queue (Procrastinate's table, read-only here)."""

    class Meta:
        proxy = True
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")
        ordering = ["-id"]
