"""The secretariat's screens: cities, their roles, contacts and coordinators.

The membership screens (applications, invitations) are in membership_admin, registered
from here; invitations are sent through cities.services.
"""

import csv
import datetime
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from accounts.security import log_event
from core.spreadsheet import safe_cell

from . import membership_admin, services  # noqa: F401  (membership_admin registers its screens)
from .membership_forms import InviteCoordinatorForm
from .models import (
    FOCAL_POINT_STALE_AFTER,
    City,
    CityCoordinator,
    FocalPoint,
    UnitRole,
    WorkingGroup,
)

# Addresses typed without a scheme are taken as https (Django 6 default).
URL_FIELDS_HTTPS = {models.URLField: {"assume_scheme": "https"}}


def _stale_cutoff() -> datetime.date:
    return timezone.localdate() - FOCAL_POINT_STALE_AFTER


# --- List filters ---------------------------------------------------------------------------


class StaleContactsFilter(admin.SimpleListFilter):
    """Cities with at least one focal point nobody has confirmed for a year."""

    title = _("stale contacts")
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("yes", _("needs confirmation")), ("no", _("up to date"))]

    def queryset(self, request, queryset):
        stale = {"focal_points__last_confirmed_on__lt": _stale_cutoff()}
        if self.value() == "yes":
            return queryset.filter(**stale).distinct()
        if self.value() == "no":
            return queryset.exclude(**stale)
        return queryset


class StaleFocalPointFilter(StaleContactsFilter):
    """Focal points nobody has confirmed for a year."""

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(last_confirmed_on__lt=_stale_cutoff())
        if self.value() == "no":
            return queryset.filter(last_confirmed_on__gte=_stale_cutoff())
        return queryset


# --- Cities ---------------------------------------------------------------------------------


class UnitRoleInline(admin.TabularInline):
    model = UnitRole
    formfield_overrides = URL_FIELDS_HTTPS
    fields = ("role", "from_year", "to_year", "source_url")
    extra = 0


class OnePrimaryFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        primaries = [
            form
            for form in self.forms
            if form.cleaned_data.get("is_primary") and not form.cleaned_data.get("DELETE")
        ]
        if len(primaries) > 1:
            raise ValidationError(gettext("A city has at most one primary contact."))


class FocalPointInline(admin.TabularInline):
    model = FocalPoint
    formset = OnePrimaryFormSet
    fields = ("name", "position", "email", "phone", "is_primary", "last_confirmed_on")
    extra = 0


class CityCoordinatorInline(admin.TabularInline):
    model = CityCoordinator
    fields = ("user", "since")
    autocomplete_fields = ("user",)
    extra = 0


