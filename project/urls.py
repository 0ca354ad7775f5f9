"""Root URLs: the public site, accounts and the admin back office in each language, and the health probe.

English pages are at /…, French ones at /fr/… (`i18n_patterns`, no prefix for the default language). The
admin follows the same rule, so a moderator reads it in French at /fr/<ADMIN_URL>. The probe, the
favicon and a submission's staged photos have no language and stay outside.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.cache import cache_control

from accounts.forms import QueuedPasswordResetForm
from listings.views import HomeView

from . import health


@cache_control(public=True, max_age=86400)
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (raw photos, feeds)."""
    return redirect(static("img/favicon.ico"))


urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("submit/photos/", include("staging.urls")),
    *i18n_patterns(
        path("", HomeView.as_view(), name="home"),
        path("", include("listings.urls")),
        path("", include("appeals.urls")),
        path("", include("pages.urls")),
        path("", include("alerts.urls")),
        path("accounts/", include("accounts.urls")),
        path(
            "accounts/password_reset/",
            auth_views.PasswordResetView.as_view(
                form_class=QueuedPasswordResetForm, extra_email_context={"site_title": settings.SITE_NAME}
            ),
            name="password_reset",
        ),
        path("accounts/", include("django.contrib.auth.urls")),
        path(settings.ADMIN_URL, admin.site.urls),
        prefix_default_language=False,
    ),
]

if settings.BENCH_BARE_VIEW:

    def bench_bare(request):
        """The benchmark's yardstick (scripts/bench.py): the whole middleware stack, no page."""
        return HttpResponse("ok", content_type="text/plain")

    urlpatterns.append(path("bench/bare/", bench_bare))

if settings.DEBUG_TOOLBAR:
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()

# A database outage anywhere in a request answers a styled 503 (project/errors.py).
handler500 = "project.errors.server_error"
