"""Funding call pages: the public list and detail, and the cities' interest (POST)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.filtering import filtered_page

from . import permissions, services
from .filters import FundingCallFilter
from .forms import ACTION_WITHDRAW, FundingInterestForm
from .models import FundingCall

PAGE_SIZE = 20


@require_safe
def funding_list(request):
    base = FundingCall.objects.in_list_order().with_card_data()
    filterset, page = filtered_page(request, FundingCallFilter, base, PAGE_SIZE)
    context = {"filter": filterset, "page_obj": page, "calls": page.object_list}
    return render(request, "funding/call_list.html", context)


def _render_detail(request, call, form=None, status=200):
    user = request.user
    interests = list(call.interests.select_related("city", "marked_by").order_by("city__sort_name"))
    mine = {interest.city_id: interest for interest in interests}
    context = {
        "call": call,
        "form": form,
        "my_cities": [
            (city, mine.get(city.pk)) for city in permissions.funding_interest_cities(user)
        ],
        "interests": interests if permissions.can_see_interested_cities(user) else [],
        "can_see_interests": permissions.can_see_interested_cities(user),
        "can_see_interest_details": permissions.can_see_interest_details(user),
    }
    return render(request, "funding/call_detail.html", context, status=status)


@require_safe
def funding_detail(request, slug):
    return _render_detail(request, permissions.get_visible_funding_call(request.user, slug))


@login_required
@require_POST
def funding_interest(request, slug):
    call = permissions.get_visible_funding_call(request.user, slug)
    form = FundingInterestForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, call, form=form, status=400)
    city, note = form.cleaned_data["city"], form.cleaned_data["note"]
    if not permissions.can_mark_funding_interest(request.user, city):
        raise PermissionDenied
    try:
        if form.cleaned_data["action"] == ACTION_WITHDRAW:
            services.funding_interest_withdraw(call=call, city=city, user=request.user)
            messages.success(request, _("%(city)s withdrew its interest.") % {"city": city.name})
        else:
            services.funding_interest_mark(call=call, city=city, user=request.user, note=note)
            messages.success(
                request, _("%(city)s is interested in this call.") % {"city": city.name}
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(call)
