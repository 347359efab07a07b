"""Input validation for registrations and for the secretariat's event screens."""

import datetime
import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.admin import widgets as admin_widgets
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import check_file_count, clean_checked_file

from .models import Delegate, Event, EventDocument, Registration
from .services import DelegateData

# Overridable in settings; read at call time. The same rules as practice attachments.
DEFAULT_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_DOCUMENT_MAX_FILES = 20
MAX_DELEGATES = 30


def document_max_bytes() -> int:
    return int(getattr(settings, "EVENTS_DOCUMENT_MAX_BYTES", DEFAULT_DOCUMENT_MAX_BYTES))


def document_max_files() -> int:
    return int(getattr(settings, "EVENTS_DOCUMENT_MAX_FILES", DEFAULT_DOCUMENT_MAX_FILES))


# --- Registration ------------------------------------------------------------------------

# Empty delegate rows offered with a new registration, below a registration's delegates
# when it is changed, and added by the "more rows" button (with or without JavaScript).
NEW_ROWS = 3
SPARE_ROWS = 1
ADD_ROWS = 5


class RegistrationForm(forms.ModelForm):
    """Which city and a note; the delegates come in DelegateFormSet.

    Every city the user may register is accepted, so that a second registration of a city
    reaches the service and is refused there with the current one shown; the select offers
    only the cities in `offered` (those not registered yet)."""

    class Meta:
        model = Registration
        fields = ["city", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"note": _("Anything the secretariat should know (optional).")}

    def __init__(self, *args, cities, offered=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["city"]
        field.queryset = cities
        field.to_field_name = "slug"
        shown = list(cities) if offered is None else list(offered)
        self.offers_cities = bool(shown)
        field.empty_label = None if len(shown) == 1 else _("Choose a city")
        # the user's cities are read once (list above): the select's options and its
        # `required` check reuse them instead of querying twice more
        choices = [(city.slug, field.label_from_instance(city)) for city in shown]
        if field.empty_label is not None:
            choices.insert(0, ("", field.empty_label))
        field.choices = choices
        field.label = _("City")
        self.fields["note"].label = _("Note for the secretariat")


class RegistrationChangeForm(forms.ModelForm):
    """The note of a registration being changed, and the version the page was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    class Meta:
        model = Registration
        fields = ["note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        labels = {"note": _("Note for the secretariat")}
        help_texts = {"note": _("Anything the secretariat should know (optional).")}

    def clean_version(self):
        version = self.cleaned_data.get("version")
        if version is None:
            raise ValidationError(
                _("The form is incomplete; open the registration again."), code="no_version"
            )
        return version


class DelegateForm(forms.ModelForm):
    consent = forms.BooleanField(
        label=_("This person agrees to share these details with the secretariat"),
        required=True,
    )

    class Meta:
        model = Delegate
        fields = ["name", "position", "email"]
        labels = {"name": _("Name"), "position": _("Position"), "email": _("E-mail")}

    def as_data(self) -> DelegateData:
        data = self.cleaned_data
        return DelegateData(name=data["name"], position=data["position"], email=data["email"])


class BaseDelegateFormSet(forms.BaseFormSet):
    """Delegate rows, every one of them optional: a row left empty is skipped, a row ticked
    "remove" is dropped. Rows shown filled (a registration's delegates, or what was typed
    before "more rows") come as `initial`, and the page still declares no initial forms, so
    the next POST treats all rows alike."""

    def initial_form_count(self):
        return super().initial_form_count() if self.is_bound else 0

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove this delegate")

    def delegates(self) -> list[DelegateData]:
        return [
            form.as_data()
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form)
        ]

    def clean(self):
        super().clean()
        if not any(self.errors) and not self.delegates():
            raise ValidationError(_("Name at least one delegate."), code="no_delegate")

    @property
    def can_add_rows(self) -> bool:
        return self.total_form_count() < MAX_DELEGATES


DelegateFormSet = forms.formset_factory(
    DelegateForm,
    formset=BaseDelegateFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_DELEGATES,
    validate_max=True,
    absolute_max=MAX_DELEGATES,
)

DELEGATE_PREFIX = "delegates"
_ROW_FIELDS = ("name", "position", "email")
_ROW_BOXES = ("consent", "DELETE")


def delegate_rows(rows: list[dict], *, spare: int) -> BaseDelegateFormSet:
    """An unbound formset showing `rows` filled in, then `spare` empty rows (at most
    MAX_DELEGATES rows in all)."""
    rows = rows[:MAX_DELEGATES]
    formset = DelegateFormSet(prefix=DELEGATE_PREFIX, initial=rows)
    formset.extra = max(min(len(rows) + spare, MAX_DELEGATES), 1)
    return formset


def delegate_rows_of(registration) -> BaseDelegateFormSet:
    """The rows of a registration being changed (consent already given), and a spare one."""
    rows = [
        {"name": d.name, "position": d.position, "email": d.email, "consent": True}
        for d in registration.delegates.all()
    ]
    return delegate_rows(rows, spare=SPARE_ROWS)


def delegate_rows_typed(data) -> BaseDelegateFormSet:
    """The rows as typed in a POST (unchecked, so no error shows yet) and ADD_ROWS empty
    ones: what the "more rows" button answers without JavaScript."""
    form = DelegateFormSet(data, prefix=DELEGATE_PREFIX).management_form
    count = form.cleaned_data.get("TOTAL_FORMS", 0) if form.is_valid() else 0
    rows = []
    for index in range(min(count, MAX_DELEGATES)):
        prefix = f"{DELEGATE_PREFIX}-{index}-"
        row = {name: data.get(prefix + name, "").replace("\x00", "") for name in _ROW_FIELDS}
        row.update({name: bool(data.get(prefix + name)) for name in _ROW_BOXES})
        rows.append(row)
    return delegate_rows(rows, spare=ADD_ROWS)


# --- The secretariat's event form --------------------------------------------------------


class LocalSplitDateTimeField(forms.SplitDateTimeField):
    """A date and a time as written, without a zone: the form applies the event's zone."""

    def compress(self, data_list):
        if data_list and data_list[0] is not None and data_list[1] is not None:
            return datetime.datetime.combine(*data_list)
        return None


def _local(value, zone: str):
    return timezone.localtime(value, zoneinfo.ZoneInfo(zone)).replace(tzinfo=None)


class EventAdminForm(forms.ModelForm):
    """Start and end are typed in the event's own time zone and stored in UTC."""

    starts_local = LocalSplitDateTimeField(
        label=_("starts at (local time)"), widget=admin_widgets.AdminSplitDateTime
    )
    ends_local = LocalSplitDateTimeField(
        label=_("ends at (local time)"), widget=admin_widgets.AdminSplitDateTime
    )

    online_url = forms.URLField(
        label=_("online link"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "slug",
            "kind",
            "time_zone",
            "place",
            "online_url",
            "host_city",
            "working_group",
            "lines",
            "description",
            "registration_open",
            "capacity",
            "cancelled",
            "is_sample",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_local", "ends_local"):
            self.fields[name].help_text = _("In the event's time zone, chosen above.")
        if self.instance.pk:
            zone = self.instance.time_zone
            self.initial["starts_local"] = _local(self.instance.starts_at, zone)
            self.initial["ends_local"] = _local(self.instance.ends_at, zone)

    def clean(self):
        cleaned = super().clean()
        zone = cleaned.get("time_zone")
        starts, ends = cleaned.get("starts_local"), cleaned.get("ends_local")
        if zone and starts and ends:
            if ends < starts:
                self.add_error("ends_local", _("The event cannot end before it starts."))
                return cleaned
            tz = zoneinfo.ZoneInfo(zone)
            self.instance.starts_at = starts.replace(tzinfo=tz).astimezone(datetime.UTC)
            self.instance.ends_at = ends.replace(tzinfo=tz).astimezone(datetime.UTC)
        return cleaned


class EventDocumentForm(forms.ModelForm):
    """A document checked by its content, like the attachments of a practice."""

    class Meta:
        model = EventDocument
        fields = ["kind", "title", "file"]

    def clean_file(self):
        return clean_checked_file(self, max_bytes=document_max_bytes())


class BaseEventDocumentFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data
            and not self._should_delete_form(form)
            and (form.instance.pk or form.has_changed())
        ]
        check_file_count(existing=0, adding=len(kept), max_files=document_max_files())
