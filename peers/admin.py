"""The secretariat's screens for transfers, questions and the comparability table."""

from django.contrib import admin

from .models import CityComparability, Follow, Question, Subscriber, Transfer


@admin.register(Transfer)
class TransferAdmin(admin.ModelAdmin):
    list_display = ["practice", "city", "kind", "started_on", "status", "published_at"]
    list_filter = ["status", "kind", "city__country"]
    search_fields = ["practice__title", "city__name", "changes", "results"]
    list_select_related = ["practice", "city"]
    raw_id_fields = ["practice", "city", "recorded_by"]
    date_hierarchy = "started_on"


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    # The questions are kept for the secretariat's figures: read-only here.
    list_display = ["asked_at", "asked_by", "practice", "call", "from_city", "recipient_count"]
    list_filter = ["asked_at"]
    list_select_related = ["asked_by", "practice", "call", "from_city"]
    search_fields = ["practice__title", "call__title"]
    readonly_fields = [
        "asked_by",
        "practice",
        "call",
        "from_city",
        "message",
        "recipient_count",
        "asked_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CityComparability)
class CityComparabilityAdmin(admin.ModelAdmin):
    # Written by the refresh task (README: Learning from peers); shown to explain a ranking.
    list_display = [
        "city",
        "other",
        "score",
        "same_population_band",
        "same_country",
        "same_region",
        "shared_problems",
        "indicator_closeness",
        "refreshed_at",
    ]
    list_filter = ["same_population_band", "same_country"]
    list_select_related = ["city", "other"]
    search_fields = ["city__name", "other__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FollowInline(admin.TabularInline):
    model = Follow
    fields = ["kind", "key", "created_at", "confirmed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    # Subscribers' addresses are shown to nobody but their owner (privacy notice): the
    # secretariat sees how many follow what and how often, never who.
    list_display = ["pk", "frequency", "language", "created_at", "confirmed_at", "last_sent_at"]
    list_filter = ["frequency", "language", "confirmed_at"]
    fields = ["frequency", "language", "created_at", "confirmed_at", "last_sent_at"]
    readonly_fields = fields
    inlines = [FollowInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
