"""A honeypot for forms anyone can post.

Bots fill in every field they find; people never see this one (the site CSS
hides `.hp-field`, it is out of the tab order and not autocompleted, and its
label tells screen-reader users to leave it empty). A form whose honeypot is
filled is invalid with a generic error, and so nothing of it is saved.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "website"
SPAM_MESSAGE = _("Your message could not be sent. Please try again, or write to us by e-mail.")


class HoneypotWidget(forms.TextInput):
    def __init__(self, attrs=None):
        defaults = {"autocomplete": "off", "tabindex": "-1", "class": "hp-input"}
        super().__init__({**defaults, **(attrs or {})})


class HoneypotMixin(forms.Form):
    """Adds the hidden `website` field; mix it in before the form class."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=HoneypotWidget(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields[HONEYPOT_FIELD]
        # Rendered last, in a wrapper the site CSS moves off-screen.
        self.order_fields([name for name in self.fields if name != HONEYPOT_FIELD] + [HONEYPOT_FIELD])
        field.template_name = "includes/honeypot_field.html"

    def clean_website(self):
        value = self.cleaned_data.get(HONEYPOT_FIELD, "")
        if value:
            raise ValidationError(SPAM_MESSAGE, code="spam")
        return value

    def _post_clean(self):
        # Filled honeypot: skip model validation and never report the field itself.
        if HONEYPOT_FIELD in self.errors:
            self.errors.pop(HONEYPOT_FIELD)
            self.add_error(None, ValidationError(SPAM_MESSAGE, code="spam"))
            return
        super_post_clean = getattr(super(), "_post_clean", None)
        if super_post_clean:
            super_post_clean()
