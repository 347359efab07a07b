"""The secretariat's screens for the mapping vocabularies and the cities' data."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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
class IndicatorValueAdmin(admin.ModelAdmin):
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


@admin.register(CityProblem)
class CityProblemAdmin(admin.ModelAdmin):
    list_display = ("city", "problem", "year", "priority", "affected_population", "is_sample")
    list_filter = ("is_sample", "year", "priority", "problem__category")
    search_fields = ("city__name", "problem__name_es", "problem__name_en")
    autocomplete_fields = ("problem",)
    raw_id_fields = ("city",)
    list_select_related = ("city", "problem")
