"""The delivery log: one row per e-mail the site sends, so a message is sent at most once.

A row is written in the same transaction as the change that causes the e-mail and
its `key` is unique: queuing the same message twice (a retried task, a repeated
fan-out) finds the existing row instead of making a second one. The body is kept
only until the message has gone; the log then keeps who, what subject and when.
"""

from django.core.mail import EmailMessage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class DeliveryQuerySet(models.QuerySet):
    def stalled(self, *, older_than):
        """Queued messages never tried: their task was lost (a broker outage when they were queued)."""
        return self.filter(status=DeliveryStatus.QUEUED, attempts=0, created_at__lt=timezone.now() - older_than)


class Delivery(models.Model):
    key = models.CharField(_("key"), max_length=200, unique=True, help_text=_("What this message is about, once."))
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    from_email = models.CharField(_("from"), max_length=254, blank=True, help_text=_("Empty: DEFAULT_FROM_EMAIL."))
    recipients = models.JSONField(_("recipients"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("delivery log")
        indexes = [models.Index(fields=["status", "created_at"], name="delivery_status_idx")]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.recipients)}"

    def message(self):
        return EmailMessage(self.subject, self.body, self.from_email or None, to=self.recipients, headers=self.headers)

    def mark_sent(self):
        self.status = DeliveryStatus.SENT
        self.sent_at = timezone.now()
        self.attempts += 1
        self.body = ""
        self.last_error = ""
        self.save(update_fields=["status", "sent_at", "attempts", "body", "last_error"])
