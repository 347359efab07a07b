"""Input validation of the mapping pages: data entry, the CSV upload and the page filters."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.text import sort_key
from core.translation import language_suffix

from .comparisons import PopulationBand
from .importing import FIRST_YEAR, MAX_BYTES, last_year, too_big_message
from .models import CityProblem, Indicator, IndicatorValue, SocialProblem

PRIORITY_CHOICES = [
    (1, _("1 — most pressing")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5 — least pressing")),
]


def _year_field(field):
    """The model's year, limited to the years the portal accepts (1990 to next year)."""
    field.validators += [MinValueValidator(FIRST_YEAR), MaxValueValidator(last_year())]
    field.widget.attrs.update({"min": FIRST_YEAR, "max": last_year()})
    return field


class CityProblemForm(forms.ModelForm):
    """A problem of a city for a year; entering the same problem and year again updates it."""

    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=PRIORITY_CHOICES, coerce=int, initial=3
    )

    class Meta:
        model = CityProblem
        fields = ["problem", "year", "priority", "affected_population", "source", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "affected_population": _("People affected, when known."),
            "source": _("Where the assessment comes from (survey, report, office)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _year_field(self.fields["year"])
        self.fields["problem"].queryset = SocialProblem.objects.order_by(
            f"name_{language_suffix()}"
        )


class IndicatorValueForm(forms.ModelForm):
    """One value of an indicator for the city; the same indicator, year and breakdown again
    replaces the stored value."""

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "year", "breakdown", "value", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _year_field(self.fields["year"])
        self.fields["indicator"].queryset = Indicator.objects.order_by(f"name_{language_suffix()}")
        self.fields["indicator"].label_from_instance = lambda i: f"{i.name} ({i.unit})"
        self.fields["breakdown"].required = False
        self.fields["value"].localize = True
        self.fields["value"].widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def clean_breakdown(self):
        return (self.cleaned_data.get("breakdown") or "").strip().lower() or IndicatorValue.TOTAL


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
        breakdowns = sorted({v.breakdown for v in values}, key=lambda b: (b != "total", b))
        cities = sorted({v.city for v in values}, key=lambda c: sort_key(c.name))
        self.fields["year"].choices = [("", _("Latest year")), *((y, str(y)) for y in years)]
        self.fields["breakdown"].choices = [(b, b) for b in breakdowns] or [("total", "total")]
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
