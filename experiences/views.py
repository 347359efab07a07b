"""Practice pages: thin function views; rules in permissions.py, writes in services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, prefetch_related_objects
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.permissions import is_secretariat
from core.numbers import page_number
from core.uploads import download_response

from . import changes, permissions, services
from .filters import PracticeFilter
from .forms import INTENT_PUBLISH, INTENT_SUBMIT, PracticeForm, ReviewForm
from .models import Practice, PracticeRevision, load_classification

PAGE_SIZE = 12
SUBMITTED = gettext_lazy("The practice was sent to the secretariat for review.")
PUBLISHED = gettext_lazy("The practice is published.")
UNPUBLISHED = gettext_lazy("The practice is no longer public; it is a draft again.")
RESTORED = gettext_lazy("The practice was restored as a draft.")


def _apply_intent(request, practice, intent) -> None:
    """After saving: submit for review or publish, when the form's button asked for it."""
    if intent == INTENT_SUBMIT:
        services.practice_submit(practice=practice, user=request.user)
        messages.success(request, SUBMITTED)
    elif intent == INTENT_PUBLISH:
        services.practice_publish(practice=practice, user=request.user)
        messages.success(request, PUBLISHED)
    else:
        messages.success(request, _("The practice was saved."))


@require_safe
def practice_list(request):
    base = Practice.objects.visible_to(request.user).published().with_card_data()
    filterset = PracticeFilter(request.GET, queryset=base, request=request)
    # the user's practices in progress travel with the filter's choices (one query)
    loaded = filterset.load_choices(
        in_progress=Practice.objects.visible_to(request.user)
        .in_progress_for(request.user)
        .annotate(city_name=F("city__name"))
        .values("id", "title", "slug", "status", "city_name")[:10]
    )
    paginator = Paginator(filterset.qs, PAGE_SIZE)
    paginator.count = filterset.result_count  # counted with the themes: no COUNT of its own
    page = paginator.get_page(page_number(request.GET))
    return render(
        request,
        "experiences/practice_list.html",
        {
            "filter": filterset,
            "page": page,
            "can_create": permissions.can_create_practice(request.user),
            "in_progress": loaded["in_progress"],
            "reviewing": is_secretariat(request.user),
        },
    )


def _render_detail(request, slug, review_form=None, status=200, practice=None):
    detail = Practice.objects.with_detail_data()
    if practice is None:
        practice = permissions.get_visible_practice(request.user, slug, detail)
    else:
        # the view has already read and checked it: add the related rows, do not read it again
        prefetch_related_objects([practice], *detail._prefetch_related_lookups)
    load_classification(practice)
    actions = permissions.practice_actions(request.user, practice)
    context = {
        "practice": practice,
        "related": Practice.objects.visible_to(request.user).related_to(practice),
        **actions,
        **_review_context(practice, actions),
    }
    if review_form is not None:
        context["review_form"] = review_form
    return render(request, "experiences/practice_detail.html", context, status=status)


