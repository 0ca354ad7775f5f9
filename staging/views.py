"""A staged photo's thumbnail, for the member who uploaded it and nobody else."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views import View

from .models import StagedPhoto


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
