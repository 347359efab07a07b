"""Forms of the membership flow: the public application, the invitation, the admin's decisions.

Input validation only: the writes happen in cities.services.
"""

import csv
import functools
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.models import User
from core.text import sort_key

from . import services
from .models import MembershipApplication, stage_label

COUNTRIES_CSV = Path(settings.BASE_DIR) / "data" / "reference" / "geo" / "countries.csv"


@functools.cache
def eligible_country_codes() -> tuple[str, ...]:
    """The countries whose cities may apply: those of data/reference/geo/countries.csv."""
    with COUNTRIES_CSV.open(encoding="utf-8") as rows:
        return tuple(row["iso2"] for row in csv.DictReader(rows))


def country_choices():
    """Eligible countries named in the current language, in alphabetical order."""
    named = ((code, countries.name(code)) for code in eligible_country_codes())
    named = sorted(named, key=lambda c: sort_key(c[1]))
    return [("", _("Choose a country")), *named]


# What the applicant writes: the public form's fields, editable in the admin while pending.
APPLICANT_FIELDS = (
    "kind",
    "city_name",
    "country",
    "contact_name",
    "email",
    "position",
    "motivation",
)


def motivation_min_chars() -> int:
    """The least a motivation may hold (settings.JOIN_MOTIVATION_MIN_CHARS)."""
    return settings.JOIN_MOTIVATION_MIN_CHARS


class JoinForm(forms.ModelForm):
    """The public membership application by one of the two paths, with a honeypot field that
    people never see. The motivation must hold at least JOIN_MOTIVATION_MIN_CHARS characters;
    a shorter one is refused with the count, keeping everything typed."""

    # Bots fill every field; people never see this one (hidden, out of the tab order).
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = MembershipApplication
        fields = list(APPLICANT_FIELDS)
        labels = {
            "kind": _("What does your city ask?"),
            "city_name": _("Name of the city"),
            "country": _("Country"),
            "contact_name": _("Your name"),
            "email": _("Your e-mail address"),
            "position": _("Your position in the city government"),
            "motivation": _("Why does your city want to join the network?"),
        }
        help_texts = {
            "email": _("We write to this address about the application."),
        }
        widgets = {
            "kind": forms.RadioSelect,
            "city_name": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "position": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "motivation": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()
        self.fields["kind"].choices = MembershipApplication.Kind.choices
        minimum = motivation_min_chars()
        self.fields["motivation"].help_text = _(
            "What your city does in social development and what it hopes to share with the "
            "network: at least %(min)d and at most 4000 characters."
        ) % {"min": minimum}
        self.fields["motivation"].widget.attrs["minlength"] = minimum

    def clean_motivation(self):
        motivation = self.cleaned_data["motivation"]
        minimum = motivation_min_chars()
        if len(motivation.strip()) < minimum:
            raise forms.ValidationError(
                _(
                    "Write at least %(min)d characters about your city's motivation "
                    "(you wrote %(count)d). What you typed is kept below."
                ),
                code="motivation_too_short",
                params={"min": minimum, "count": len(motivation.strip())},
            )
        return motivation

    @property
    def is_spam(self) -> bool:
        """True when the honeypot was filled in: the submission is dropped quietly."""
        return bool(self.cleaned_data.get("homepage"))

    def clean(self):
        data = super().clean()
        email, city, country = data.get("email"), data.get("city_name"), data.get("country")
        complete = email and city and country and not self.is_spam
        if complete and services.application_pending_exists(
            email=email, city_name=city, country=country
        ):
            raise forms.ValidationError(
                _(
                    "An application for this city from this e-mail address is already "
                    "pending. The secretariat will write to you about it."
                ),
                code="already_pending",
            )
        return data

    def _get_validation_exclusions(self):
        # The form field has validated the e-mail; leaving it out of the model's checks skips
        # the generic message of the one-pending constraint, which clean() words better.
        exclusions = super()._get_validation_exclusions()
        exclusions.add("email")
        return exclusions

    def application_data(self) -> dict:
        """The keyword arguments for services.application_submit."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class InvitationAcceptForm(forms.Form):
    """A new coordinator's name and password (Django's password validators apply)."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("How the network addresses you, e.g. “Ana Pérez”."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=lazy(
            lambda: " ".join(password_validation.password_validators_help_texts()), str
        )(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        self.invitation = invitation
        kwargs.setdefault("initial", {"name": invitation.name})
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            candidate = User(email=self.invitation.email, name=data.get("name", ""))
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data

    def accept_data(self) -> dict:
        """The keyword arguments for services.invitation_accept."""
        return {"name": self.cleaned_data["name"], "password": self.cleaned_data["password1"]}


class InvitationConfirmForm(forms.Form):
    """An existing account accepts with one button (it is logged in already)."""

    def accept_data(self) -> dict:
        return {}


class InviteCoordinatorForm(forms.Form):
    """The secretariat invites a person to coordinate a city (admin)."""

    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(label=_("Name"), max_length=150)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        help_text=_("The invitation, and every later e-mail, is written in this language."),
    )


class ApplicationAdminForm(forms.ModelForm):
    """The application's change form in the admin, with the decision on its next stage."""

    decision = forms.ChoiceField(label=_("Move to"), required=False)
    note = forms.CharField(
        label=_("Note for this stage"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Kept in the history and sent to the applicant in this stage's e-mail; for a "
            "rejection, the reason below is sent instead."
        ),
    )

    class Meta:
        model = MembershipApplication
        fields = [*APPLICANT_FIELDS, "rejection_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "decision" in self.fields:
            allowed = services.application_allowed_transitions(self.instance)
            self.fields["decision"].choices = [
                ("", _("No change")),
                *((status, stage_label(self.instance.kind, status)) for status in allowed),
            ]

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if not decision:
            return data
        if decision == MembershipApplication.Status.REJECTED:
            if not (data.get("rejection_reason") or "").strip():
                self.add_error("rejection_reason", _("Give the reason for the rejection."))
            return data
        try:
            services.application_check_transition(self.instance, decision)
        except forms.ValidationError as error:
            self.add_error("decision", error)
        return data
