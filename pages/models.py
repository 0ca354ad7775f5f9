"""The trust pages, `/about/` and `/privacy/`: text staff edit in the admin, in every language.

Retention periods are written as placeholders (`{found_case_retention_days}`, …) and filled in from the
settings when the page is shown, so what the privacy page promises is what the site does.
"""

import re

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PageSlug(models.TextChoices):
    ABOUT = "about", _("About")
    PRIVACY = "privacy", _("Privacy")


def retention_values():
    return {
        "rejected_retention_days": settings.REJECTED_RETENTION_DAYS,
        "found_case_retention_days": settings.FOUND_CASE_RETENTION_DAYS,
        "case_confirmation_days": settings.CASE_CONFIRMATION_DAYS,
        "staged_photo_hours": settings.STAGED_PHOTO_HOURS,
        "email_log_retention_days": settings.EMAIL_LOG_RETENTION_DAYS,
    }


PLACEHOLDER = re.compile(r"\{(\w+)\}")


class Page(models.Model):
    slug = models.CharField(max_length=20, choices=PageSlug.choices, unique=True)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(
        _("text"),
        max_length=20_000,
        help_text=_(
            "Plain text; a blank line starts a new paragraph. These are replaced by the current settings: "
            "{rejected_retention_days}, {found_case_retention_days}, {case_confirmation_days}, "
            "{staged_photo_hours}, {email_log_retention_days}."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(f"pages:{self.slug}")

    def filled_body(self):
        """The text with each known placeholder replaced by its setting; anything else is left as written."""
        values = retention_values()
        return PLACEHOLDER.sub(lambda match: str(values.get(match.group(1), match.group(0))), self.body)
