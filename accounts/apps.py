from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")


class AdminConfig(admin_apps.AdminConfig):
    """The admin, on a site that asks staff for a second factor when HTTPS is on (accounts/admin_site.py)."""

    default = False  # named in INSTALLED_APPS instead of django.contrib.admin; "accounts" is AccountsConfig
    default_site = "accounts.admin_site.StaffAdminSite"
