"""Values every page's layout needs."""

from django.conf import settings
from django.core.cache import caches

from pagecache.pages import content_version

from .models import Case


def demo_data_loaded():
    """Whether demo cases exist, asked of the database once per content change rather than on every page.

    The answer is kept under pagecache's content version, which any saved or deleted case replaces.
    """
    cache = caches[settings.PAGE_CACHE_ALIAS]
    key = f"listings:demo-data-loaded:{content_version()}"
    loaded = cache.get(key)
    if loaded is None:
        loaded = Case.objects.filter(is_demo=True).exists()
        cache.set(key, loaded)
    return loaded


def site(request):
    return {
        "site_title": settings.SITE_NAME,
        # Evaluated only where the layout asks for it.
        "demo_data_loaded": demo_data_loaded,
    }
