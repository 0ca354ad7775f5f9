"""Log-in lockout (django-axes) and Django's model backend, as the site's one backend."""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend


class LockoutBackend(AxesStandaloneBackend, ModelBackend):
    """Checks django-axes' lockout, then authenticates against the user table.

    Every log-in form (the site's and the admin's) passes the request, so every
    one of them is counted and locked out. A call to `authenticate()` without a
    request (Django's test client `login()`, a shell) has no client address to
    lock, so only the password is checked. Being the only backend, a view may
    call `login(request, user)` without naming one.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None:
            # Returns None when the pair is not locked out; raises PermissionDenied when it is.
            AxesStandaloneBackend.authenticate(self, request, username=username, password=password, **kwargs)
        return ModelBackend.authenticate(self, request, username=username, password=password, **kwargs)


def lockout_username(request, credentials=None):
    """The username django-axes records, cut to 150 characters (the longest a username may be).

    Its column holds 255; a longer value would fail the request with a DataError on MySQL.
    """
    field = "username"
    if credentials:
        value = credentials.get(field)
    else:
        value = request.POST.get(field) if request is not None and hasattr(request, "POST") else None
    return None if value is None else str(value)[:150]
