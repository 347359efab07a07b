"""Placeholder: the news feed is being written."""

from django.http import Http404


class NewsFeed:
    def __call__(self, request, *args, **kwargs):
        raise Http404
