"""The moderators' desk on the admin home: what is waiting, each count a link to the list that holds it."""

from dataclasses import dataclass

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..models import Case, ContactMessage, Photo, ReviewState, Tip


@dataclass(frozen=True)
class DeskItem:
    label: str
    count: int
    url: str


# (label, model, the waiting rows, the changelist filter that shows them), in the order they are usually worked.
PILES = [
    (_("Cases waiting for review"), Case, lambda: Case.objects.pending(), "review_state__exact=pending"),
    (
        _("Photos waiting for review"),
        Photo,
        lambda: Photo.objects.filter(review_state=ReviewState.PENDING),
        "review_state__exact=pending",
    ),
    (_("Tips not yet forwarded or closed"), Tip, lambda: Tip.objects.open(), "state__in=new,read"),
    (_("Cases to re-confirm with the police"), Case, lambda: Case.objects.needs_confirmation(), "confirmation=due"),
    (
        _("Unread contact messages"),
        ContactMessage,
        lambda: ContactMessage.objects.filter(handled=False),
        "handled__exact=0",
    ),
]


def desk_items(user):
    """The piles `user` may open, with their counts."""
    items = []
    for label, model, waiting, query in PILES:
        if user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
            changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            items.append(DeskItem(label, waiting().count(), f"{changelist}?{query}"))
    return items


# The home page draws the desk with {% moderation_desk %} (listings/templatetags/moderation_desk.py).
admin.site.index_template = "admin/listings/desk_index.html"
