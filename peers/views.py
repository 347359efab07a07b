"""Transfers of practices between cities, questions to a practice's city or to the other
cities interested in a funding call, and the transfers' open data."""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from cities.models import City
from experiences.models import Practice
from experiences.permissions import get_visible_practice
from funding.permissions import get_visible_funding_call
from mapping.exports import csv_response, json_response

from . import exports, following, permissions, services
from .forms import FollowForm, JointBidForm, QuestionForm, TransferForm
from .models import Follow, Subscriber

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


def _question_page(request, form, template, context, ask, *, sent: str, then):
    """The question form: for a valid POST run `ask()` and go to `then` saying `sent`;
    past the daily limit (429) or when the city has nobody to write to, the form again
    with the error and what was typed."""
    context = {**context, "form": form}
    context["questions_left"] = services.questions_left_today(request.user)
    if request.method != "POST" or not form.is_valid():
        return render(request, template, context)
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
    messages.success(request, sent)
    return redirect(then)


@login_required
@require_http_methods(FORM_METHODS)
def ask_city(request, slug):
    """A member writes to a published practice's city; no address is shown."""
    practice = get_visible_practice(request.user, slug, _practices())
    if not permissions.can_ask_city(request.user, practice):
        raise PermissionDenied
    form = QuestionForm(_posted(request))
    return _question_page(
        request,
        form,
        "peers/question_form.html",
        {"practice": practice},
        lambda: services.question_ask_city(
            user=request.user, practice=practice, message=form.cleaned_data["message"]
        ),
        sent=_("Your question was sent to %(city)s.") % {"city": practice.city.name},
        then=practice,
    )


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
    return _question_page(
        request,
        form,
        "peers/joint_bid_form.html",
        {"call": call},
        lambda: services.question_ask_interested(
            user=request.user,
            call=call,
            from_city=form.cleaned_data["city"],
            message=form.cleaned_data["message"],
        ),
        sent=_("Your message was sent to the other interested cities."),
        then=call,
    )


@require_safe
def transfers_csv(request):
    return csv_response(exports.COLUMNS, exports.transfer_records(), "utds-transfers.csv")


@require_safe
def transfers_json(request):
    return json_response(exports.transfer_records())


# --- following -------------------------------------------------------------------------

# Follow requests per IP address and hour, as the membership form allows applications.
FOLLOW_RATE_LIMIT = 5
FOLLOW_RATE_WINDOW = 60 * 60


def _follow_key(request) -> str:
    try:
        address = get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        address = "unknown"
    return f"peers:follow:{address}"


def _count_follow(request) -> int:
    """Count this request against the address's hourly allowance; the count so far."""
    key = _follow_key(request)
    if cache.add(key, 1, FOLLOW_RATE_WINDOW):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, FOLLOW_RATE_WINDOW)
        return 1


def _topic(request):
    """(kind, key, topic) from the query string's one filter (?theme=, ?problem=,
    ?country=, ?city=), or 404."""
    for kind in Follow.Kind.values:
        key = request.GET.get(kind, "").replace("\x00", "")[:200]
        if key:
            key = key.upper() if kind == Follow.Kind.COUNTRY else key
            topic = following.topic_of(kind, key)
            if topic is not None:
                return kind, key, topic
    raise Http404


@require_http_methods(FORM_METHODS)
def follow(request):
    """Follow a theme, problem, country or city: visitors confirm their address by e-mail,
    a signed-in member follows with their account's address at once. Without any topic
    (e.g. the language switcher, which drops the query string) the reader goes to the city
    directory, whose pages offer what to follow."""
    if not any(request.GET.get(kind) for kind in Follow.Kind.values):
        return redirect("cities:list")
    kind, key, topic = _topic(request)
    user = request.user if request.user.is_authenticated else None
    initial = {"email": user.email} if user else {}
    form = FollowForm(_posted(request), initial=initial)
    context = {"form": form, "topic": topic, "member": user is not None}
    if request.method == "POST" and cache.get(_follow_key(request), 0) >= FOLLOW_RATE_LIMIT:
        form.add_error(
            None,
            _("Too many requests from your connection. Please try again in an hour."),
        )
        return render(request, "peers/follow_form.html", context, status=429)
    if request.method == "POST" and form.is_valid():
        _count_follow(request)
        if not form.is_spam:
            following.follow_request(
                email=form.cleaned_data["email"],
                kind=kind,
                key=key,
                language=get_language(),
                frequency=form.cleaned_data["frequency"],
                user=user,
            )
        member = user is not None and user.email.lower() == form.cleaned_data["email"].lower()
        context.update(sent=True, member=member)
    return render(request, "peers/follow_form.html", context)


@require_http_methods(FORM_METHODS)
def confirm(request, token):
    """The link of the confirmation e-mail: a button confirms (mail scanners that open
    links confirm nothing)."""
    subscriber = get_object_or_404(Subscriber, token=token)
    if request.method == "POST":
        following.subscription_confirm(subscriber=subscriber)
        messages.success(request, _("Your subscription is confirmed."))
        return redirect("home")
    return render(request, "peers/subscription_confirm.html", {"subscriber": subscriber})


@csrf_exempt  # RFC 8058 one-click unsubscribe: mail clients POST without a form token
@require_http_methods(FORM_METHODS)
def unsubscribe(request, token):
    """GET shows a button; POST (the button, or a mail client's one-click request)
    deletes the address and everything it follows."""
    subscriber = Subscriber.objects.filter(token=token).first()
    if request.method == "POST":
        if subscriber is not None:
            following.subscription_delete(subscriber=subscriber)
        return render(request, "peers/unsubscribe.html", {"done": True})
    if subscriber is None:
        return render(request, "peers/unsubscribe.html", {"done": True}, status=404)
    context = {"subscriber": subscriber, "follows": list(subscriber.follows.all())}
    return render(request, "peers/unsubscribe.html", context)
