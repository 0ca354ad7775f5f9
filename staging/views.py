"""A staged photo's thumbnail, for the member who uploaded it and nobody else; keeping photos on a form error."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views import View

from .models import StagedPhoto
from .services import StagingFailed, stage_photos


class KeepPhotosOnErrorMixin:
    """For a form view over `listings.forms.CasePhotosForm`: photos that passed the checks stay attached.

    When the form comes back with errors, its accepted uploads are staged for the member
    and shown as attached when the form is drawn again.
    """

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "member": self.request.user}

    def form_invalid(self, form):
        if form.accepted_photos:
            try:
                form.keep_staged(stage_photos(owner=self.request.user, photos=form.accepted_photos))
            except StagingFailed:
                form.add_error(
                    None,
                    ValidationError(
                        _("We could not keep your photos just now; please choose them again."),
                        code="staging_unavailable",
                    ),
                )
        return super().form_invalid(form)


class StagedPhotoView(LoginRequiredMixin, View):
    def get(self, request, key):
        photo = get_object_or_404(StagedPhoto.objects.usable_by(request.user), key=key)
        storage = photo.thumbnail.storage
        try:
            response = FileResponse(storage.open(photo.thumbnail.name, "rb"), content_type="image/jpeg")
        except FileNotFoundError:
            raise Http404("This photo's file is missing.") from None
        patch_cache_control(response, private=True, no_store=True)
        return response
