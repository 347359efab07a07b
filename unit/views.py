"""Placeholder: the library and news views are being written."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


library = document_detail = document_download = news_list = news_detail = _todo
