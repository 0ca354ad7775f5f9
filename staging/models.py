"""Photos a member has uploaded for a submission that is not complete yet.

When the submission form comes back with an error, the photos that passed the
checks are kept here (processed, private, tied to the member) so the member does
not have to choose them again. A successful submission moves them onto the case;
`purge_staged_photos` deletes those left behind after `STAGED_PHOTO_HOURS`.
"""

import datetime
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listings.images import ProcessedPhoto


def staged_upload_to(instance, filename):
    return f"staged/{instance.key}/{filename}"


class StagedPhotoQuerySet(models.QuerySet):
    def expired(self, *, hours=None):
        hours = settings.STAGED_PHOTO_HOURS if hours is None else hours
        return self.filter(created_at__lt=timezone.now() - datetime.timedelta(hours=hours))

    def usable_by(self, user):
        """The member's own staged photos that the purge has not reached yet."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user).exclude(pk__in=self.expired().values("pk"))


class StagedPhoto(models.Model):
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staged_photos")
    image = models.ImageField(upload_to=staged_upload_to)
    thumbnail = models.ImageField(upload_to=staged_upload_to)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    original_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = StagedPhotoQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("staged photo")
        verbose_name_plural = _("staged photos")

    def __str__(self):
        return self.original_name or str(self.key)

    def get_thumbnail_url(self):
        return reverse("staging:photo", kwargs={"key": self.key})

    def stored_names(self):
        return [name for name in (self.image.name, self.thumbnail.name) if name]

    def as_processed(self):
        """The stored versions, ready to be attached to a case like a fresh upload."""
        with self.image.open("rb") as full, self.thumbnail.open("rb") as thumbnail:
            return ProcessedPhoto(
                full=ContentFile(full.read()),
                thumbnail=ContentFile(thumbnail.read()),
                width=self.width,
                height=self.height,
            )
