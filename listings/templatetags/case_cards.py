"""`cards_key`: one short key for a list of case cards, from what each card shows (Case.card_version)."""

import hashlib

from django import template

register = template.Library()


@register.filter
def cards_key(cases):
    return hashlib.sha256(repr([case.card_version for case in cases]).encode()).hexdigest()
