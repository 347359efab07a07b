"""The secretariat's screens for plans, lines of work, review notes, documents and news."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import DocumentForm, NetworkMessageForm, NewsItemForm, ReviewNoteForm
from .models import (
    Document,
    LineOfWork,
    MessageDelivery,
    NetworkMessage,
    NewsItem,
    ReviewNote,
    WorkPlan,
)


class LineOfWorkInline(admin.StackedInline):
    model = LineOfWork
    fields = (
        "number",
        "slug",
        ("title_es", "title_pt_br", "title_en"),
        "description_es",
        "description_pt_br",
        "description_en",
        "shows_profile_updates",
        "counts_practice_transfers",
    )
    extra = 0
    ordering = ("number",)


@admin.register(WorkPlan)
class WorkPlanAdmin(admin.ModelAdmin):
    list_display = ("title_es", "start_year", "end_year", "document")
    search_fields = ("title_es", "title_pt_br", "title_en")
    raw_id_fields = ("document",)
    fieldsets = (
        (None, {"fields": (("start_year", "end_year"), "document")}),
        (_("Title"), {"fields": ("title_es", "title_pt_br", "title_en")}),
        (_("Summary"), {"fields": ("summary_es", "summary_pt_br", "summary_en")}),
    )
    inlines = [LineOfWorkInline]
    actions = ("start_new_plan",)

    @admin.action(description=_("Start a new plan from this one"))
    def start_new_plan(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, gettext("Choose one plan to start the new one from."), messages.ERROR
            )
            return None
        plan = services.plan_start_from(plan=queryset.get())
        self.message_user(
            request,
            gettext(
                "The plan %(period)s was created with the lines of the previous one: "
                "edit its years, titles and lines, then save."
            )
            % {"period": plan.period},
            messages.SUCCESS,
        )
        return redirect(reverse("admin:unit_workplan_change", args=[plan.pk]))


@admin.register(LineOfWork)
class LineOfWorkAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "title_es",
        "plan",
        "shows_profile_updates",
        "counts_practice_transfers",
    )
    list_display_links = ("title_es",)
    list_filter = ("plan",)
    search_fields = ("title_es", "title_pt_br", "title_en", "slug")
    ordering = ("-plan__start_year", "number")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("plan")


@admin.register(ReviewNote)
class ReviewNoteAdmin(admin.ModelAdmin):
    """The secretariat's periodic review: one note per line of work and year."""

    form = ReviewNoteForm
    list_display = ("line", "year", "author", "updated_at")
    list_filter = ("year", "line__plan")
    search_fields = ("body", "line__title_es")
    readonly_fields = ("author", "updated_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("line__plan", "author")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "line":
            kwargs["queryset"] = LineOfWork.objects.select_related("plan")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.author = request.user
        super().save_model(request, obj, form, change)


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    form = DocumentForm
    list_display = (
        "title",
        "kind",
        "year",
        "language",
        "audience",
        "for_new_members",
        "file_size",
    )
    list_filter = ("kind", "year", "language", "audience", "for_new_members", "is_sample")
    search_fields = ("title", "summary", "original_name")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("original_name", "content_type", "size")
    filter_horizontal = ("lines",)

    @admin.display(description=_("size"), ordering="size")
    def file_size(self, document):
        return filesizeformat(document.size)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The vector is built from title and summary only, so the lines saved after this
        # (save_related) do not change it.
        services.document_refresh_search(document=obj)


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    form = NewsItemForm
    list_display = ("title", "published_at", "language", "is_published", "city", "event")
    list_filter = ("is_published", "language", "is_sample", "lines")
    search_fields = ("title", "summary", "body")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("city", "event")
    filter_horizontal = ("lines",)
    date_hierarchy = "published_at"
    readonly_fields = ("author",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("city", "event")

    def save_model(self, request, obj, form, change):
        if not obj.author_id:
            obj.author = request.user
        super().save_model(request, obj, form, change)
        self.message_user(request, news_visibility_message(obj), messages.INFO)


class MessageDeliveryInline(admin.TabularInline):
    """The record of a sent message: who was sent it, in which language, when."""

    model = MessageDelivery
    fields = ("email", "recipient", "language", "subject", "queued_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recipient")


@admin.register(NetworkMessage)
class NetworkMessageAdmin(admin.ModelAdmin):
    """The messages to the coordinators and their record, read-only: they are written,
    previewed and sent on the secretariat's page (/unit/messages/), which says who gets
    them before anything leaves."""

    list_display = ("subject_es", "status", "recipient_count", "sent_at", "sent_by", "page_link")
    list_filter = ("status", "role", "country")
    search_fields = ("subject_es", "subject_pt_br", "subject_en", "deliveries__email")
    readonly_fields = (
        *NetworkMessageForm.Meta.fields,  # what the secretariat wrote, then what happened
        "status",
        "created_by",
        "sent_by",
        "sent_at",
        "recipient_count",
        "page_link",
    )
    fields = readonly_fields
    inlines = [MessageDeliveryInline]
    list_select_related = ("sent_by",)

    @admin.display(description=_("page"))
    def page_link(self, message):
        return format_html('<a href="{}">{}</a>', message.get_absolute_url(), gettext("Open"))

    def has_add_permission(self, request):
        return False  # written on /unit/messages/new/

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MessageDelivery)
class MessageDeliveryAdmin(admin.ModelAdmin):
    list_display = ("email", "message", "language", "subject", "queued_at")
    list_filter = ("language",)
    search_fields = ("email", "subject")
    list_select_related = ("message",)
    readonly_fields = (
        "message",
        "recipient",
        "email",
        "language",
        "subject",
        "mail_key",
        "queued_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def news_visibility_message(item: NewsItem) -> str:
    """Whether the saved item is public: the admin's save message says it in words."""
    if not item.is_published:
        return gettext("This news item is not public: only the secretariat sees it.")
    if item.published_at > timezone.now():
        return gettext("This news item will be public from %(date)s.") % {
            "date": formats.date_format(timezone.localtime(item.published_at), "DATETIME_FORMAT")
        }
    return gettext("This news item is public on the site.")
