"""The admin site the secretariat uses, behind two-factor sign-in."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import can_use_admin


class SecretariatAdminSite(admin.AdminSite):
    site_header = _("UTDS secretariat")
    site_title = _("UTDS secretariat")
    index_title = _("Network administration")

    def has_permission(self, request):
        return can_use_admin(request.user)

    def login(self, request, extra_context=None):
        # One login for the whole portal: allauth's, with its rate limits and two-factor.
        if request.user.is_authenticated:
            if self.has_permission(request):
                return super().login(request, extra_context)
            raise PermissionDenied
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, reverse("account_login"))
