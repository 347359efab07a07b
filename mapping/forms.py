"""Input validation of the mapping pages: the rows of the profile grid, the CSV upload and the
page filters."""

from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.text import sort_key

from .comparisons import PopulationBand
from .importing import (
    MAX_BYTES,
    MAX_INTEGER_DIGITS,
    SOURCE_MAX,
    VALUE_PLACES,
    parse_decimal,
    too_big_message,
)
from .models import CityProblem, IndicatorValue, SocialProblem

PRIORITY_CHOICES = [
    (1, _("1 — most pressing")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5 — least pressing")),
]


def version_of(row) -> str:
    """The version a form row carries: the stored row's last change, or "" for a new row."""
    return row.updated_at.isoformat() if row is not None else ""


def value_text(value: Decimal | None) -> str:
    """A stored value as the page shows it in its language (decimal comma in es and pt-br),
    without thousands separators nor trailing zeros, so it reads back unchanged."""
    if value is None:
        return ""
    value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return number_format(value, use_l10n=True, force_grouping=False)


class RowForm(forms.Form):
    """A row of the profile grid: its template renders each widget and, once, the hidden
    initial values (`initial_inputs`) that tell what the person changed."""

    def initial_inputs(self) -> list[tuple[str, str]]:
        """(name, value) of the hidden initial inputs: the ones the page was loaded with, or,
        on a page sent back, those it carried."""
        inputs = []
        for field in self:
            if not field.field.show_hidden_initial:
                continue
            name = field.html_initial_name
            value = self.data[name] if self.is_bound and name in self.data else field.initial
            inputs.append((name, "" if value is None else str(value)))
        return inputs


def touched(form, *names) -> bool:
    """Whether the person changed any of these fields of the row since the page was loaded
    (compared with the hidden initial values the page carries, not with the database)."""
    return bool(set(names) & set(form.changed_data))


class ValueCellForm(RowForm):
    """One indicator value (value and source) of the grid."""

    value = forms.CharField(
        label=_("Value"),
        required=False,
        max_length=40,
        show_hidden_initial=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
    )
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=SOURCE_MAX,
        show_hidden_initial=True,
        widget=forms.TextInput(attrs={"size": 18}),
    )
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, indicator, stored, **kwargs):
        self.indicator, self.stored = indicator, stored
        initial = {"version": version_of(stored)}
        if stored is not None:
            initial.update(value=value_text(stored.value), source=stored.source)
        super().__init__(*args, initial=initial, **kwargs)

    def clean(self):
        data = super().clean()
        text, source = data.get("value", "").strip(), data.get("source", "").strip()
        data["source"] = source
        data["number"] = None
        if not touched(self, "value", "source"):
            return data  # left as loaded: not checked again, not written
        if not text:
            if self.stored is not None:
                self.add_error("value", gettext("To remove a value, use its “Remove” link."))
            elif source:
                self.add_error("value", gettext("Enter the value, or clear its source."))
            return data
        number = parse_decimal(text)
        if number is None:
            self.add_error("value", gettext("“%(value)s” is not a number.") % {"value": text})
            return data
        if abs(number) >= Decimal(10) ** MAX_INTEGER_DIGITS:
            self.add_error("value", gettext("This number is too large."))
            return data
        number = number.quantize(VALUE_PLACES, rounding=ROUND_HALF_UP)
        try:
            self.indicator.check_value(number)
        except ValidationError as error:
            self.add_error("value", error)
        if not source:
            self.add_error("source", gettext("Say where the value comes from."))
        data["number"] = number
        return data

    @property
    def is_change(self) -> bool:
        """Whether saving this row writes something (a new value, or another value or
        source than the stored ones)."""
        number = self.cleaned_data.get("number")
        if number is None or not touched(self, "value", "source"):
            return False
        stored = self.stored
        return stored is None or (number, self.cleaned_data["source"]) != (
            stored.value,
            stored.source,
        )


