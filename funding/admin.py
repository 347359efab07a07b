"""The secretariat's screens for funding calls, with the cities interested in each."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import FundingCall, FundingInterest


class FundingInterestInline(admin.TabularInline):
    """Which cities are interested, so the secretariat can help them team up."""

    model = FundingInterest
    fields = ("city", "marked_by", "note", "created_at")
    readonly_fields = ("created_at",)
    raw_id_fields = ("city", "marked_by")
    extra = 0


@admin.register(FundingCall)
class FundingCallAdmin(admin.ModelAdmin):
    list_display = ("title", "funder", "opens_on", "closes_on", "call_status", "is_sample")
    list_filter = ("is_sample", "themes", "lines")
    search_fields = ("title", "slug", "funder", "summary")
    date_hierarchy = "closes_on"
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("themes", "lines")
    readonly_fields = ("created_at", "updated_at")
    inlines = [FundingInterestInline]
    # Funders' pages are typed without a scheme more often than not; assume https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description=_("status"))
    def call_status(self, obj):
        return obj.status.label
