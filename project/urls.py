"""Root URLs: the public site, accounts, the admin back office and the health probe."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from listings.views import HomeView

from . import health

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("listings.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]

# A database outage anywhere in a request answers a styled 503 (project/errors.py).
handler500 = "project.errors.server_error"
