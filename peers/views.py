"""Transfers of practices between cities, questions to a practice's city or to the other
cities interested in a funding call, and the transfers' open data."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cities.models import City
from experiences.models import Practice
from experiences.permissions import get_visible_practice
from funding.permissions import get_visible_funding_call
from mapping.exports import csv_response, json_response

from . import exports, permissions, services
from .forms import JointBidForm, QuestionForm, TransferForm

FORM_METHODS = ["GET", "HEAD", "POST"]


def _posted(request):
    return request.POST if request.method == "POST" else None


@require_safe
def transfer_detail(request, pk):
    transfer = permissions.get_visible_transfer(request.user, pk)
    context = {
        "transfer": transfer,
        "can_edit": permissions.can_edit_transfer(request.user, transfer),
        "can_see_contact": permissions.can_see_transfer_contact(request.user),
    }
    return render(request, "peers/transfer_detail.html", context)


def _save_transfer(request, form, *, practice, transfer=None):
    """Save a valid form; the saved transfer, or None with the error on the form."""
    try:
        return services.transfer_save(
            user=request.user,
            practice=practice,
            city=form.cleaned_data["city"] if transfer is None else transfer.city,
            data=form.transfer_data(),
            publish="publish" in request.POST,
            transfer=transfer,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None


@login_required
@require_http_methods(FORM_METHODS)
def transfer_create(request, slug):
    """Record that one of the user's cities adopted or adapted a published practice."""
    practice = get_visible_practice(request.user, slug, _practices())
    cities = permissions.transfer_cities(request.user, practice)
    if not cities.exists():
        raise PermissionDenied
    form = TransferForm(_posted(request), cities=cities)
    if request.method == "POST" and form.is_valid():
        transfer = _save_transfer(request, form, practice=practice)
        if transfer is not None:
            messages.success(request, _("The transfer is recorded."))
            return redirect(transfer)
    context = {"form": form, "practice": practice}
    return render(request, "peers/transfer_form.html", context)


@login_required
@require_http_methods(FORM_METHODS)
def transfer_edit(request, pk):
    transfer = permissions.get_editable_transfer(request.user, pk)
    form = TransferForm(_posted(request), instance=transfer, cities=City.objects.none())
    saved = request.method == "POST" and form.is_valid()
    if saved and _save_transfer(request, form, practice=transfer.practice, transfer=transfer):
        messages.success(request, _("The transfer is saved."))
        return redirect(transfer)
    context = {"form": form, "practice": transfer.practice, "transfer": transfer}
    return render(request, "peers/transfer_form.html", context)


def _practices():
    return Practice.objects.select_related("city")


def _send_question(request, form, template, context, ask) -> object:
    """Run `ask()` for a valid form: a redirect on success, else the form again with its
    error (429 past the daily limit); what was typed is kept."""
    try:
        ask()
    except services.QuestionLimitReached:
        form.add_error(
            None,
            _(
                "You have sent as many questions as a day allows. Please try again tomorrow. "
                "What you typed is kept below."
            ),
        )
        return render(request, template, context, status=429)
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, template, context)
    return None


@login_required
@require_http_methods(FORM_METHODS)
def ask_city(request, slug):
    """A member writes to a published practice's city; no address is shown."""
    practice = get_visible_practice(request.user, slug, _practices())
    if not permissions.can_ask_city(request.user, practice):
        raise PermissionDenied
    form = QuestionForm(_posted(request))
    template, context = "peers/question_form.html", {"form": form, "practice": practice}
    context["questions_left"] = services.questions_left_today(request.user)
    if request.method == "POST" and form.is_valid():
        refused = _send_question(
            request,
            form,
            template,
            context,
            lambda: services.question_ask_city(
                user=request.user, practice=practice, message=form.cleaned_data["message"]
            ),
        )
        if refused:
            return refused
        messages.success(
            request, _("Your question was sent to %(city)s.") % {"city": practice.city.name}
        )
        return redirect(practice)
    return render(request, template, context)


@login_required
@require_http_methods(FORM_METHODS)
def ask_interested(request, slug):
    """A coordinator of a city interested in a funding call writes to the other
    interested cities to prepare a joint bid."""
    call = get_visible_funding_call(request.user, slug)
    cities = permissions.joint_bid_cities(request.user, call)
    if not cities.exists():
        raise PermissionDenied
    form = JointBidForm(_posted(request), cities=cities)
    template, context = "peers/joint_bid_form.html", {"form": form, "call": call}
    context["questions_left"] = services.questions_left_today(request.user)
    if request.method == "POST" and form.is_valid():
        refused = _send_question(
            request,
            form,
            template,
            context,
            lambda: services.question_ask_interested(
                user=request.user,
                call=call,
                from_city=form.cleaned_data["city"],
                message=form.cleaned_data["message"],
            ),
        )
        if refused:
            return refused
        messages.success(request, _("Your message was sent to the other interested cities."))
        return redirect(call)
    return render(request, template, context)


@require_safe
def transfers_csv(request):
    return csv_response(exports.COLUMNS, exports.transfer_records(), "utds-transfers.csv")


@require_safe
def transfers_json(request):
    return json_response(exports.transfer_records())
