"""The secretariat's screen over the task queue: what waits, runs, is done or failed (an
e-mail whose retries ran out), with an action that queues failed tasks again. It replaces
Procrastinate's own screen, which speaks English only."""

import json

from django.contrib import admin, messages
from django.db.models import Case, Max, OuterRef, Subquery, UUIDField, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from procrastinate import utils as procrastinate_utils
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from .models import BackgroundJob, OutgoingMail
from .tasks import send_mail

STATUS_LABELS = {
    "todo": _("waiting"),
    "doing": _("running"),
    "succeeded": _("done"),
    "failed": _("failed"),
    "cancelled": _("cancelled"),
    "aborted": _("aborted"),
}

if admin.site.is_registered(ProcrastinateJob):
    admin.site.unregister(ProcrastinateJob)


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return list(STATUS_LABELS.items())

    def queryset(self, request, queryset):
        if self.value() in STATUS_LABELS:
            return queryset.filter(status=self.value())
        return queryset


@admin.register(BackgroundJob)
class BackgroundJobAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "task",
        "status_label",
        "attempts",
        "recipient",
        "subject",
        "scheduled_at",
        "last_event_at",
    ]
    list_filter = [StatusFilter, "task_name"]
    search_fields = ["task_name"]
    fields = [*list_display, "arguments"]
    readonly_fields = fields
    actions = ["retry"]

    def get_queryset(self, request):
        # A mail task's job holds only the key of its e-mail; the recipient and subject are
        # read from the e-mail's row.
        mail_key = Case(
            When(task_name=send_mail.name, then=Cast(KT("args__key"), UUIDField())),
            default=None,
        )
        mails = OutgoingMail.objects.filter(key=OuterRef("mail_key"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                last_event=Max("procrastinateevent__at"),
                mail_key=mail_key,
                mail_to=Subquery(mails.values("to")[:1]),
                mail_subject=Subquery(mails.values("subject")[:1]),
            )
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("task"), ordering="task_name")
    def task(self, job):
        return job.task_name.rsplit(".", 1)[-1].replace("_", " ")

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, job):
        return STATUS_LABELS.get(job.status, job.status)

    @admin.display(description=_("recipient"), ordering="mail_to")
    def recipient(self, job):
        return job.mail_to or ""

    @admin.display(description=_("subject"), ordering="mail_subject")
    def subject(self, job):
        return job.mail_subject or ""

    @admin.display(description=_("last change"), ordering="last_event")
    def last_event_at(self, job):
        return job.last_event

    @admin.display(description=_("arguments"))
    def arguments(self, job):
        return format_html("<pre>{}</pre>", json.dumps(job.args, indent=2, ensure_ascii=False))

    @admin.action(description=_("Retry the selected failed tasks"))
    def retry(self, request, queryset):
        failed = list(queryset.filter(status="failed"))
        for job in failed:
            app.job_manager.retry_job_by_id(
                job.id, procrastinate_utils.utcnow(), job.priority, job.queue_name, job.lock
            )
        self.message_user(
            request,
            ngettext(
                "%(count)d failed task was queued again.",
                "%(count)d failed tasks were queued again.",
                len(failed),
            )
            % {"count": len(failed)},
            messages.SUCCESS if failed else messages.WARNING,
        )
