"""Root URLs: the public site, accounts, the admin back office and the health probe."""

from django.contrib import admin
from django.urls import include, path

from . import health

urlpatterns = [
    path("", include("listings.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]
