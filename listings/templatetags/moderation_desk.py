"""{% moderation_desk %}: the counts of waiting work on the admin home (listings/admin/desk.py)."""

from django import template

from listings.admin.desk import desk_items

register = template.Library()


@register.inclusion_tag("admin/listings/desk.html", takes_context=True)
def moderation_desk(context):
    return {"desk_items": desk_items(context["request"].user)}
