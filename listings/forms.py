"""Forms for everything a visitor or member types or uploads on the public site."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from project.forms import HoneypotMixin
from staging.models import StagedPhoto

from .duplicates import possible_duplicates
from .images import process_photo
from .models import SUBMITTED_FIELDS, Case, ContactMessage, Photo, Sex, Tip


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Zero or more uploaded files; each is checked by `process_photo` in the form."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultiplePhotoField, self).clean(file, initial) for file in files]


class PhotoChoiceWidget(forms.CheckboxSelectMultiple):
    """Checkboxes, each with the photo's thumbnail."""

    option_template_name = "includes/photo_choice_option.html"


class PhotoChoiceField(forms.ModelMultipleChoiceField):
    widget = PhotoChoiceWidget


FILE_NUMBER_HELP = _(
    "The number the police gave the report. Moderators use it to confirm the case with the police "
    "before it is published, and people who call with information can quote it. "
    "Ask the police for it if you do not have it yet."
)


class CaseDetailsForm(forms.ModelForm):
    """The description of a case as a member gives it, in its groups; submission and correction share it."""

    fieldsets = [
        (
            _("The person"),
            "",
            [
                "first_name",
                "last_name",
                "nickname",
                "age_at_disappearance",
                "sex",
                "height_cm",
                "weight_kg",
                "eye_colour",
                "hair_colour",
                "distinguishing_features",
            ],
        ),
        (_("Last seen"), "", ["last_seen_date", "last_seen_place", "region", "circumstances"]),
        (
            _("Police contact"),
            _("Please report the disappearance to the police first: the registry publishes cases the police know of."),
            ["police_file_number", "investigating_agency", "agency_phone"],
        ),
    ]

    class Meta:
        model = Case
        fields = SUBMITTED_FIELDS
        widgets = {
            "last_seen_date": forms.DateInput(attrs={"type": "date"}),
            "distinguishing_features": forms.Textarea(attrs={"rows": 3}),
            "circumstances": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "last_seen_place": _("Community or place, for example “Water Street, St. John’s”."),
            "police_file_number": FILE_NUMBER_HELP,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["last_seen_date"].widget.attrs["max"] = timezone.localdate().isoformat()
        # No answer looks chosen until the member chooses one.
        self.fields["sex"].choices = [("", _("Choose one"))] + list(Sex.choices)
        if not self.is_bound and self.instance.pk is None:
            self.initial["sex"] = ""

    def shown_fields(self):
        return set(self.fields)

    def grouped_fields(self):
        """(legend, description, bound fields) for each fieldset, for templates/includes/fieldsets.html."""
        shown = self.shown_fields()
        return [
            (legend, description, [self[name] for name in names if name in shown])
            for legend, description, names in self.fieldsets
        ]

    def submission_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CasePhotosForm(CaseDetailsForm):
    """A case's description with photos to add. Photos that pass the checks survive an error elsewhere.

    `accepted_photos` holds the new uploads that passed the checks, with their file
    names, whatever else was wrong; the view keeps them staged (staging app) and
    offers them again in `staged`.
    """

    staged = PhotoChoiceField(
        queryset=StagedPhoto.objects.none(),
        to_field_name="key",
        required=False,
        label=_("Photos already attached"),
        help_text=_("Untick a photo to leave it out."),
    )
    photos = MultiplePhotoField(
        required=False,
        label=_("Add photos"),
        help_text=_("One or more clear, recent photos (JPEG, PNG, WebP or GIF). The first one is shown first."),
    )

    photo_fields = ["staged", "photos"]

    def __init__(self, *args, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.accepted_photos = []
        self.fields["staged"].queryset = StagedPhoto.objects.usable_by(member) if member else StagedPhoto.objects.none()
        self.fieldsets = [*self.fieldsets, (_("Photos"), "", self.photo_fields)]

    def shown_fields(self):
        shown = super().shown_fields()
        if not self.fields["staged"].queryset.exists():
            shown.discard("staged")
        return shown

    def clean_photos(self):
        files = self.cleaned_data["photos"]
        limit = settings.PHOTO_MAX_PER_CASE
        if len(files) > limit:
            raise ValidationError(
                _("Please send at most %(limit)s photos."), code="too_many_photos", params={"limit": limit}
            )
        total = sum(file.size for file in files)
        if total > settings.SUBMISSION_MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The photos together are %(total)s; the limit is %(limit)s."),
                code="upload_too_large",
                params={
                    "total": filesizeformat(total),
                    "limit": filesizeformat(settings.SUBMISSION_MAX_UPLOAD_BYTES),
                },
            )
        processed, errors = [], []
        for file in files:
            try:
                photo = process_photo(file)
            except ValidationError as error:
                errors.append(error)
            else:
                processed.append(photo)
                self.accepted_photos.append((photo, file.name))
        if errors:
            raise ValidationError(errors)
        return processed

    def kept_photo_count(self, cleaned_data):
        """Photos the case keeps besides the staged and new ones (none for a new case)."""
        return 0

    def clean(self):
        cleaned_data = super().clean()
        if "photos" in self.errors:
            return cleaned_data
        count = (
            self.kept_photo_count(cleaned_data)
            + len(cleaned_data.get("staged") or [])
            + len(cleaned_data.get("photos") or [])
        )
        if count == 0:
            self.add_error("photos", ValidationError(_("Please add at least one photo."), code="required"))
        elif count > settings.PHOTO_MAX_PER_CASE:
            self.add_error(
                "photos",
                ValidationError(
                    _("Please send at most %(limit)s photos."),
                    code="too_many_photos",
                    params={"limit": settings.PHOTO_MAX_PER_CASE},
                ),
            )
        return cleaned_data

    def keep_staged(self, staged):
        """Show `staged` (just stored for this member) as attached when the form is drawn again."""
        data = self.data.copy()
        data.setlist("staged", data.getlist("staged") + [str(photo.key) for photo in staged])
        self.data = data


class CaseSubmissionForm(CasePhotosForm):
    """A member's new case, with a warning when the person may already be on the registry."""

    # Drawn with the duplicate warning (templates/listings/submit.html), not in a group.
    different_person = forms.BooleanField(
        required=False,
        label=_("I have checked: the person I describe is not on the registry yet"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicates = []

    def clean(self):
        cleaned_data = super().clean()
        self._check_duplicates(cleaned_data)
        return cleaned_data

    def _check_duplicates(self, cleaned_data):
        """Warn once about cases the member can see that may be the same person."""
        if self.member is None:
            return
        self.duplicates = possible_duplicates(
            Case.objects.visible_to(self.member),
            first_name=cleaned_data.get("first_name"),
            last_name=cleaned_data.get("last_name"),
            last_seen_date=cleaned_data.get("last_seen_date"),
        )
        if self.duplicates and not cleaned_data.get("different_person"):
            self.add_error(
                None,
                ValidationError(
                    _("This person may already be on the registry. Please check the cases listed above."),
                    code="possible_duplicate",
                ),
            )


class CaseCorrectionForm(CasePhotosForm):
    """The submitter's corrections to their pending or rejected case: its description, photos removed or added."""

    remove_photos = PhotoChoiceField(
        queryset=Photo.objects.none(),
        to_field_name="key",
        required=False,
        label=_("Remove these photos"),
        help_text=_("Tick a photo to delete it from the case."),
    )

    photo_fields = ["remove_photos", "staged", "photos"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove_photos"].queryset = self.instance.photos.all()

    def kept_photo_count(self, cleaned_data):
        return self.instance.photos.count() - len(cleaned_data.get("remove_photos") or [])


class TipForm(HoneypotMixin, forms.ModelForm):
    class Meta:
        model = Tip
        fields = ["message", "name", "email", "phone"]
        labels = {
            "message": _("What do you know?"),
            "name": _("Your name (optional)"),
            "email": _("Your e-mail (optional)"),
            "phone": _("Your phone (optional)"),
        }
        help_texts = {
            "message": _(
                "Where and when you saw the person, who they were with, anything that may help. "
                "Only the registry's staff read this."
            ),
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 5})}

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 10:
            raise ValidationError(_("Please tell us a little more (at least 10 characters)."), code="too_short")
        return message


class ContactForm(HoneypotMixin, forms.ModelForm):
    class Meta:
        model = ContactMessage
        fields = ["name", "email", "subject", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}
