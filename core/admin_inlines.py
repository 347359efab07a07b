"""Admin inlines shared by the apps' screens: rows shown beside their parent, never edited there."""

from django.contrib import admin


class ReadOnlyInline(admin.TabularInline):
    """Rows that another path writes (the services, the public forms): every field shown is
    read-only, and no row is added or deleted from the parent's page."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False
