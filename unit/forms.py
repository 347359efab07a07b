from django import forms
from django.conf import settings

from utds.uploads import check_upload

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
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            checked = check_upload(upload, max_bytes=document_max_bytes())
            self.instance.original_name = checked.original_name
            self.instance.content_type = checked.content_type
            self.instance.size = upload.size
            upload.name = f"document{checked.extension}"
        return upload


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
