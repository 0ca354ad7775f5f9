"""What a member must have done before a page lets them in."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render


class VerifiedEmailRequiredMixin(LoginRequiredMixin):
    """Only a member whose e-mail address is confirmed may go on; others are asked to confirm it first."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.email_verified:
            return render(request, "accounts/verify_first.html", status=403)
        return super().dispatch(request, *args, **kwargs)
