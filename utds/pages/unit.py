"""Placeholder: the unit's about and new-member pages are being written."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


about = new_members = _todo
