"""The admin forms of the library's documents, review notes and news."""

from django import forms
from django.conf import settings

from core.uploads import clean_checked_file

from .models import Document, NewsItem, ReviewNote

# Overridable in settings (tests lower it); read at call time. Same rule as attachments.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def document_max_bytes() -> int:
    return int(getattr(settings, "LIBRARY_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


class DocumentForm(forms.ModelForm):
    """A library document, checked by its content like the attachments of a practice."""

    class Meta:
        model = Document
        fields = [
            "title",
            "slug",
            "kind",
            "year",
            "language",
            "summary",
            "lines",
            "audience",
            "for_new_members",
            "file",
            "is_sample",
        ]

    def clean_file(self):
        return clean_checked_file(self, max_bytes=document_max_bytes())


class ReviewNoteForm(forms.ModelForm):
    class Meta:
        model = ReviewNote
        fields = ["line", "year", "body"]


class NewsItemForm(forms.ModelForm):
    class Meta:
        model = NewsItem
        fields = [
            "title",
            "slug",
            "summary",
            "body",
            "language",
            "published_at",
            "is_published",
            "lines",
            "city",
            "event",
            "is_sample",
        ]
