"""Sign-up that tells nobody which addresses or usernames have accounts, and proves the address.

The sign-up page answers the same ("check your e-mail") whatever was typed; only the
mailbox learns what happened:

- a new address and a free username: the account is made, unverified, and the address
  gets a signed link (`EMAIL_VERIFICATION_DAYS` valid); until it is opened the member
  can log in but not submit a case;
- an address that already has an account: that account's owner is told someone tried
  to sign up with it (and how to reset the password), and nothing is made;
- a username that is taken, or looks like one that is (accounts/usernames.py): the
  address is asked to choose another, and nothing is made.

A password is hashed on every path, so the answer takes as long whichever it was.
"""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from mailer import outbox

from .models import User
from .usernames import looks_like_an_existing_username

SALT = "accounts.verify-email"


def _absolute(path):
    return f"{settings.SITE_URL}{path}"


def _send(kind, template, *, to, language, context):
    with translation.override(language):
        context = {"site_name": settings.SITE_NAME, **context}
        outbox.queue(
            kind=kind,
            to=[to],
            subject=render_to_string(f"accounts/email/{template}_subject.txt", context),
            body=render_to_string(f"accounts/email/{template}.txt", context),
        )


def verification_link(user):
    token = signing.dumps({"user": user.pk, "email": user.email}, salt=SALT)
    with translation.override(user.language):
        return _absolute(reverse("accounts:verify_email", args=[token]))


def send_verification(user):
    _send(
        "verify_email",
        "verify_email",
        to=user.email,
        language=user.language,
        context={"user": user, "link": verification_link(user), "days": settings.EMAIL_VERIFICATION_DAYS},
    )


def verified_user(token):
    """The account whose address `token` proves (and marks it verified), or None if it is bad or expired."""
    try:
        claim = signing.loads(token, salt=SALT, max_age=settings.EMAIL_VERIFICATION_DAYS * 86400)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=claim.get("user"), email=claim.get("email")).first()
    if user is not None and not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return user


def _username_unavailable(username):
    return User.objects.filter(username__iexact=username).exists() or looks_like_an_existing_username(
        username, User.objects.values_list("username", flat=True).iterator()
    )


def sign_up(form):
    """Act on a valid SignUpForm as the module says; the caller shows the same page whatever happened."""
    email, username = form.cleaned_data["email"], form.cleaned_data["username"]
    language = form.cleaned_data["language"]
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        make_password(form.cleaned_data["password1"])
        _send(
            "signup_existing",
            "signup_existing",
            to=existing.email,
            language=existing.language,
            context={"user": existing, "reset_url": _absolute(reverse("password_reset"))},
        )
        return None
    if not _username_unavailable(username):
        try:
            with transaction.atomic():
                user = form.save()
                send_verification(user)
            return user
        except IntegrityError:
            pass  # taken by another sign-up a moment ago: answered as a taken username
    else:
        make_password(form.cleaned_data["password1"])
    _send(
        "signup_username_taken",
        "signup_username_taken",
        to=email,
        language=language,
        context={"username": username, "signup_url": _absolute(reverse("accounts:signup"))},
    )
    return None
