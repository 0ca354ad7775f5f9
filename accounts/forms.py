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
from .usernames import looks_like_an_existing_username, scripts


class SignUpForm(HoneypotMixin, UserCreationForm):
    """A new member: username, e-mail and password; names are optional.

    The e-mail address is unique whatever its case, so a password reset always
    reaches exactly one account. Anyone can post it, so it carries the honeypot.
    """

    error_messages = {
        **UserCreationForm.error_messages,
        "duplicate_email": _(
            "An account with this e-mail address already exists. "
            "Log in, or reset your password if you have forgotten it."
        ),
    }

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
        username = super().clean_username()
        if username is None:  # Django's check found the same username, whatever its case, and said so
            return username
        if len(scripts(username)) > 1:
            raise ValidationError(
                _("Please write your username in one alphabet: it mixes letters from %(scripts)s."),
                code="mixed_scripts",
                params={"scripts": ", ".join(sorted(script.title() for script in scripts(username)))},
            )
        if looks_like_an_existing_username(username, User.objects.values_list("username", flat=True).iterator()):
            raise ValidationError(
                _("This username is too close to one that is already taken. Please choose another."),
                code="confusable_username",
            )
        return username

    def clean_language(self):
        return self.cleaned_data["language"] or get_language()

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"].strip())
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(self.error_messages["duplicate_email"], code="duplicate_email")
        return email


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
