"""Forms a member fills in to join the site."""

from django import forms
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm, UsernameField
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mailer import outbox
from project.forms import HoneypotMixin

from .models import User
from .usernames import scripts


class SignUpForm(HoneypotMixin, UserCreationForm):
    """A new member: username, e-mail and password; names are optional.

    The e-mail address is unique whatever its case, so a password reset always
    reaches exactly one account; but whether an address or a username is taken is
    never said here, only e-mailed to the address (accounts/signup.py). Anyone can
    post it, so it carries the honeypot.
    """

    field_order = ["username", "email", "language", "password1", "password2", "first_name", "last_name"]

    class Meta:
        model = User
        fields = ("username", "email", "language", "first_name", "last_name")
        field_classes = {"username": UsernameField, "email": forms.EmailField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.required = True
        email.widget.attrs["autocomplete"] = "email"
        # E-mails come in the language the member signs up in, unless they choose another.
        self.fields["language"].initial = get_language()
        self.fields["language"].required = False
        email.help_text = _(
            "We use it only to send you a password reset link and, if a moderator needs to, to ask "
            "about a case you submitted. It is never shown on the site or shared."
        )
        for name, autocomplete in (("first_name", "given-name"), ("last_name", "family-name")):
            self.fields[name].required = False
            self.fields[name].help_text = _("Optional. Seen only by the moderators.")
            self.fields[name].widget.attrs["autocomplete"] = autocomplete

    def clean_username(self):
        # Not Django's check for a taken username: accounts/signup.py answers that by e-mail.
        username = self.cleaned_data["username"]
        if len(scripts(username)) > 1:
            raise ValidationError(
                _("Please write your username in one alphabet: it mixes letters from %(scripts)s."),
                code="mixed_scripts",
                params={"scripts": ", ".join(sorted(script.title() for script in scripts(username)))},
            )
        return username

    def validate_unique(self):
        """Taken usernames and addresses are found by accounts/signup.py, which tells only the mailbox."""

    def clean_language(self):
        return self.cleaned_data["language"] or get_language()

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"].strip())


class LanguageForm(forms.ModelForm):
    """The language a member's e-mails are written in."""

    class Meta:
        model = User
        fields = ["language"]
        widgets = {"language": forms.RadioSelect}


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password reset, with the e-mail sent by the task queue instead of inside the request."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        # In the member's own language, whichever page they asked from; its link leads to that language's page.
        with translation.override(context["user"].language):
            outbox.queue(
                kind="password_reset",
                to=[to_email],
                subject=render_to_string(subject_template_name, context),
                body=render_to_string(email_template_name, context),
            )