# Open-data columns of the public directory; focal-point contacts are never exported.
EXPORT_COLUMNS = (
    "name",
    "slug",
    "country",
    "country_name",
    "state_province",
    "state_code",
    "latitude",
    "longitude",
    "population",
    "population_year",
    "status",
    "joined_year",
    "website",
)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, int | Decimal):
        return str(value)
    return safe_cell(value)


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "country",
        "status",
        "current_role",
        "membership_verified",
        "joined_year",
    )
    list_filter = (
        ("country", CountryFilter),
        "status",
        "membership_verified",
        "working_groups",
        StaleContactsFilter,
    )
    search_fields = ("name", "slug", "state_province")
    prepopulated_fields = {"slug": ("name",)}
    formfield_overrides = URL_FIELDS_HTTPS
    readonly_fields = ("invite_link", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "slug", "country", "state_province", "state_code")}),
        (_("Membership"), {"fields": ("status", "membership_verified", "joined_year")}),
        (
            _("Profile"),
            {
                "fields": (
                    "summary",
                    "website",
                    "latitude",
                    "longitude",
                    "population",
                    "population_year",
                    "population_source",
                    "geonames_id",
                )
            },
        ),
        (_("Coordinators"), {"fields": ("invite_link",)}),
        (_("Dates"), {"fields": ("created_at", "updated_at")}),
    )
    inlines = (UnitRoleInline, FocalPointInline, CityCoordinatorInline)
    actions = ("export_csv", "invite_coordinator")

    def get_queryset(self, request):
        current = Prefetch("unit_roles", queryset=UnitRole.objects.current(), to_attr="current")
        return super().get_queryset(request).prefetch_related(current)

    @admin.display(description=_("current role"))
    def current_role(self, city):
        return ", ".join(role.get_role_display() for role in city.current) or "—"

    @admin.display(description=_("invite a coordinator"))
    def invite_link(self, city):
        if city.pk is None:
            return gettext("Save the city first.")
        url = reverse("admin:cities_city_invite", args=[city.pk])
        return format_html(
            '<a class="button" href="{}">{}</a>', url, gettext("Invite a coordinator")
        )

    @admin.action(description=_("Export selected cities as CSV"))
    def export_csv(self, request, queryset):
        log_event("export", request, what="cities", cities=queryset.count())
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="cities.csv"'
        writer = csv.writer(response)
        writer.writerow(EXPORT_COLUMNS)
        for city in queryset.order_by("country", "name"):
            values = {"country": city.country.code, "country_name": city.country.name}
            writer.writerow(
                _csv_cell(values[column] if column in values else getattr(city, column))
                for column in EXPORT_COLUMNS
            )
        return response

    @admin.action(description=_("Invite a coordinator for the selected city"))
    def invite_coordinator(self, request, queryset):
        cities = list(queryset[:2])
        if len(cities) != 1:
            self.message_user(
                request,
                gettext("Select exactly one city to invite a coordinator."),
                messages.WARNING,
            )
            return None
        return redirect("admin:cities_city_invite", cities[0].pk)

    def get_urls(self):
        invite = self.admin_site.admin_view(self.invite_view)
        return [
            path("<path:object_id>/invite/", invite, name="cities_city_invite"),
            *super().get_urls(),
        ]

    def invite_view(self, request, object_id):
        """An intermediate page: e-mail, name and language of the person to invite."""
        city = self.get_object(request, object_id)
        if city is None:
            raise Http404
        if not self.has_change_permission(request, city):
            raise PermissionDenied
        form = InviteCoordinatorForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.invitation_send(city=city, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                message = gettext("Invitation sent to %(email)s.") % form.cleaned_data
                self.message_user(request, message, messages.SUCCESS)
                return redirect("admin:cities_city_change", city.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "city": city,
            "form": form,
            "title": gettext("Invite a coordinator"),
            "valid_days": services.INVITATION_VALID_FOR.days,
        }
        return TemplateResponse(request, "cities/invitation_admin.html", context)


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ("name_es", "name_pt_br", "name_en", "kind", "city_count")
    list_filter = ("kind",)
    search_fields = ("name_es", "name_pt_br", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    filter_horizontal = ("cities",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(city_count=Count("cities"))

    @admin.display(description=_("cities"), ordering="city_count")
    def city_count(self, group):
        return group.city_count


@admin.register(UnitRole)
class UnitRoleAdmin(admin.ModelAdmin):
    list_display = ("city", "role", "from_year", "to_year", "is_current")
    list_filter = ("role", "from_year")
    search_fields = ("city__name",)
    autocomplete_fields = ("city",)
    list_select_related = ("city",)
    formfield_overrides = URL_FIELDS_HTTPS

    @admin.display(description=_("covers this year"), boolean=True)
    def is_current(self, role):
        # the portal's pages call a role current when its period covers this year
        return role.covers(timezone.localdate().year)


@admin.register(FocalPoint)
class FocalPointAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "city",
        "position",
        "email",
        "is_primary",
        "last_confirmed_on",
        "needs_confirmation",
    )
    list_filter = (StaleFocalPointFilter, "is_primary")
    search_fields = ("name", "email", "position", "city__name")
    autocomplete_fields = ("city",)
    list_select_related = ("city",)
    date_hierarchy = "last_confirmed_on"

    @admin.display(description=_("needs confirmation"), boolean=True)
    def needs_confirmation(self, focal_point):
        return focal_point.is_stale


@admin.register(CityCoordinator)
class CityCoordinatorAdmin(admin.ModelAdmin):
    list_display = ("user", "city", "since")
    search_fields = ("user__name", "user__email", "city__name")
    autocomplete_fields = ("user", "city")
    list_select_related = ("user", "city")
