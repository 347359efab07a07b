"""The practice form and its attachments."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from cities.models import City
from mapping.models import DevelopmentGoal, SocialProblem
from unit.queries import line_choices

from .models import (
    PRACTICE_EDITABLE_FIELDS,
    PRACTICE_M2M_FIELDS,
    CRCArticle,
    Practice,
    PracticeAttachment,
    Theme,
)
from .permissions import can_publish_for_city, creatable_cities
from .uploads import check_attachment, max_bytes, max_files
from .vocabulary import FastCheckboxSelectMultiple, FastSelect, fetch_lists

# What the buttons of the practice form ask for, besides saving.
INTENT_SAVE = "save"
INTENT_SUBMIT = "submit"
INTENT_PUBLISH = "publish"
INTENTS = (INTENT_SAVE, INTENT_SUBMIT, INTENT_PUBLISH)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; cleans to a list (possibly empty)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class PracticeForm(forms.ModelForm):
    """The systematisation template. Input checks only; services.py does the writing."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    # Ticked attachments are removed when the page is saved, with the rest of the edits.
    remove_attachments = forms.ModelMultipleChoiceField(
        label=_("Remove when saving"),
        queryset=PracticeAttachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = MultipleFileField(label=_("Attach files"), required=False)

    class Meta:
        model = Practice
        fields = [*PRACTICE_EDITABLE_FIELDS, *PRACTICE_M2M_FIELDS]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "problem": forms.Textarea(attrs={"rows": 6}),
            "objectives": forms.Textarea(attrs={"rows": 5}),
            "actions": forms.Textarea(attrs={"rows": 8}),
            "results": forms.Textarea(attrs={"rows": 6}),
            "lessons_learned": forms.Textarea(attrs={"rows": 5}),
            "target_population": forms.Textarea(attrs={"rows": 3}),
            "partners": forms.Textarea(attrs={"rows": 3}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "themes": forms.CheckboxSelectMultiple,
            "lines": forms.CheckboxSelectMultiple,
            "goals": forms.CheckboxSelectMultiple,
            "social_problems": forms.CheckboxSelectMultiple,
            "crc_articles": forms.CheckboxSelectMultiple,
            "partner_cities": FastCheckboxSelectMultiple,
            "city": FastSelect,
            "language": FastSelect,
            "currency": FastSelect,
        }

    # Sections the form groups under one heading each (fieldset, legend).
    GROUPS = (
        (_("About the practice"), ("title", "city", "language", "summary")),
        (
            _("Systematisation"),
            ("problem", "objectives", "actions", "results", "lessons_learned"),
        ),
        (_("People and time"), ("target_population", "start_date", "end_date")),
        (
            _("Classification"),
            ("themes", "lines", "goals", "social_problems", "crc_articles"),
        ),
        (
            _("Partners and funding"),
            ("partner_cities", "partners", "budget", "currency", "funding_source"),
        ),
        (_("Contact (members only)"), ("contact_name", "contact_email")),
    )
    MARKDOWN_FIELDS = ("summary", "problem", "objectives", "actions", "results", "lessons_learned")
    DOCUMENT_FIELDS = ("remove_attachments", "attachments")
    # Long lists of check boxes that get a filter box (static/js/checkbox-filter.js).
    FILTERABLE = ("partner_cities",)

    def __init__(self, *args, user, intent=INTENT_SAVE, **kwargs):
        choices = self._choice_querysets(user)
        data = args[0] if args else kwargs.get("data")
        instance = kwargs.get("instance")
        loaded = None
        if data is None:
            # Drawing the form: every list of choices, and an edited practice's current
            # values, in one query. A submitted form validates against the querysets.
            loaded = self._load(choices, instance)
        super().__init__(*args, **kwargs)
        self.user = user
        self.intent = intent if intent in INTENTS else INTENT_SAVE
        for name, queryset in choices.items():
            self.fields[name].queryset = queryset
            if loaded is not None:
                field = self.fields[name]
                options = [(obj.pk, field.label_from_instance(obj)) for obj in loaded[name]]
                if name == "city":
                    options.insert(0, ("", field.empty_label))
                field.widget.choices = options
        if not self.instance.pk:
            # Most coordinators have one city: choose it for them.
            if loaded is not None:
                first_two = loaded["city"][:2]
            else:
                first_two = list(self.fields["city"].queryset[:2])
            if len(first_two) == 1:
                self.fields["city"].initial = first_two[0].pk
            self.fields["language"].initial = default_language(user)
        else:
            self.fields["remove_attachments"].queryset = self.instance.attachments.all()
        self.fields["version"].initial = self.instance.version if self.instance.pk else None
        self.fields["attachments"].help_text = gettext(
            "PDF, PNG, JPEG, ODT, DOCX or XLSX; up to %(size)s each and %(count)s files "
            "per practice."
        ) % {"size": filesizeformat(max_bytes()), "count": max_files()}
        self.fields["partner_cities"].help_text = gettext(
            "Other member cities that run this practice jointly: tick as many as apply."
        )
        for name in self.MARKDOWN_FIELDS:
            help_text = self.fields[name].help_text
            markdown_hint = _("Markdown: **bold**, *italic*, lists, [links](https://…).")
            self.fields[name].help_text = (
                f"{help_text} {markdown_hint}" if help_text else markdown_hint
            )

    @staticmethod
    def _choice_querysets(user) -> dict:
        return {
            "city": creatable_cities(user).order_by("sort_name", "pk"),
            "partner_cities": City.objects.order_by("sort_name", "pk"),
            "themes": Theme.objects.order_by("position", "name_es"),
            "lines": line_choices(),
            "goals": DevelopmentGoal.objects.order_by("framework", "number"),
            "social_problems": SocialProblem.objects.order_by("category", "name_es"),
            "crc_articles": CRCArticle.objects.order_by("number"),
        }

    @staticmethod
    def _load(choices: dict, instance) -> dict:
        """The choices (cities by id and name only: hundreds of them) and, for a saved
        practice, the ids of its current values, kept on the instance as if prefetched."""
        lists = {
            name: queryset.values("id", "name") if name in ("city", "partner_cities") else queryset
            for name, queryset in choices.items()
        }
        editing = instance is not None and instance.pk
        links = {}
        if editing:
            for name in PRACTICE_M2M_FIELDS:
                through = getattr(Practice, name).through
                column = getattr(Practice, name).field.m2m_reverse_name()
                links[name] = column
                lists[f"current_{name}"] = through.objects.filter(practice_id=instance.pk).values(
                    column
                )
        loaded = fetch_lists(**lists)
        if editing:
            cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
            for name, column in links.items():
                ids = {getattr(row, column) for row in loaded[f"current_{name}"]}
                queryset = getattr(instance, name).all()
                queryset._result_cache = [obj for obj in loaded[name] if obj.pk in ids]
                queryset._prefetch_done = True
                cache[name] = queryset
        return loaded

    def groups(self):
        """(legend, bound fields) for the template, in the order of GROUPS."""
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(label, id of the element to jump to, message) of every field error, in the
        order of the page: the summary at the top of the form links to each field."""
        summary = []
        for name in [*(n for _legend, names in self.GROUPS for n in names), *self.DOCUMENT_FIELDS]:
            bound = self[name]
            for message in bound.errors:
                # a group of check boxes is reached through its fieldset (id = auto_id)
                target = bound.id_for_label or bound.auto_id
                summary.append((str(bound.label), target, message))
        return summary

    def removing(self) -> set[str]:
        """The ids of the attachments ticked for removal (to tick them again on errors)."""
        return set(self.data.getlist("remove_attachments")) if self.is_bound else set()

    def clean_version(self):
        version = self.cleaned_data.get("version")
        if self.instance.pk and version is None:
            raise ValidationError(_("The form is incomplete; open the practice again."))
        return version

    def clean_attachments(self):
        uploads = self.cleaned_data.get("attachments") or []
        existing = self.instance.attachments.count() if self.instance.pk else 0
        existing -= len(self.cleaned_data.get("remove_attachments") or [])
        if existing + len(uploads) > max_files():
            raise ValidationError(
                _(
                    "A practice may have at most %(limit)s attachments; it has %(existing)s "
                    "and you added %(added)s."
                )
                % {"limit": max_files(), "existing": existing, "added": len(uploads)}
            )
        errors = []
        for upload in uploads:
            try:
                check_attachment(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return uploads

    def clean(self):
        cleaned = super().clean()
        city = cleaned.get("city")
        partners = cleaned.get("partner_cities")
        if city is not None and partners and city in partners:
            self.add_error("partner_cities", _("The practice's own city cannot also be a partner."))
        if self.intent in (INTENT_SUBMIT, INTENT_PUBLISH):
            for name in Practice.REQUIRED_TO_PUBLISH:
                if name in cleaned and not (cleaned.get(name) or "").strip():
                    self.add_error(name, _("Needed before the practice is submitted or published."))
            if "themes" in cleaned and not cleaned.get("themes"):
                self.add_error("themes", _("Choose at least one theme."))
        refused = city is not None and not can_publish_for_city(self.user, city)
        if self.intent == INTENT_PUBLISH and refused:
            self.add_error(
                None,
                _(
                    "Practices of %(city)s are published after the secretariat's review: "
                    "submit it for review instead."
                )
                % {"city": city.name},
            )
        return cleaned


def default_language(user) -> str:
    """A new practice is written in the language of the page it is written on; when that
    is not a content language, in the author's preferred one, else in Spanish."""
    known = set(Practice.Language.values)
    for code in ((get_language() or "").lower(), getattr(user, "language", "")):
        if code in known:
            return code
    return Practice.Language.ES


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comments for the city"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("Needed to send the practice back; the author receives them by e-mail."),
    )
