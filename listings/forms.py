"""Forms for everything a visitor or member types or uploads on the public site."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from project.forms import HoneypotMixin

from .images import process_photo
from .models import SUBMITTED_FIELDS, Case, ContactMessage, Tip


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """One or more uploaded files; each is checked by `process_photo` in the form."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise ValidationError("Please add at least one photo.", code="required")
        return [super(MultiplePhotoField, self).clean(file, initial) for file in files]


class CaseSubmissionForm(forms.ModelForm):
    photos = MultiplePhotoField(
        help_text="One or more clear, recent photos (JPEG, PNG, WebP or GIF). The first one is shown first.",
    )

    class Meta:
        model = Case
        fields = SUBMITTED_FIELDS
        widgets = {
            "last_seen_date": forms.DateInput(attrs={"type": "date"}),
            "distinguishing_features": forms.Textarea(attrs={"rows": 3}),
            "circumstances": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "last_seen_place": "Community or place, for example “Water Street, St. John’s”.",
            "police_file_number": "If the disappearance was reported to police.",
        }

    def clean_photos(self):
        files = self.cleaned_data["photos"]
        limit = settings.PHOTO_MAX_PER_CASE
        if len(files) > limit:
            raise ValidationError(
                "Please send at most %(limit)s photos.", code="too_many_photos", params={"limit": limit}
            )
        total = sum(file.size for file in files)
        if total > settings.SUBMISSION_MAX_UPLOAD_BYTES:
            raise ValidationError(
                "The photos together are %(total)s; the limit is %(limit)s.",
                code="upload_too_large",
                params={
                    "total": filesizeformat(total),
                    "limit": filesizeformat(settings.SUBMISSION_MAX_UPLOAD_BYTES),
                },
            )
        processed, errors = [], []
        for file in files:
            try:
                processed.append(process_photo(file))
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return processed

    def submission_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TipForm(HoneypotMixin, forms.ModelForm):
    class Meta:
        model = Tip
        fields = ["message", "name", "email", "phone"]
        labels = {
            "message": "What do you know?",
            "name": "Your name (optional)",
            "email": "Your e-mail (optional)",
            "phone": "Your phone (optional)",
        }
        help_texts = {
            "message": "Where and when you saw the person, who they were with, anything that may help. "
            "Only the registry's staff read this.",
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 5})}

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 10:
            raise ValidationError("Please tell us a little more (at least 10 characters).", code="too_short")
        return message


class ContactForm(HoneypotMixin, forms.ModelForm):
    class Meta:
        model = ContactMessage
        fields = ["name", "email", "subject", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}
