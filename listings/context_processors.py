"""Values every page's layout needs."""

from django.conf import settings

from .models import Case


def site(request):
    return {
        "site_title": settings.SITE_NAME,
        # Evaluated only where the layout asks for it.
        "demo_data_loaded": lambda: Case.objects.filter(is_demo=True).exists(),
    }
