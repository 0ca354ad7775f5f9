"""Keep what hangs off a case in step: a deleted photo takes its files with it; a saved case its search rows."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import search
from .media import delete_stored_files
from .models import Case, Photo

# The fields a case is found by: a save that names them rewrites its search rows.
SEARCHED_FIELDS = {"first_name", "last_name", "nickname", "last_seen_place"}
# The fields of its place in the listings that its search rows copy (`search.listing_columns`).
LISTED_FIELDS = {"review_state", "case_status", "published_at", "region", "age_at_disappearance", "last_seen_date"}


@receiver(post_save, sender=Case, dispatch_uid="listings.index_case_for_search")
def index_case_for_search(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    fields = None if update_fields is None else set(update_fields)
    if fields is None or SEARCHED_FIELDS & fields:
        search.index_cases([instance])
    elif LISTED_FIELDS & fields:
        search.copy_listing_columns(instance)


@receiver(post_delete, sender=Photo, dispatch_uid="listings.delete_photo_files")
def delete_photo_files(sender, instance, **kwargs):
    names = instance.stored_names()
    transaction.on_commit(lambda: delete_stored_files(names))
