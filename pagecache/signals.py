"""Any saved or deleted row may change a public page: replace the content version, and again on commit.

The receivers listen to every model rather than a list of public ones, so a model
added later (public updates, found notices, translations…) invalidates the cached
pages without anyone remembering to say so. Only the models in
`PAGE_CACHE_PRIVATE_MODELS`, which no public page shows (sessions, tips, contact
messages, log-in attempts…), are left out, so that they do not empty the cache for
nothing. Every moderation function writes an audit row, so even a change made with
`QuerySet.update()` inside one is covered. A change that bypasses the ORM entirely
(raw SQL, a bulk load) calls `bump_content_version()` itself.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .pages import bump_content_version


def _is_private(label):
    app_label = label.split(".")[0]
    return label in settings.PAGE_CACHE_PRIVATE_MODELS or f"{app_label}.*" in settings.PAGE_CACHE_PRIVATE_MODELS


@receiver(post_save, dispatch_uid="pagecache.saved")
@receiver(post_delete, dispatch_uid="pagecache.deleted")
@receiver(m2m_changed, dispatch_uid="pagecache.m2m_changed")
def content_changed(sender, using=None, **kwargs):
    if _is_private(sender._meta.label_lower):
        return
    # Now, so that this process sees the change even inside its transaction; and again once it
    # is committed, since another process may have stored a page made from the data before it.
    bump_content_version()
    pending = transaction.get_connection(using).run_on_commit
    if not any(callback is bump_content_version for _, callback, _ in pending):
        transaction.on_commit(bump_content_version, using=using)
