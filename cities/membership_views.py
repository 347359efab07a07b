# Placeholder while the membership helper builds these views (replaced, not shipped).
from django.http import Http404


def join(request):
    raise Http404


def join_sent(request):
    raise Http404


def invitation_accept(request, token):
    raise Http404
