"""Forms coordinators use to keep their city's profile and focal points current."""

import re

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import City, FocalPoint

PHONE_CHARACTERS = re.compile(r"^[0-9 +\-()]+$")
PHONE_MIN_DIGITS = 6
PHONE_MAX_DIGITS = 20
MAX_FOCAL_POINTS = 10


def _https_urls(field: models.Field, **kwargs):
    # An address typed without a scheme is taken as https (Django 6's default).
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class CityProfileForm(forms.ModelForm):
    confirm_contacts = forms.BooleanField(
        label=_("These contacts are still correct"),
        help_text=_("Marks every contact below as confirmed today."),
        required=False,
    )

    class Meta:
        model = City
        fields = ["summary", "website"]
        formfield_callback = _https_urls
        widgets = {"summary": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "summary": _("A few paragraphs on the city and its social policies. Plain text."),
            "website": _("The city government's website, starting with https://."),
        }


class FocalPointForm(forms.ModelForm):
    class Meta:
        model = FocalPoint
        fields = ["name", "position", "email", "phone", "is_primary", "last_confirmed_on"]
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TelInput(attrs={"autocomplete": "off"}),
            "last_confirmed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The default (today) is a callable, for which Django would add a hidden copy of
        # the initial value carrying the visible field's aria-describedby (invalid HTML);
        # a changed row is told by the fields a person types anyway.
        self.fields["last_confirmed_on"].show_hidden_initial = False

    def clean_phone(self):
        phone = " ".join(self.cleaned_data["phone"].split())
        if not phone:
            return phone
        if not PHONE_CHARACTERS.match(phone):
            raise forms.ValidationError(
                _("Use only digits, spaces, +, - and parentheses."), code="phone_characters"
            )
        digits = sum(char.isdigit() for char in phone)
        if not PHONE_MIN_DIGITS <= digits <= PHONE_MAX_DIGITS:
            raise forms.ValidationError(
                _("A phone number has between %(min)d and %(max)d digits."),
                code="phone_length",
                params={"min": PHONE_MIN_DIGITS, "max": PHONE_MAX_DIGITS},
            )
        return phone

    def clean_last_confirmed_on(self):
        value = self.cleaned_data["last_confirmed_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(
                _("The confirmation date cannot be in the future."), code="future_date"
            )
        return value


class _ContactIdField(forms.ModelChoiceField):
    """The hidden id of a contact row, found among the contacts the formset has already
    read (one query for all rows) instead of one `.get()` per submitted row."""

    def __init__(self, *args, formset, **kwargs):
        super().__init__(*args, **kwargs)
        self.formset = formset

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            pk = self.queryset.model._meta.pk.to_python(value)
        except forms.ValidationError:
            pk = None
        contact = self.formset._existing_object(pk) if pk is not None else None
        if contact is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return contact


class BaseFocalPointFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        id_field = form.fields[self.model._meta.pk.name]
        form.fields[self.model._meta.pk.name] = _ContactIdField(
            id_field.queryset,
            formset=self,
            initial=id_field.initial,
            required=False,
            widget=id_field.widget,
        )

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        primaries = [
            form
            for form in self.forms
            if form.cleaned_data.get("is_primary") and not self._should_delete_form(form)
        ]
        # Mirrors the constraint cities_focalpoint_one_primary with a readable message.
        if len(primaries) > 1:
            raise forms.ValidationError(
                _("Only one contact can be the primary contact."), code="one_primary"
            )


FocalPointFormSet = forms.inlineformset_factory(
    City,
    FocalPoint,
    form=FocalPointForm,
    formset=BaseFocalPointFormSet,
    fields=FocalPointForm.Meta.fields,
    extra=1,
    can_delete=True,
    max_num=MAX_FOCAL_POINTS,
    validate_max=True,
)
