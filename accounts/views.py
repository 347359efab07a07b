from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import sessions
from .forms import ProfileForm
from .security import log_event


@login_required
def profile(request):
    """The logged-in person's name and the language of the e-mails they receive."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("account_profile")
    return render(request, "account/profile.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def user_sessions(request):
    """Where the person is logged in; POST logs out every session but this one."""
    if request.method == "POST":
        ended = sessions.end_user_sessions(
            request.user, keep_session_key=request.session.session_key
        )
        log_event("sessions.ended", request, count=ended)
        messages.success(request, _("You were logged out of your other sessions."))
        return redirect("usersessions_list")
    listed = sessions.live_user_sessions(request.user)
    current = request.session.session_key
    for row in listed:
        row.current = row.session_key == current
    context = {"sessions": listed, "session_count": len(listed)}
    return render(request, "usersessions/usersession_list.html", context)
