# Placeholder while the directory helper builds these views (replaced, not shipped).
from django.http import Http404


def export_csv(request):
    raise Http404


def export_json(request):
    raise Http404


def edit(request, slug):
    raise Http404
