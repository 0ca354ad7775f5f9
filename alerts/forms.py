"""What a visitor types to follow a case or ask for region alerts, and what a subscriber may change."""

from django import forms
from django.utils.translation import gettext_lazy as _

from listings.models import Region
from project.forms import HoneypotMixin

from .models import Frequency

EMAIL_HELP = _("We send a link to confirm first; nothing else is sent until you open it.")


class FollowCaseForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254, help_text=EMAIL_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"


class RegionChoiceForm(forms.Form):
    regions = forms.MultipleChoiceField(
        label=_("Regions"),
        choices=Region.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose none for the whole province."),
    )
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Frequency.choices, initial=Frequency.IMMEDIATE, widget=forms.RadioSelect
    )


class RegionAlertForm(HoneypotMixin, RegionChoiceForm):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254, help_text=EMAIL_HELP)
    field_order = ["email", "regions", "frequency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
