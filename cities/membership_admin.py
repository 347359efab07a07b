"""The secretariat's membership screens: applications through their stages, and invitations.

Every decision on an application and every invitation goes through cities.services.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from core.admin_inlines import ReadOnlyInline

from . import services
from .membership_forms import APPLICANT_FIELDS, ApplicationAdminForm
from .models import ApplicationStage, CoordinatorInvitation, MembershipApplication, stage_label

Status = MembershipApplication.Status
Kind = MembershipApplication.Kind


class PendingFilter(admin.SimpleListFilter):
    """Applications still waiting for a decision (received, in review, recommended)."""

    title = _("decision")
    parameter_name = "pending"

    def lookups(self, request, model_admin):
        return [("yes", _("pending")), ("no", _("decided"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(status__in=MembershipApplication.PENDING)
        if self.value() == "no":
            return queryset.exclude(status__in=MembershipApplication.PENDING)
        return queryset


class ApplicationStageInline(ReadOnlyInline):
    """The application's history, read-only: stages are written by the services."""

    model = ApplicationStage
    fields = ("stage", "created_at", "decided_by", "note")

    def get_queryset(self, request):
        # each row's title (__str__) names the application and shows who decided it: joined
        # here, not one query per stage
        return super().get_queryset(request).select_related("application", "decided_by")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("status"))
    def stage(self, stage):
        return stage_label(stage.application.kind, stage.status)


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(admin.ModelAdmin):
    form = ApplicationAdminForm
    list_display = ("city_name", "country", "kind", "contact_name", "email", "stage", "created_at")
    list_filter = (PendingFilter, "kind", "status", ("country", CountryFilter), "language")
    search_fields = ("city_name", "contact_name", "email")
    date_hierarchy = "created_at"
    inlines = (ApplicationStageInline,)
    actions = ("confirm_in_unit", "advance_to_review", "recommend", "approve", "reject")

    def has_add_permission(self, request):
        # Applications come from the public form, which records their first stage.
        return False

    @admin.display(description=_("status"), ordering="status")
    def stage(self, application):
        return application.status_label

    def get_readonly_fields(self, request, obj=None):
        fixed = ("language", "created_at", "status", "city")
        if obj is not None and not obj.is_pending:
            return (*APPLICANT_FIELDS, *fixed, "rejection_reason")
        return fixed

    def get_fieldsets(self, request, obj=None):
        applicant = (None, {"fields": (*APPLICANT_FIELDS, "language", "created_at")})
        if obj is not None and obj.is_pending:
            fields = ("status", "decision", "note", "rejection_reason")
            return (applicant, (_("Decision"), {"fields": fields}))
        return (applicant, (_("Outcome"), {"fields": ("status", "city", "rejection_reason")}))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        decision = form.cleaned_data.get("decision")
        if decision:
            self._decide(request, obj, decision, note=form.cleaned_data.get("note", ""))

    def _decide(self, request, application, status, note="") -> bool:
        """Call the service for this decision; a refusal becomes an error message."""
        try:
            if status == Status.REJECTED:
                services.application_reject(
                    application=application, reason=application.rejection_reason, by=request.user
                )
            elif status == Status.APPROVED:
                services.application_approve(application=application, note=note, by=request.user)
            else:
                services.application_advance(
                    application=application, to_status=status, note=note, by=request.user
                )
        except ValidationError as error:
            message = f"{application}: {' '.join(error.messages)}"
            self.message_user(request, message, messages.ERROR)
            return False
        return True

    def _decide_all(self, request, queryset, status, kind=Kind.NETWORK):
        done = sum(self._decide(request, application, status) for application in queryset)
        if done:
            message = ngettext(
                "%(count)d application moved to “%(status)s”.",
                "%(count)d applications moved to “%(status)s”.",
                done,
            ) % {"count": done, "status": stage_label(kind, status)}
            self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Confirm a member city in the unit and invite the applicant"))
    def confirm_in_unit(self, request, queryset):
        unit_path = queryset.filter(kind=Kind.UNIT)
        for application in queryset.exclude(kind=Kind.UNIT):
            message = gettext(
                "%(application)s applies to join Mercociudades: it goes through the statutes' "
                "stages, not the unit's confirmation."
            ) % {"application": application}
            self.message_user(request, message, messages.WARNING)
        self._decide_all(request, unit_path, Status.APPROVED, kind=Kind.UNIT)

    @admin.action(description=_("Move to review by the secretariat"))
    def advance_to_review(self, request, queryset):
        self._decide_all(request, queryset, Status.UNDER_REVIEW)

    @admin.action(description=_("Recommend to the Council"))
    def recommend(self, request, queryset):
        self._decide_all(request, queryset, Status.RECOMMENDED)

    @admin.action(description=_("Approve (decision of the Assembly) and invite the applicant"))
    def approve(self, request, queryset):
        self._decide_all(request, queryset, Status.APPROVED)

    @admin.action(description=_("Reject, with the reason written in each application"))
    def reject(self, request, queryset):
        self._decide_all(request, queryset, Status.REJECTED)


@admin.register(CoordinatorInvitation)
class CoordinatorInvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are sent from a city's page; the token is never shown."""

    list_display = (
        "email",
        "name",
        "city",
        "language",
        "state",
        "created_at",
        "expires_at",
        "accepted_at",
        "invited_by",
    )
    list_filter = ("language",)
    search_fields = ("email", "name", "city__name")
    list_select_related = ("city", "invited_by")
    fields = (
        "email",
        "name",
        "language",
        "city",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "user",
    )
    readonly_fields = fields
    actions = ("send_again",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("state"))
    def state(self, invitation):
        if invitation.is_used:
            return gettext("accepted")
        if invitation.is_expired:
            return gettext("expired")
        return gettext("waiting")

    @admin.action(description=_("Send a new invitation to the same people"))
    def send_again(self, request, queryset):
        sent = 0
        for invitation in queryset.select_related("city"):
            try:
                services.invitation_send(
                    city=invitation.city,
                    email=invitation.email,
                    name=invitation.name,
                    language=invitation.language,
                    by=request.user,
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
            else:
                sent += 1
        if sent:
            message = ngettext(
                "%(count)d invitation sent.", "%(count)d invitations sent.", sent
            ) % {"count": sent}
            self.message_user(request, message, messages.SUCCESS)
