"""Log-in lockout (django-axes) in front of Django's model backend."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every log-in made through a request.

    Every log-in form (the site's and the admin's) passes the request, so every
    one of them is counted and locked out. A call to `authenticate()` without a
    request (Django's test client `login()`, a shell) has no client address to
    lock and is left to the next backend instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
