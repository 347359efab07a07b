from django.contrib import admin

from .models import DevelopmentGoal, SocialProblem


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
