"""The admin forms of the library's documents, review notes and news, and the secretariat's
form for a message to the coordinators."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cities.models import WorkingGroup
from cities.queries import countries_present
from core.uploads import clean_checked_file

from .models import Document, NetworkMessage, NewsItem, ReviewNote

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


class NetworkMessageForm(forms.ModelForm):
    """A message to the coordinators: a subject and text per language (Spanish required),
    and to whom: every coordinator, or those of a country, working group or role."""

    class Meta:
        model = NetworkMessage
        fields = [
            "subject_es",
            "body_es",
            "subject_pt_br",
            "body_pt_br",
            "subject_en",
            "body_en",
            "country",
            "working_group",
            "role",
        ]
        widgets = {
            "body_es": forms.Textarea(attrs={"rows": 8}),
            "body_pt_br": forms.Textarea(attrs={"rows": 8}),
            "body_en": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the countries that have cities, by name in the page's language
        self.fields["country"] = forms.ChoiceField(
            label=_("country"),
            required=False,
            choices=[("", _("every country")), *countries_present()],
            help_text=NetworkMessage._meta.get_field("country").help_text,
        )
        group = self.fields["working_group"]
        group.queryset = WorkingGroup.objects.order_by("slug")
        group.empty_label = _("every working group")
        self.fields["role"].choices = [("", _("every role")), *NetworkMessage.Role.choices]
        for suffix, lang in (("es", "es"), ("pt_br", "pt-BR"), ("en", "en")):
            for name in (f"subject_{suffix}", f"body_{suffix}"):
                self.fields[name].widget.attrs["lang"] = lang  # the text typed, not the label
