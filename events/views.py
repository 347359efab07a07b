"""Event pages: thin function views; rules in permissions.py, writes in services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.security import log_event
from cities.models import City, WorkingGroup
from core.numbers import page_number
from core.uploads import download_response

from . import permissions, queries, services
from .calendars import build_calendar
from .exports import registrations_csv
from .filters import EventFilter
from .forms import (
    ADD_ROWS,
    DELEGATE_PREFIX,
    NEW_ROWS,
    DelegateFormSet,
    RegistrationChangeForm,
    RegistrationForm,
    delegate_rows,
    delegate_rows_of,
    delegate_rows_typed,
)
from .models import Event

PAGE_SIZE = 20
# The submit button that adds delegate rows instead of saving (the JS adds them in place).
ADD_ROWS_BUTTON = "add_rows"


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


def _own(request, event) -> list:
    return list(permissions.own_registrations(request.user, event))


def _create_form(request, own, data=None, initial=None) -> RegistrationForm:
    """The form registering a new city: it offers the user's cities not registered yet
    (`own` are the registrations of the user's cities)."""
    cities = permissions.registrable_cities(request.user)
    registered = {registration.city_id for registration in own}
    offered = [city for city in cities if city.pk not in registered]
    return RegistrationForm(data, cities=cities, offered=offered, initial=initial)


def _typed(request, *names) -> dict:
    """What was typed in these fields of the POST, for a form shown again unchecked."""
    return {name: request.POST.get(name, "").replace("\x00", "") for name in names}


def _render_detail(request, event, form=None, formset=None, *, own=None, status=200, error=""):
    """The event page; for those who may register, their cities' registrations and, while
    registration is open and a city of theirs is not registered, the form for a new one."""
    own = _own(request, event) if own is None else own
    if form is None and permissions.may_register(request.user) and event.accepts_registrations():
        form = _create_form(request, own)
        if form.offers_cities:
            formset = delegate_rows([], spare=NEW_ROWS)
        else:
            form = None  # every city of the user's is registered: nothing to offer
    context = {
        "event": event,
        "form": form,
        "formset": formset,
        "own_registrations": own,
        "may_change": not event.cancelled and not event.has_started(),
        "may_withdraw": not event.has_started(),
        "conflict": error,
        "add_rows": ADD_ROWS,
        "participants": queries.participating_cities(event) if event.has_ended() else None,
        "can_see_registrations": permissions.can_see_registrations(request.user, event),
        "map_data": queries.map_data(event),
    }
    return render(request, "events/event_detail.html", context, status=status)


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
    own = _own(request, event)
    if ADD_ROWS_BUTTON in request.POST:
        form = _create_form(request, own, initial=_typed(request, "city", "note"))
        rows = delegate_rows_typed(request.POST)
        return _render_detail(request, event, form, rows, own=own)
    form = _create_form(request, own, data=request.POST)
    formset = DelegateFormSet(request.POST, prefix=DELEGATE_PREFIX)
    if form.is_valid() and formset.is_valid():
        try:
            registration = services.registration_create(
                event=event,
                city=form.cleaned_data["city"],
                user=request.user,
                delegates=formset.delegates(),
                note=form.cleaned_data["note"],
            )
        except services.RegistrationExistsError as error:
            message = _already_registered(error.registration)
            return _conflict(request, event, error.registration.city.slug, message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _registration_message(registration))
            return redirect(event)
    return _render_detail(request, event, form, formset, own=own)


def _registration_message(registration) -> str:
    if registration.is_waiting:
        return _(
            "%(city)s is on the waiting list, in position %(position)s. You will receive an "
            "e-mail if a seat frees up."
        ) % {"city": registration.city.name, "position": registration.waiting_position}
    return _("%(city)s is registered.") % {"city": registration.city.name}


def _already_registered(registration) -> str:
    return _(
        "%(city)s was already registered for this event, so nothing was saved: a second "
        "registration would have replaced the first. The registration as it is now is shown "
        "beside what you typed, which is kept below as a change of it. Save the changes to "
        "replace it with what you typed, or leave this page to keep it."
    ) % {"city": registration.city.name}


def _changed_meanwhile() -> str:
    return _(
        "Someone changed this registration after you opened the page, so your changes were "
        "not saved. The registration as it is now is shown beside what you typed, which is "
        "kept below. Save the changes again to replace it with what you typed, or leave this "
        "page to keep it."
    )


def _withdrawn_meanwhile(city) -> str:
    return _(
        "The registration of %(city)s was withdrawn after you opened the page, so your "
        "changes were not saved. What you typed is kept below: register the city again to "
        "keep it."
    ) % {"city": city.name}


def _conflict(request, event, city_slug, message):
    """409: the change form bound to what was typed, now carrying the current version, with
    the registration as it is now beside it; saving again is a deliberate replacement."""
    current = permissions.get_editable_registration(request.user, event, city_slug)
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = RegistrationChangeForm(data)
    formset = DelegateFormSet(data, prefix=DELEGATE_PREFIX)
    return _render_change(request, current, form, formset, status=409, conflict=message)


def _render_change(request, registration, form, formset, *, status=200, conflict=""):
    context = {
        "event": registration.event,
        "registration": registration,
        "form": form,
        "formset": formset,
        "conflict": conflict,
        "add_rows": ADD_ROWS,
    }
    return render(request, "events/registration_form.html", context, status=status)


def _closed(event) -> str:
    if event.has_started():
        return _("This event has started: registrations can no longer change.")
    return _("This event was cancelled: registration is closed.")


def _city_slug(request) -> str:
    source = request.POST if request.method == "POST" else request.GET
    return source.get("city", "").replace("\x00", "")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def registration_change(request, slug):
    """The change page of a registration: GET shows it filled in, POST saves it unless it
    changed since the page was opened (409, with what was typed kept)."""
    event = permissions.get_visible_event(request.user, slug)
    city_slug = _city_slug(request)
    registration = permissions.find_editable_registration(request.user, event, city_slug)
    if registration is None:
        if request.method == "POST":  # withdrawn since the page was opened: keep the text
            return _withdrawn(request, event, city_slug)
        raise Http404
    if request.method == "POST":
        return _save_change(request, event, registration)
    if event.cancelled or event.has_started():
        messages.error(request, _closed(event))
        return redirect(event)
    initial = {"note": registration.note, "version": registration.version}
    form = RegistrationChangeForm(initial=initial)
    return _render_change(request, registration, form, delegate_rows_of(registration))


def _save_change(request, event, registration):
    if ADD_ROWS_BUTTON in request.POST:
        form = RegistrationChangeForm(initial=_typed(request, "note", "version"))
        return _render_change(request, registration, form, delegate_rows_typed(request.POST))
    form = RegistrationChangeForm(request.POST)
    formset = DelegateFormSet(request.POST, prefix=DELEGATE_PREFIX)
    if form.is_valid() and formset.is_valid():
        try:
            saved = services.registration_update(
                registration=registration,
                user=request.user,
                delegates=formset.delegates(),
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except services.ConcurrentEditError:
            city_slug = registration.city.slug
            if permissions.find_editable_registration(request.user, event, city_slug) is None:
                return _withdrawn(request, event, city_slug)
            return _conflict(request, event, city_slug, _changed_meanwhile())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _registration_message(saved))
            return redirect(event)
    return _render_change(request, registration, form, formset)


def _withdrawn(request, event, city_slug):
    """409 for a change of a registration withdrawn meanwhile: what was typed comes back in
    the form for a new registration of that city (403 for a city the user may not act for)."""
    city = get_object_or_404(City, slug=city_slug)
    permissions.get_city_for_registration(request.user, city)
    own = _own(request, event)
    form = _create_form(request, own, data=request.POST)
    formset = DelegateFormSet(request.POST, prefix=DELEGATE_PREFIX)
    error = _withdrawn_meanwhile(city)
    return _render_detail(request, event, form, formset, own=own, status=409, error=error)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def event_withdraw(request, slug):
    """GET asks for confirmation (a page that works without JavaScript); POST withdraws."""
    event = permissions.get_visible_event(request.user, slug)
    registration = permissions.get_editable_registration(request.user, event, _city_slug(request))
    if request.method != "POST":
        if event.has_started():
            messages.error(request, _closed(event))
            return redirect(event)
        context = {"event": event, "registration": registration}
        return render(request, "events/registration_confirm_withdraw.html", context)
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
