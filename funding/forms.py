"""The form behind the funding call page's buttons: mark or withdraw a city's interest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cities.models import City

from .models import FundingInterest

ACTION_MARK = "mark"
ACTION_WITHDRAW = "withdraw"


class FundingInterestForm(forms.ModelForm):
    """Mark or withdraw one city's interest; who may do it is decided by permissions."""

    action = forms.ChoiceField(
        choices=((ACTION_MARK, _("mark interest")), (ACTION_WITHDRAW, _("withdraw interest"))),
        widget=forms.HiddenInput,
    )

    class Meta:
        model = FundingInterest
        fields = ("city", "note")
        widgets = {"city": forms.HiddenInput, "note": forms.TextInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = City.objects.all()
