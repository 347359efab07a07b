"""The secretariat's screens for people: users and their roles."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services, sessions
from .models import DeletionRequest, User


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = ("email", "name", "language", "is_active", "is_staff", "groups")


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name", "language")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    list_display = ("email", "name", "language", "is_staff", "is_active", "last_login")
    list_filter = ("is_staff", "is_active", "groups", "language")
    search_fields = ("email", "name")
    ordering = ("name", "email")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal information"), {"fields": ("name", "language")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "name", "language", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ("groups",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            # A deactivated account is logged out everywhere at once.
            sessions.end_user_sessions(obj)


@admin.register(DeletionRequest)
class DeletionRequestAdmin(admin.ModelAdmin):
    list_display = ("user", "requested_at", "completed_at", "completed_by")
    list_filter = (("completed_at", admin.EmptyFieldListFilter),)
    readonly_fields = ("user", "requested_at", "completed_at", "completed_by")
    actions = ["complete"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Complete: delete the account and its personal data"))
    def complete(self, request, queryset):
        done = 0
        for deletion_request in queryset.filter(completed_at__isnull=True).select_related("user"):
            try:
                services.deletion_request_complete(
                    deletion_request=deletion_request, by=request.user
                )
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
                continue
            done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d account was deleted.", "%(count)d accounts were deleted.", done)
                % {"count": done},
                messages.SUCCESS,
            )
