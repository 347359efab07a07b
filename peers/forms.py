"""Input validation for transfers and questions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Subscriber, Transfer

MESSAGE_MAX = 4000


class TransferForm(forms.ModelForm):
    city = forms.ModelChoiceField(queryset=None, label=_("Your city"), empty_label=None)

    class Meta:
        model = Transfer
        fields = ["kind", "started_on", "changes", "results", "contact_name", "contact_email"]
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "changes": forms.Textarea(attrs={"rows": 5}),
            "results": forms.Textarea(attrs={"rows": 5}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities
        if self.instance.pk:
            # the city of a recorded transfer does not change
            del self.fields["city"]
        self.order_fields(["city"])

    def transfer_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class QuestionForm(forms.Form):
    message = forms.CharField(
        label=_("Your question"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "It goes by e-mail to the city's focal points and coordinators; their answer "
            "comes to your e-mail address (at most 4000 characters)."
        ),
    )


class JointBidForm(QuestionForm):
    city = forms.ModelChoiceField(queryset=None, label=_("On behalf of"), empty_label=None)

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities
        self.fields["message"].help_text = _(
            "It goes by e-mail to the focal points and coordinators of the other cities "
            "interested in this call; their answers come to your e-mail address."
        )
        self.order_fields(["city", "message"])


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to confirm it; nothing is sent before you confirm."),
    )
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Subscriber.Frequency.choices, initial="weekly"
    )
    # Bots fill every field; people never see this one (hidden, out of the tab order).
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("homepage"))
