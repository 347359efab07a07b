"""The secretariat's screens for the mapping vocabularies and the cities' data."""

from django.contrib import admin

from .models import CityProblem, DevelopmentGoal, Indicator, IndicatorValue, SocialProblem


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
    filter_horizontal = ("problems",)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ("city", "indicator", "year", "breakdown", "value", "source", "is_sample")
    list_filter = ("is_sample", "year", "breakdown", "indicator")
    search_fields = ("city__name", "city__slug", "indicator__slug", "source")
    autocomplete_fields = ("indicator",)
    raw_id_fields = ("city",)
    list_select_related = ("city", "indicator")


@admin.register(CityProblem)
class CityProblemAdmin(admin.ModelAdmin):
    list_display = ("city", "problem", "year", "priority", "affected_population", "is_sample")
    list_filter = ("is_sample", "year", "priority", "problem__category")
    search_fields = ("city__name", "problem__name_es", "problem__name_en")
    autocomplete_fields = ("problem",)
    raw_id_fields = ("city",)
    list_select_related = ("city", "problem")
