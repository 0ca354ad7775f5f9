"""E-mail subscriptions (following one case, or new cases in regions) and the public updates staff post on a case.

A subscription is a pending address until its owner opens the signed link in the
confirmation e-mail; nothing but that confirmation is ever sent to a pending
address, and pending ones are deleted after `ALERTS_UNCONFIRMED_DAYS`. Every link
in an e-mail carries the subscription's random token, signed with the site's key.
Unsubscribing deletes the row, so the address is no longer kept at all.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from listings.models import Case, Region

SIGNING_SALT = "alerts.subscription"


def unsign(signed):
    """The token a link carries, or None if the site did not sign it."""
    try:
        return signing.Signer(salt=SIGNING_SALT).unsign(signed)
    except signing.BadSignature:
        return None


def _new_token():
    return secrets.token_urlsafe(24)


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("As soon as a case is published")
    DAILY = "daily", _("One e-mail a day, if there are new cases")


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed_before(self, cutoff):
        return self.filter(confirmed_at__isnull=True, created_at__lt=cutoff)

    def following(self, case):
        return self.confirmed().filter(case=case)

    def for_new_case(self, case, *, frequency):
        """Region alerts whose regions include the case's (an empty list is the whole province)."""
        region_alerts = self.confirmed().filter(case__isnull=True, frequency=frequency)
        return [sub for sub in region_alerts if not sub.regions or case.region in sub.regions]

    def from_token(self, signed):
        token = unsign(signed)
        return None if token is None else self.filter(token=token).first()


class Subscription(models.Model):
    email = models.EmailField(_("e-mail address"))
    # "case:<id>" or "regions": one subscription of each kind per address, on every database.
    scope = models.CharField(max_length=40, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions", verbose_name=_("case")
    )
    regions = models.JSONField(_("regions"), default=list, blank=True, help_text=_("Empty: the whole province."))
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    digest_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("alert subscription")
        verbose_name_plural = _("alert subscriptions")
        constraints = [models.UniqueConstraint(fields=["email", "scope"], name="subscription_once_per_address")]
        indexes = [models.Index(fields=["case", "confirmed_at"], name="subscription_case_idx")]

    def __str__(self):
        return f"{self.email}: {self.describe()}"

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    @property
    def follows_a_case(self):
        return self.case_id is not None

    def describe(self):
        if self.follows_a_case:
            return _("news of %(case)s") % {"case": self.case}
        if not self.regions:
            return _("new cases anywhere in the province")
        names = ", ".join(str(Region(region).label) for region in self.regions if region in Region.values)
        return _("new cases in %(regions)s") % {"regions": names}

    def may_send_confirmation(self, now=None):
        """At most one confirmation request (or reminder) per address an hour, whatever it asks for."""
        since = (now or timezone.now()) - timedelta(seconds=settings.ALERTS_CONFIRMATION_INTERVAL)
        return not Subscription.objects.filter(email=self.email, confirmation_sent_at__gt=since).exists()

    def signed_token(self):
        return signing.Signer(salt=SIGNING_SALT).sign(self.token)

    def _link(self, name):
        with translation.override(self.language):
            path = reverse(f"alerts:{name}", kwargs={"token": self.signed_token()})
        return f"{settings.SITE_URL}{path}"

    def confirm_url(self):
        return self._link("confirm")

    def manage_url(self):
        return self._link("manage")

    def unsubscribe_url(self):
        return self._link("unsubscribe")


class CaseUpdateQuerySet(models.QuerySet):
    def for_case_page(self):
        return self.order_by("-posted_at", "-id")


class CaseUpdate(models.Model):
    """A short dated note staff post on a case; it is shown on the case page and e-mailed to its followers.

    Posted only through `alerts.moderation.post_update`, which writes the audit row.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="public_updates", verbose_name=_("case"))
    text = models.TextField(_("update"), max_length=600)
    posted_at = models.DateTimeField(_("posted at"), default=timezone.now)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("posted by")
    )

    objects = CaseUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-posted_at", "-id"]
        verbose_name = _("public update")
        verbose_name_plural = _("public updates")

    def __str__(self):
        return f"{self.case} — {timezone.localdate(self.posted_at):%Y-%m-%d}"
