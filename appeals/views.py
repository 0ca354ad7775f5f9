"""The share image and the poster of an open appeal; anything else (pending, rejected, found, withdrawn) is a 404.

Both start from `Case.objects.appealing()` and the case's published photos only, whoever asks,
so neither can show what the public could not see on the case page.
"""

from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views import View

from listings.media import stored_file_response
from listings.models import Case

from .poster import DEFAULT_PAPER, PAPERS, stored_poster
from .share_image import stored_share_image


def _appealing_case(slug):
    return get_object_or_404(Case.objects.appealing().with_visible_photos(), slug=slug)


class ShareImageView(View):
    def get(self, request, slug):
        case = _appealing_case(slug)
        return stored_file_response(default_storage, stored_share_image(case), "image/jpeg", public=True)


class PosterView(View):
    def get(self, request, slug):
        paper = request.GET.get("paper", DEFAULT_PAPER)
        if paper not in PAPERS:
            raise Http404("Unknown paper size.")
        case = _appealing_case(slug)
        return stored_file_response(
            default_storage, stored_poster(case, paper), "application/pdf", public=True, filename=f"{case.slug}.pdf"
        )
