"""The secretariat's screens for practices, themes and publishing rights."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from core.translation import localized_columns

from . import services
from .models import (
    PRACTICE_TEXT_FIELDS,
    CityPublishingRight,
    CRCArticle,
    Practice,
    PracticeAttachment,
    Theme,
)

NAME_COLUMNS = localized_columns("name")


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = (*NAME_COLUMNS, "slug", "position")
    list_editable = ("position",)
    search_fields = ("slug", *NAME_COLUMNS)
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(CRCArticle)
class CRCArticleAdmin(admin.ModelAdmin):
    list_display = ("number", *NAME_COLUMNS, "general_principle")
    list_filter = ("general_principle",)
    search_fields = NAME_COLUMNS
    ordering = ("number",)


@admin.register(CityPublishingRight)
class CityPublishingRightAdmin(admin.ModelAdmin):
    list_display = ("city", "can_self_publish", "note", "updated_at")
    list_filter = ("can_self_publish",)
    list_editable = ("can_self_publish",)
    search_fields = ("city__name",)
    raw_id_fields = ("city",)


class PracticeAttachmentInline(admin.TabularInline):
    model = PracticeAttachment
    fields = ("title", "original_name", "content_type", "size", "created_at")
    readonly_fields = ("original_name", "content_type", "size", "created_at")
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        # Files arrive through the practice form, where their content is checked.
        return False


def _report(model_admin, request, done: int, message) -> None:
    """Tell how many practices an action changed (nothing when none); `message` is an
    ngettext_lazy(…, "count") so the plural follows `done`."""
    if done:
        model_admin.message_user(request, message % {"count": done})


def _run_on_each(modeladmin, request, queryset, service, **kwargs) -> int:
    """Run a service on each selected practice; report the refusals, return the count."""
    done = 0
    for practice in queryset:
        try:
            service(practice=practice, user=request.user, **kwargs)
            done += 1
        except (PermissionDenied, ValidationError) as error:
            detail = "; ".join(getattr(error, "messages", [])) or _("not allowed in its state")
            modeladmin.message_user(request, f"{practice}: {detail}", messages.WARNING)
    return done


@admin.register(Practice)
class PracticeAdmin(SimpleHistoryAdmin):
    list_display = ("title", "city", "status", "language", "featured", "is_sample", "published_at")
    list_filter = ("status", "featured", "language", "is_sample", "city__country", "themes")
    search_fields = ("title", "slug", "city__name", "summary")
    date_hierarchy = "published_at"
    raw_id_fields = ("city", "author")
    filter_horizontal = (
        "partner_cities",
        "themes",
        "goals",
        "social_problems",
        "crc_articles",
    )
    readonly_fields = ("version", "created_at", "updated_at", "published_at")
    inlines = [PracticeAttachmentInline]
    history_list_display = ("status", "version")
    actions = ["publish", "unpublish", "feature", "unfeature", "archive", "restore"]
    fieldsets = (
        (None, {"fields": ("title", "slug", "city", "partner_cities", "language", "author")}),
        (
            _("Systematisation"),
            {"fields": (*PRACTICE_TEXT_FIELDS, "start_date", "end_date")},
        ),
        (_("Classification"), {"fields": ("themes", "goals", "social_problems", "crc_articles")}),
        (
            _("Partners and funding"),
            {"fields": ("partners", "budget", "currency", "funding_source")},
        ),
        (_("Contact (members only)"), {"fields": ("contact_name", "contact_email")}),
        (
            _("Workflow"),
            {
                "fields": (
                    "status",
                    "review_comment",
                    "featured",
                    "is_sample",
                    "published_at",
                    "version",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )

    def has_delete_permission(self, request, obj=None):
        # Nothing is destroyed: archive instead (an action below).
        return False

    def save_model(self, request, obj, form, change):
        # An admin save also raises the version, so an open portal form cannot overwrite it.
        # (A revert from the history starts from the old version number: read the row's.)
        if change:
            current = (
                Practice.objects.select_for_update()
                .filter(pk=obj.pk)
                .values_list("version", flat=True)
                .first()
            )
            obj.version = (current or 0) + 1
        if obj.status == Practice.Status.PUBLISHED and obj.published_at is None:
            obj.published_at = timezone.now()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Also after a revert from the history: the vector follows the restored text.
        services.practice_refresh_search(practice=form.instance)

    @admin.action(description=_("Publish the selected practices"))
    def publish(self, request, queryset):
        done = _run_on_each(self, request, queryset, services.practice_publish)
        _report(
            self,
            request,
            done,
            ngettext_lazy(
                "%(count)s practice was published.", "%(count)s practices were published.", "count"
            ),
        )

    @admin.action(description=_("Unpublish the selected practices (back to draft)"))
    def unpublish(self, request, queryset):
        done = _run_on_each(self, request, queryset, services.practice_unpublish)
        _report(
            self,
            request,
            done,
            ngettext_lazy(
                "%(count)s practice was unpublished.",
                "%(count)s practices were unpublished.",
                "count",
            ),
        )

    @admin.action(description=_("Feature the selected practices"))
    def feature(self, request, queryset):
        done = _run_on_each(self, request, queryset, services.practice_set_featured, featured=True)
        _report(
            self,
            request,
            done,
            ngettext_lazy(
                "%(count)s practice is now featured.",
                "%(count)s practices are now featured.",
                "count",
            ),
        )

    @admin.action(description=_("Stop featuring the selected practices"))
    def unfeature(self, request, queryset):
        done = _run_on_each(self, request, queryset, services.practice_set_featured, featured=False)
        _report(
            self,
            request,
            done,
            ngettext_lazy(
                "%(count)s practice is no longer featured.",
                "%(count)s practices are no longer featured.",
                "count",
            ),
        )

    @admin.action(description=_("Archive the selected practices"))
    def archive(self, request, queryset):
        done = _run_on_each(self, request, queryset, services.practice_archive)
        _report(
            self,
            request,
            done,
            ngettext_lazy(
                "%(count)s practice was archived.", "%(count)s practices were archived.", "count"
            ),
        )

    @admin.action(description=_("Restore the selected archived practices as drafts"))
    def restore(self, request, queryset):
        done = _run_on_each(self, request, queryset, services.practice_restore)
        _report(
            self,
            request,
            done,
            ngettext_lazy(
                "%(count)s practice was restored as a draft.",
                "%(count)s practices were restored as drafts.",
                "count",
            ),
        )


@admin.register(PracticeAttachment)
class PracticeAttachmentAdmin(SimpleHistoryAdmin):
    list_display = ("title", "practice", "original_name", "content_type", "size", "created_at")
    search_fields = ("title", "original_name", "practice__title")
    readonly_fields = ("practice", "file", "original_name", "content_type", "size", "uploaded_by")
    fields = ("practice", "title", "file", "original_name", "content_type", "size", "uploaded_by")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