class ProblemRowForm(RowForm):
    """One problem of the year: a stored one, or (with `problem` offered) a new one."""

    problem = forms.ModelChoiceField(
        label=_("Problem"), queryset=SocialProblem.objects.none(), required=False
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=[("", "—"), *PRIORITY_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        show_hidden_initial=True,
    )
    affected_population = forms.IntegerField(
        label=_("Affected population"),
        min_value=0,
        max_value=2_147_483_647,
        required=False,
        show_hidden_initial=True,
        widget=forms.NumberInput(attrs={"min": 0}),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        show_hidden_initial=True,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 24}),
    )
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=CityProblem._meta.get_field("source").max_length,
        show_hidden_initial=True,
        widget=forms.TextInput(attrs={"size": 18}),
    )
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    ENTERED = ("problem", "priority", "affected_population", "notes", "source")

    def __init__(self, *args, stored=None, problems=None, **kwargs):
        self.stored = stored
        initial = {"version": version_of(stored)}
        if stored is not None:
            initial.update(
                priority=stored.priority,
                affected_population=stored.affected_population,
                notes=stored.notes,
                source=stored.source,
            )
        super().__init__(*args, initial=initial, **kwargs)
        if stored is not None:
            del self.fields["problem"]
        else:
            self.fields["problem"].queryset = problems
            self.fields["problem"].empty_label = "—"

    def clean(self):
        data = super().clean()
        data["source"] = data.get("source", "").strip()
        if not touched(self, *self.ENTERED):
            return data  # a blank new row, or a stored row left as loaded
        if data.get("priority") is None:
            if self.stored is not None:
                message = gettext("To remove a problem, use its “Remove” link.")
            else:
                message = gettext("Choose the priority, from 1 (most pressing) to 5.")
            self.add_error("priority", message)
        if self.stored is None and not data.get("problem") and "problem" not in self.errors:
            self.add_error("problem", gettext("Choose the problem."))
        if not data["source"] and "source" not in self.errors:
            self.add_error("source", gettext("Say where the assessment comes from."))
        return data

    @property
    def is_change(self) -> bool:
        return touched(self, *self.ENTERED)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        error_messages={"empty": _("The file is empty.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("UTF-8 text, at most %(size)s.") % {
            "size": filesizeformat(MAX_BYTES)
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(too_big_message(upload.size))
        return upload


class ImportConfirmForm(forms.Form):
    """The confirmation names the checked file by its digest; the rows stay on the server."""

    digest = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)


class MatrixFilterForm(forms.Form):
    """Filters of the joint map. A malformed value is ignored and flagged, never an error page."""

    country = forms.ChoiceField(label=_("Country"), required=False)
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *SocialProblem.Category.choices],
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int)

    def __init__(self, data=None, *, years, countries):
        super().__init__(data)
        self.fields["country"].choices = [("", _("All countries")), *countries]
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.default_year = years[0] if years else None

    def selection(self) -> dict:
        """The valid filters (invalid ones dropped), with the latest year by default."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "year": data.get("year") or self.default_year,
            "country": data.get("country") or None,
            "category": data.get("category") or None,
        }


class IndicatorFilterForm(forms.Form):
    """Year, breakdown, peer group and cities of the indicator page; invalid values are ignored."""

    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int)
    breakdown = forms.ChoiceField(label=_("Breakdown"), required=False)
    band = forms.ChoiceField(
        label=_("City size"),
        required=False,
        choices=[("", _("All sizes")), *PopulationBand.choices],
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    city = forms.MultipleChoiceField(
        label=_("Cities over time"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, data=None, *, values, countries):
        super().__init__(data)
        years = sorted({v.year for v in values}, reverse=True)
        labels = {v.breakdown: (v.breakdown_position, v.breakdown_label) for v in values}
        breakdowns = sorted(labels, key=lambda code: labels[code])
        cities = sorted({v.city for v in values}, key=lambda c: sort_key(c.name))
        self.fields["year"].choices = [("", _("Latest year")), *((y, str(y)) for y in years)]
        self.fields["breakdown"].choices = [(b, labels[b][1]) for b in breakdowns] or [
            ("total", "total")
        ]
        self.fields["country"].choices = [("", _("All countries")), *countries]
        self.fields["city"].choices = [(c.slug, c.name) for c in cities]
        self.default_breakdown = breakdowns[0] if breakdowns else IndicatorValue.TOTAL

    def selection(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "year": data.get("year") or None,
            "breakdown": data.get("breakdown") or self.default_breakdown,
            "band": data.get("band") or None,
            "country": data.get("country") or None,
            "cities": data.get("city") or None,
        }

    def offer_cities(self, cities) -> None:
        """After validation, offer as checkboxes only `cities` (the page's and the chosen
        ones), so that the form stays small however many cities report."""
        slugs = {city.slug for city in cities}
        self.fields["city"].choices = [
            (slug, name) for slug, name in self.fields["city"].choices if slug in slugs
        ]
