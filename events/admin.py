"""The secretariat's screens for events, their documents and registrations."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.security import log_event
from core.admin_inlines import ReadOnlyInline

from . import services
from .exports import registrations_csv
from .forms import BaseEventDocumentFormSet, EventAdminForm, EventDocumentForm
from .models import Delegate, Event, EventDocument, Registration


class EventDocumentInline(admin.TabularInline):
    model = EventDocument
    form = EventDocumentForm
    formset = BaseEventDocumentFormSet
    fields = ("kind", "title", "file", "original_name", "content_type", "size")
    readonly_fields = ("original_name", "content_type", "size")
    extra = 0


class RegistrationInline(ReadOnlyInline):
    """Read-only: registrations change through the coordinators' form and its services,
    which keep the seats and the waiting list right; attendance is corrected from the
    registrations' list (its actions), once the event has ended."""

    model = Registration
    fields = (
        "city",
        "status",
        "waiting_position",
        "attendees",
        "attended",
        "registered_by",
        "created_at",
    )
    ordering = ("status", "waiting_position", "city__sort_name")
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("city", "registered_by")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    list_display = (
        "title",
        "kind",
        "starts_at",
        "time_zone",
        "host_city",
        "registration_open",
        "cancelled",
        "seats",
        "is_sample",
    )
    list_filter = ("kind", "registration_open", "cancelled", "is_sample", "working_group", "lines")
    filter_horizontal = ("lines",)
    search_fields = ("title", "slug", "place", "host_city__name")
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ("title",)}
    raw_id_fields = ("host_city",)
    readonly_fields = ("notified_at", "registrations_link")
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "working_group", "lines", "description")}),
        (_("When"), {"fields": ("time_zone", "starts_local", "ends_local")}),
        (_("Where"), {"fields": ("place", "host_city", "online_url")}),
        (
            _("Registration"),
            {
                "fields": (
                    "registration_open",
                    "capacity",
                    "cancelled",
                    "notified_at",
                    "registrations_link",
                )
            },
        ),
        (_("Sample content"), {"fields": ("is_sample",)}),
    )
    inlines = [EventDocumentInline, RegistrationInline]
    actions = ["open_registration_and_notify", "export_registrations"]

    def get_queryset(self, request):
        confirmed = Q(registrations__status=Registration.Status.CONFIRMED)
        return (
            super()
            .get_queryset(request)
            .select_related("host_city")
            .annotate(
                seats_taken=Sum("registrations__attendees", filter=confirmed),
                waiting=Count("registrations", filter=~confirmed),
            )
        )

    @admin.display(description=_("seats taken"))
    def seats(self, event):
        taken = event.seats_taken or 0
        text = f"{taken} / {event.capacity}" if event.capacity else str(taken)
        return f"{text} (+{event.waiting})" if event.waiting else text

    @admin.display(description=_("registrations"))
    def registrations_link(self, event):
        if not event.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("events:registrations", kwargs={"slug": event.slug}),
            _("Registrations page"),
            reverse("events:registrations_csv", kwargs={"slug": event.slug}),
            _("CSV"),
        )

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change and "capacity" in form.changed_data:
                promoted = services.event_seats_changed(event=obj)
                if promoted:
                    self.message_user(
                        request,
                        ngettext(
                            "%(count)d city was moved from the waiting list to confirmed.",
                            "%(count)d cities were moved from the waiting list to confirmed.",
                            len(promoted),
                        )
                        % {"count": len(promoted)},
                    )

    @admin.action(description=_("Open registration and notify coordinators"))
    def open_registration_and_notify(self, request, queryset):
        for event in queryset:
            try:
                sent = services.event_open_registration(event=event)
            except ValidationError as error:
                self.message_user(request, f"{event}: {' '.join(error.messages)}", messages.WARNING)
                continue
            if sent:
                message = ngettext(
                    "%(event)s: registration is open; %(count)d coordinator was notified.",
                    "%(event)s: registration is open; %(count)d coordinators were notified.",
                    sent,
                ) % {"event": event, "count": sent}
            else:
                message = _(
                    "%(event)s: registration is open; the coordinators had already been notified."
                ) % {"event": event}
            self.message_user(request, message)

    @admin.action(description=_("Export the registrations of the selected events as CSV"))
    def export_registrations(self, request, queryset):
        log_event("export", request, what="registrations", events=queryset.count())
        return registrations_csv(queryset, "utds-registrations.csv")


class DelegateInline(ReadOnlyInline):
    """The delegates of a registration, as the coordinator gave them (read-only)."""

    model = Delegate
    fields = ("name", "position", "email", "consented_at")


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = (
        "event",
        "city",
        "status",
        "waiting_position",
        "attendees",
        "attendance",
        "registered_by",
    )
    list_filter = ("status", "attended", "event__kind", "event")
    search_fields = ("event__title", "city__name")
    list_select_related = ("event", "city", "registered_by")
    fields = (
        "event",
        "city",
        "status",
        "waiting_position",
        "attendees",
        "registered_by",
        "note",
        "attended",
        "delegates_purged_at",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = [DelegateInline]
    actions = ["mark_attended", "mark_not_attended", "mark_attendance_default"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("attendance"))
    def attendance(self, registration):
        event = registration.event
        if event.cancelled:
            return _("cancelled")
        if not event.has_ended():
            return _("event not ended")
        if registration.attended is None:
            counted = registration.status == Registration.Status.CONFIRMED
            return _("attended (confirmed)") if counted else _("did not attend (waiting list)")
        return (
            _("attended (corrected)") if registration.attended else _("did not attend (corrected)")
        )

    def _set_attendance(self, request, queryset, attended):
        done = 0
        for registration in queryset.select_related("event", "city"):
            try:
                services.registration_set_attendance(
                    registration=registration, attended=attended, user=request.user
                )
            except ValidationError as error:
                self.message_user(
                    request, f"{registration}: {' '.join(error.messages)}", messages.WARNING
                )
                continue
            done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "The attendance of %(count)d registration was recorded.",
                    "The attendance of %(count)d registrations was recorded.",
                    done,
                )
                % {"count": done},
            )

    @admin.action(description=_("Mark as attended (after the event)"))
    def mark_attended(self, request, queryset):
        self._set_attendance(request, queryset, True)

    @admin.action(description=_("Mark as did not attend (after the event)"))
    def mark_not_attended(self, request, queryset):
        self._set_attendance(request, queryset, False)

    @admin.action(description=_("Attendance from the registration (undo the correction)"))
    def mark_attendance_default(self, request, queryset):
        self._set_attendance(request, queryset, None)