@require_safe
def practice_detail(request, slug):
    return _render_detail(request, slug)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def practice_create(request):
    if not permissions.can_create_practice(request.user):
        raise PermissionDenied
    intent = request.POST.get("action")
    form = PracticeForm(
        request.POST or None, request.FILES or None, user=request.user, intent=intent
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                practice = services.practice_create(
                    user=request.user,
                    data=form.cleaned_data,
                    attachments=form.cleaned_data["attachments"],
                )
                _apply_intent(request, practice, form.intent)
            return redirect(practice)
        except ValidationError as error:
            form.add_error(None, error)
    can_publish_new = permissions.can_publish_without_review(request.user)
    context = {"form": form, "can_publish_new": can_publish_new}
    return render(request, "experiences/practice_form.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def practice_edit(request, slug):
    practice = permissions.get_editable_practice(
        request.user,
        slug,
        Practice.objects.select_related("city__publishing_right").prefetch_related("attachments"),
    )
    actions = permissions.practice_actions(request.user, practice)
    review = _review_context(practice, actions)
    pending = review.get("pending_revision")
    form = PracticeForm(
        request.POST or None,
        request.FILES or None,
        instance=practice,
        # a coordinator goes on with the changes waiting for approval, not the public text
        initial=pending.data if pending and actions["edits_need_review"] else None,
        user=request.user,
        intent=request.POST.get("action"),
    )
    status, conflict = 200, {}
    if request.method == "POST" and form.is_valid():
        try:
            _save_edit(request, practice, form, needs_review=actions["edits_need_review"])
            return redirect(practice)
        except services.ConcurrentEditError:
            form.add_error(None, _conflict_message())
            conflict = _conflict(request.user, practice, form.cleaned_data["version"])
            status = 409
        except ValidationError as error:
            form.add_error(None, error)
    context = {"form": form, "practice": practice, **actions, **review, **conflict}
    return render(request, "experiences/practice_form.html", context, status=status)


def _save_edit(request, practice, form, *, needs_review) -> None:
    with transaction.atomic():
        services.practice_update(
            practice=practice,
            user=request.user,
            data=form.cleaned_data,
            expected_version=form.cleaned_data["version"],
            attachments=form.cleaned_data["attachments"],
            remove_attachments=form.cleaned_data["remove_attachments"],
        )
        if needs_review:
            messages.success(
                request,
                _(
                    "Your changes were saved and sent to the secretariat for approval. "
                    "Until they are approved, the published text stays public."
                ),
            )
        else:
            _apply_intent(request, practice, form.intent)


def _review_context(practice, actions) -> dict:
    """What the secretariat decides and the city is told, shown at the top of a practice's
    pages: the changes waiting on a published practice (with what they change, for the
    secretariat), the last ones refused, the review form."""
    context = {"review_form": ReviewForm()} if actions["can_review"] else {}
    if not practice.is_public or not actions["can_edit"]:
        return context
    latest = practice.revisions.select_related("author").first()
    if latest is None:
        return context
    if latest.status == PracticeRevision.Status.PENDING:
        context["pending_revision"] = latest
        if actions["can_review_revision"]:
            context["revision_changes"] = changes.compare(
                changes.text_of(practice), changes.text_from_data(latest.data)
            )
    elif latest.status == PracticeRevision.Status.REJECTED:
        context["rejected_revision"] = latest
    return context


def _conflict(user, practice, started_from) -> dict:
    """What the other person changed since the user opened the form: the fields that
    differ between that version and the one saved now (None when that version is not
    kept)."""
    current = Practice.objects.select_related("city__publishing_right").get(pk=practice.pk)
    pending = current.pending_revision() if permissions.edits_need_review(user, current) else None
    theirs = changes.text_from_data(pending.data) if pending else changes.text_of(current)
    base = changes.text_at_version(current, started_from)
    return {"conflict_changes": changes.compare(base, theirs) if base is not None else None}


def _conflict_message() -> str:
    return _(
        "Someone else saved this practice after you opened it, so your changes were not "
        "saved. What they changed is listed above; your text is kept in the form below. "
        "Open the practice in a new tab to make your changes on the saved version."
    )


def _allowed_practice(request, slug, check, queryset=None) -> Practice:
    """The practice of the URL: 404 when the user cannot see it, 403 when `check` refuses."""
    practice = permissions.get_visible_practice(request.user, slug, queryset)
    if not check(request.user, practice):
        raise PermissionDenied
    return practice


def _attempt(request, action, done) -> bool:
    """Run a workflow step: its success message, or each of its refusals as an error."""
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, done)
    return True


def _workflow_view(service, done):
    """A small POST action on a practice: 404 unseen, 403 when the service refuses the user
    (services check permissions), its refusals as messages, then back to the practice."""

    @login_required
    @require_POST
    def view(request, slug):
        practice = permissions.get_visible_practice(request.user, slug)
        _attempt(request, lambda: service(practice=practice, user=request.user), done)
        return redirect(practice)

    view.__name__ = view.__qualname__ = service.__name__
    return view


practice_submit = _workflow_view(services.practice_submit, SUBMITTED)
practice_publish = _workflow_view(services.practice_publish, PUBLISHED)
practice_unpublish = _workflow_view(services.practice_unpublish, UNPUBLISHED)
practice_restore = _workflow_view(services.practice_restore, RESTORED)


@login_required
@require_POST
def practice_feature(request, slug):
    featured = request.POST.get("featured") == "1"
    practice = permissions.get_visible_practice(request.user, slug)
    _attempt(
        request,
        lambda: services.practice_set_featured(
            practice=practice, user=request.user, featured=featured
        ),
        _("The practice is featured.") if featured else _("The practice is no longer featured."),
    )
    return redirect(practice)


@login_required
@require_POST
def practice_request_changes(request, slug):
    practice = _allowed_practice(request, slug, permissions.can_review_practice)
    form = ReviewForm(request.POST)
    if form.is_valid():
        services.practice_request_changes(
            practice=practice,
            user=request.user,
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, _("The practice was sent back to its city with your comments."))
        return redirect(practice)
    return _render_detail(request, slug, review_form=form, status=400, practice=practice)


def _decide_revision(request, slug, decide, done):
    """Approve or refuse the changes waiting on a published practice (the secretariat)."""
    practice = _allowed_practice(
        request, slug, permissions.can_review_revision, Practice.objects.select_related("city")
    )
    revision = practice.pending_revision()
    if revision is None:
        messages.error(request, _("No changes are waiting for approval on this practice."))
        return redirect(practice)
    decided = _attempt(request, lambda: decide(practice, revision), done)
    if not decided and "comment" in request.POST:
        return redirect("experiences:edit", slug=practice.slug)
    return redirect(practice)


@login_required
@require_POST
def revision_approve(request, slug):
    return _decide_revision(
        request,
        slug,
        lambda p, r: services.practice_revision_approve(practice=p, revision=r, user=request.user),
        _("The changes are approved: the practice shows them now."),
    )


@login_required
@require_POST
def revision_reject(request, slug):
    comment = request.POST.get("comment", "")
    return _decide_revision(
        request,
        slug,
        lambda p, r: services.practice_revision_reject(
            practice=p, revision=r, user=request.user, comment=comment
        ),
        _("The changes were not approved; the city sees your comments."),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def practice_archive(request, slug):
    practice = _allowed_practice(request, slug, permissions.can_archive_practice)
    if request.method == "POST":
        services.practice_archive(practice=practice, user=request.user)
        messages.success(request, _("The practice was archived. Nothing was deleted."))
        return redirect(practice)
    return render(request, "experiences/practice_confirm_archive.html", {"practice": practice})


@require_safe
def attachment_download(request, slug, pk):
    attachment = permissions.get_visible_attachment(request.user, slug, pk)
    return download_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )
