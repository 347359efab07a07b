from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import services, sessions
from .forms import ProfileForm
from .models import DeletionRequest
from .security import log_event


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request):
    """The logged-in person's name and the language of the e-mails they receive."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("account_profile")
    pending = DeletionRequest.objects.filter(user=request.user, completed_at=None).first()
    return render(request, "account/profile.html", {"form": form, "deletion_request": pending})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_deletion(request):
    """GET asks to confirm; POST records the request to delete the account."""
    if request.method == "POST":
        services.deletion_request_create(user=request.user)
        log_event("account.deletion_requested", request)
        messages.success(
            request,
            _(
                "Your request has been recorded. The secretariat will delete your account and "
                "personal data; your cities' content stays."
            ),
        )
        return redirect("account_profile")
    return render(request, "account/deletion_confirm.html")


@login_required
@require_POST
def cancel_deletion(request):
    if services.deletion_request_cancel(user=request.user):
        log_event("account.deletion_cancelled", request)
        messages.success(request, _("Your request to delete your account has been cancelled."))
    return redirect("account_profile")


def _listed_sessions(request) -> list:
    listed = sessions.live_user_sessions(request.user)
    current = request.session.session_key
    for row in listed:
        row.current = row.session_key == current
        row.device = sessions.describe_user_agent(row.user_agent)
    return listed


@login_required
@require_http_methods(["GET", "HEAD"])
def user_sessions(request):
    """Where the person is logged in, each session with a way to end it."""
    listed = _listed_sessions(request)
    return render(
        request,
        "usersessions/usersession_list.html",
        {"sessions": listed, "session_count": len(listed)},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def end_other_sessions(request):
    """GET asks to confirm; POST logs out every session but this one."""
    if request.method == "POST":
        ended = sessions.end_user_sessions(
            request.user, keep_session_key=request.session.session_key
        )
        log_event("sessions.ended", request, count=ended)
        messages.success(request, _("You were logged out of your other sessions."))
        return redirect("usersessions_list")
    others = [row for row in _listed_sessions(request) if not row.current]
    return render(request, "usersessions/end_confirm.html", {"ending": others, "all": True})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def end_session(request, pk):
    """GET asks to confirm; POST logs out that one session (never the current one)."""
    current = request.session.session_key
    if request.method == "POST":
        if not sessions.end_user_session(request.user, pk, keep_session_key=current):
            raise Http404
        log_event("sessions.ended", request, count=1)
        messages.success(request, _("That session has been logged out."))
        return redirect("usersessions_list")
    ending = [row for row in _listed_sessions(request) if row.pk == pk and not row.current]
    if not ending:
        raise Http404
    return render(request, "usersessions/end_confirm.html", {"ending": ending, "all": False})
