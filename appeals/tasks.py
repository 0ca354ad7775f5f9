"""Share image and posters made in the background once a change to an open appeal is committed.

The views make them on first request too (and never twice for the same content), so a lost task
costs one slower request, never a missing file.
"""

from celery import shared_task
from django.conf import settings
from django.utils import translation

from listings.models import Case

from .poster import PAPERS, stored_poster
from .share_image import stored_share_image


@shared_task(ignore_result=True)
def prepare(case_id):
    """Render what is not stored yet for the case's current content, in every language of the site."""
    case = Case.objects.appealing().with_visible_photos().filter(pk=case_id).first()
    if case is None:
        return
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            stored_share_image(case)
            for paper in PAPERS:
                stored_poster(case, paper)
