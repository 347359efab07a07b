"""Placeholder: the work plan review pages are being written."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


plan_index = plan = report = export_csv = _todo
