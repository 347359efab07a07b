"""The secretariat's screens for the mapping vocabularies and the cities' data."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Breakdown,
    CityProblem,
    DevelopmentGoal,
    Indicator,
    IndicatorValue,
    SocialProblem,
)


@admin.register(DevelopmentGoal)
class DevelopmentGoalAdmin(admin.ModelAdmin):
    list_display = ("code", "name_es", "name_pt_br", "name_en", "colour")
    list_filter = ("framework",)
    search_fields = ("name_es", "name_pt_br", "name_en", "title_es", "title_pt_br", "title_en")
    ordering = ("framework", "number")


@admin.register(SocialProblem)
class SocialProblemAdmin(admin.ModelAdmin):
    list_display = ("name_es", "name_pt_br", "name_en", "category")
    list_filter = ("category",)
    search_fields = ("slug", "name_es", "name_pt_br", "name_en")
    prepopulated_fields = {"slug": ("name_en",)}
    filter_horizontal = ("goals",)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = (
        "slug",
        "code",
        "name_es",
        "unit",
        "category",
        "goal",
        "kind",
        "min_value",
        "max_value",
        "whole_number",
        "decimals",
    )
    list_filter = ("kind", "category", "higher_is_better", "whole_number", "goal__framework")
    search_fields = ("slug", "code", "name_es", "name_pt_br", "name_en")
    autocomplete_fields = ("goal",)
    filter_horizontal = ("problems", "breakdowns")


@admin.register(Breakdown)
class BreakdownAdmin(admin.ModelAdmin):
    list_display = ("code", "name_es", "name_pt_br", "name_en", "position")
    list_editable = ("position",)
    search_fields = ("code", "name_es", "name_pt_br", "name_en")


class UnmappedBreakdownFilter(admin.SimpleListFilter):
    """Values whose old free-text breakdown matched none of the list (kept, never deleted)."""

    title = _("breakdown on the list")
    parameter_name = "unmapped"

    def lookups(self, request, model_admin):
        return [("yes", _("unmapped")), ("no", _("on the list"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(breakdown__isnull=True)
        if self.value() == "no":
            return queryset.filter(breakdown__isnull=False)
        return queryset


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = (
        "city",
        "indicator",
        "year",
        "breakdown",
        "unmapped_breakdown",
        "value",
        "source",
        "is_sample",
    )
    list_filter = (UnmappedBreakdownFilter, "is_sample", "year", "breakdown", "indicator")
    search_fields = ("city__name", "city__slug", "indicator__slug", "source")
    autocomplete_fields = ("indicator",)
    raw_id_fields = ("city",)
    list_select_related = ("city", "indicator", "breakdown")
    readonly_fields = ("unmapped_breakdown",)
    object_history_list_template = "admin/mapping/object_history_list.html"
    history_list_display = ("year", "breakdown", "value", "source")


@admin.register(CityProblem)
class CityProblemAdmin(SimpleHistoryAdmin):
    list_display = ("city", "problem", "year", "priority", "affected_population", "is_sample")
    list_filter = ("is_sample", "year", "priority", "problem__category")
    search_fields = ("city__name", "problem__name_es", "problem__name_en")
    autocomplete_fields = ("problem",)
    raw_id_fields = ("city",)
    list_select_related = ("city", "problem")
    object_history_list_template = "admin/mapping/object_history_list.html"
    history_list_display = ("year", "priority", "affected_population", "source")


# --- Removed rows --------------------------------------------------------------------------
# A value or problem removed from a city's profile leaves a "-" record in its history. The
# history page of a live row (SimpleHistoryAdmin) can revert a change; a removed row has no
# change page to start from, so these lists show the removals and restore them.


class RemovedRowAdmin(admin.ModelAdmin):
    """The removals ("-" records) of one historical model, with a "restore" action."""

    actions = ["restore"]
    list_display_links = None
    date_hierarchy = "history_date"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(history_type="-")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the trace stays

    @admin.display(description=_("removed by"), ordering="history_user")
    def removed_by(self, record):
        return record.history_user or "—"

    @admin.display(description=_("removed on"), ordering="history_date")
    def removed_on(self, record):
        return record.history_date

    @admin.display(description=_("history"))
    def history_link(self, record):
        meta = record.instance_type._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[record.id])
        return format_html('<a href="{}">{}</a>', url, gettext("history"))

    @admin.action(description=_("Restore the selected removed rows"))
    def restore(self, request, queryset):
        live = self.model.instance_type.objects
        restored = 0
        for record in queryset.select_related("history_user"):
            if live.filter(pk=record.id).exists():
                continue  # restored already
            row = record.instance
            try:
                # the range, the key and the constraints as they are today
                row.full_clean()
            except ValidationError as error:
                self.message_user(
                    request,
                    gettext("%(row)s was not restored: %(reason)s")
                    % {"row": row, "reason": " ".join(error.messages)},
                    messages.ERROR,
                )
                continue
            with transaction.atomic():
                row.save(force_insert=True)
            restored += 1
        if restored:
            self.message_user(
                request,
                ngettext("%(count)d row restored.", "%(count)d rows restored.", restored)
                % {"count": restored},
                messages.SUCCESS,
            )


@admin.register(IndicatorValue.history.model)
class RemovedIndicatorValueAdmin(RemovedRowAdmin):
    list_display = (
        "city",
        "indicator",
        "year",
        "breakdown",
        "value",
        "source",
        "removed_by",
        "removed_on",
        "history_link",
    )
    list_filter = ("year", "indicator")
    search_fields = ("city__name", "indicator__slug", "source")
    list_select_related = ("city", "indicator", "breakdown", "history_user")


@admin.register(CityProblem.history.model)
class RemovedCityProblemAdmin(RemovedRowAdmin):
    list_display = (
        "city",
        "problem",
        "year",
        "priority",
        "source",
        "removed_by",
        "removed_on",
        "history_link",
    )
    list_filter = ("year", "problem__category")
    search_fields = ("city__name", "problem__name_es", "problem__name_en")
    list_select_related = ("city", "problem", "history_user")
