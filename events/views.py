"""Event pages: thin function views; rules in permissions.py, writes in services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.security import log_event
from cities.models import City, WorkingGroup
from core.numbers import page_number
from core.uploads import download_response

from . import permissions, queries, services
from .calendars import build_calendar
from .exports import registrations_csv
from .filters import EventFilter
from .forms import DelegateFormSet, RegistrationForm, delegate_initial
from .models import Event

PAGE_SIZE = 20


@require_safe
def event_list(request):
    base = Event.objects.visible_to(request.user).with_card_data().upcoming_first()
    filterset = EventFilter(request.GET, queryset=base, request=request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(page_number(request.GET))
    context = {
        "filter": filterset,
        "page_obj": page,
        "groups": queries.group_by_period(page.object_list),
    }
    return render(request, "events/event_list.html", context)


def _registration_forms(request, event, data=None):
    """The registration form and its delegates, prefilled when `?city=` names a city of the
    user's that is already registered."""
    cities = permissions.registrable_cities(request.user)
    own = {r.city.slug: r for r in permissions.own_registrations(request.user, event)}
    current = own.get(request.GET.get("city", "")) if data is None else None
    initial = {"city": current.city.slug, "note": current.note} if current else None
    form = RegistrationForm(data, cities=cities, initial=initial)
    formset = DelegateFormSet(data, prefix="delegates", initial=delegate_initial(current))
    return form, formset, list(own.values()), current


def _render_detail(request, event, forms=None, status=200):
    may_register = permissions.may_register(request.user)
    if may_register:
        form, formset, own, current = forms or _registration_forms(request, event)
    else:
        form = formset = current = None
        own = []
    context = {
        "event": event,
        "form": form,
        "formset": formset,
        "own_registrations": own,
        "editing": current,
        "show_form": form is not None and (form.is_bound or _may_change(event, current)),
        "participants": queries.participating_cities(event) if event.has_ended() else None,
        "can_see_registrations": permissions.can_see_registrations(request.user, event),
        "map_data": queries.map_data(event),
    }
    return render(request, "events/event_detail.html", context, status=status)


def _may_change(event, current) -> bool:
    if event.cancelled or event.has_started():
        return False
    return event.registration_open or current is not None


@require_safe
def event_detail(request, slug):
    event = permissions.get_visible_event(request.user, slug, Event.objects.with_detail_data())
    return _render_detail(request, event)


def _chosen_city(request):
    """A city named in the form that the user may not register is tampering: 403."""
    slug = request.POST.get("city", "").replace("\x00", "")
    city = City.objects.filter(slug=slug).first() if slug else None
    if city is not None:
        permissions.get_city_for_registration(request.user, city)


@require_POST
@login_required
def event_register(request, slug):
    event = permissions.get_visible_event(request.user, slug, Event.objects.with_detail_data())
    if not permissions.may_register(request.user):
        raise PermissionDenied
    _chosen_city(request)
    forms = _registration_forms(request, event, data=request.POST)
    form, formset = forms[0], forms[1]
    if form.is_valid() and formset.is_valid():
        try:
            registration = services.registration_save(
                event=event,
                city=form.cleaned_data["city"],
                user=request.user,
                delegates=formset.delegates(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _registration_message(registration))
            return redirect(event)
    return _render_detail(request, event, forms=forms)


def _registration_message(registration) -> str:
    if registration.is_waiting:
        return _(
            "%(city)s is on the waiting list, in position %(position)s. You will receive an "
            "e-mail if a seat frees up."
        ) % {"city": registration.city.name, "position": registration.waiting_position}
    return _("%(city)s is registered.") % {"city": registration.city.name}


@require_POST
@login_required
def event_withdraw(request, slug):
    event = permissions.get_visible_event(request.user, slug)
    city_slug = request.POST.get("city", "").replace("\x00", "")
    registration = permissions.get_editable_registration(request.user, event, city_slug)
    try:
        services.registration_withdraw(registration=registration, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(city)s was withdrawn from the event.") % {"city": registration.city.name}
        )
    return redirect(event)


@require_safe
def document_download(request, slug, pk):
    document = permissions.get_visible_document(request.user, slug, pk)
    return download_response(
        document.file, filename=document.original_name, content_type=document.content_type
    )


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def calendar(request):
    events = Event.objects.visible_to(request.user).for_calendar().order_by("starts_at", "pk")
    kind = request.GET.get("kind")
    group = request.GET.get("group", "").replace("\x00", "")
    if kind:
        if kind not in Event.Kind.values:
            return HttpResponseBadRequest(_("Unknown kind of event."), content_type="text/plain")
        events = events.filter(kind=kind)
    if group:
        if not WorkingGroup.objects.filter(slug=group).exists():
            return HttpResponseBadRequest(_("Unknown working group."), content_type="text/plain")
        events = events.filter(working_group__slug=group)
    return _ics_response(build_calendar(events, name=_("UTDS events")), "utds-events.ics")


@require_safe
def event_ics(request, slug):
    event = permissions.get_visible_event(request.user, slug, Event.objects.with_calendar_data())
    return _ics_response(build_calendar([event], name=event.title), f"{event.slug}.ics")


@require_safe
@login_required
def registrations(request, slug):
    event = permissions.get_visible_event(request.user, slug, Event.objects.with_card_data())
    if not permissions.can_see_registrations(request.user, event):
        raise PermissionDenied
    rows = list(event.registrations.with_delegates())
    context = {"event": event, "registrations": rows, "seats_taken": event.seats_taken()}
    return render(request, "events/registration_list.html", context)


@require_safe
@login_required
def registrations_export(request, slug):
    event = permissions.get_visible_event(request.user, slug)
    if not permissions.can_see_registrations(request.user, event):
        raise PermissionDenied
    log_event("export", request, what="registrations", event=event.slug)
    return registrations_csv([event], f"{event.slug}-registrations.csv")


@require_safe
@login_required
def participation(request):
    if not permissions.can_see_participation(request.user):
        raise PermissionDenied
    summary = queries.participation_summary()
    return render(request, "events/participation_summary.html", {"summary": summary})
