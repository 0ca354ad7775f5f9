"""Root URLs: the public site, accounts, the admin back office and the health probe."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.cache import cache_control

from listings.views import HomeView

from . import health


@cache_control(public=True, max_age=86400)
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (raw photos, feeds)."""
    return redirect(static("img/favicon.ico"))


urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("listings.urls")),
    path("", include("appeals.urls")),
    path("accounts/", include("accounts.urls")),
    path("submit/photos/", include("staging.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", favicon),
]

if settings.BENCH_BARE_VIEW:

    def bench_bare(request):
        """The benchmark's yardstick (scripts/bench.py): the whole middleware stack, no page."""
        return HttpResponse("ok", content_type="text/plain")

    urlpatterns.append(path("bench/bare/", bench_bare))

# A database outage anywhere in a request answers a styled 503 (project/errors.py).
handler500 = "project.errors.server_error"
