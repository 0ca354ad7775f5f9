"""The admin holds every tip and every pending case: with HTTPS on, a password is not enough.

Each staff member also gives a code from an authenticator app (TOTP) or one of their
single-use recovery codes (django-otp). Staff enrol with `manage.py enrol_2fa <username>`.
With HTTPS off (`make run` on http://127.0.0.1:8000) the admin asks for the password only,
so the local demo stays usable.
"""

from django.conf import settings
from django.contrib import admin
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


class StaffAuthenticationForm(OTPAdminAuthenticationForm):
    """One code field: six digits are the authenticator app's code, anything else a recovery code.

    django-otp otherwise asks the person to pick a device first, and will not try them all in
    turn (a miss would count against each).
    """

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is None:
            code = (self.cleaned_data.get("otp_token") or "").strip()
            kind = TOTPDevice if code.isdigit() else StaticDevice
            device = kind.objects.filter(user=user, confirmed=True).first()
        return device


class StaffAdminSite(admin.AdminSite):
    @property
    def login_form(self):
        return StaffAuthenticationForm if settings.HTTPS else None

    @property
    def login_template(self):
        # django-otp's admin log-in page, with its field for the code.
        return OTPAdminSite.login_template if settings.HTTPS else None

    def has_permission(self, request):
        return super().has_permission(request) and (not settings.HTTPS or request.user.is_verified())
