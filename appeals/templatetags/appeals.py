"""Share cards (Open Graph, X) in a page's <head>; their URLs are absolute, from SITE_URL."""

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..share_image import HEIGHT, WIDTH, version

register = template.Library()


def _absolute(path):
    return f"{settings.SITE_URL}{path}"


@register.inclusion_tag("appeals/share_meta.html")
def site_share_meta():
    """The site's own card, for pages that are not a case."""
    return {
        "card": {
            "title": _("%(site)s: missing persons in Newfoundland and Labrador") % {"site": settings.SITE_NAME},
            "description": _(
                "A moderated registry of missing persons in Newfoundland and Labrador. "
                "Search the cases, share the appeals, and send information that may help."
            ),
            "url": _absolute(reverse("home")),
            "image": _absolute(static("img/share-card.png")),
            "width": WIDTH,
            "height": HEIGHT,
            "alt": settings.SITE_NAME,
        },
        "site_name": settings.SITE_NAME,
    }


@register.inclusion_tag("appeals/share_meta.html")
def case_share_meta(case):
    """The card made for an open appeal: its own share image, versioned so social sites fetch a changed one."""
    image = reverse("appeals:share_image", kwargs={"slug": case.slug})
    title = _("Missing: %(name)s") % {"name": case.full_name}
    description = _("%(name)s, %(age)s, last seen %(date)s at %(place)s. If you have information, call %(who)s.") % {
        "name": case.full_name,
        "age": case.age_at_disappearance,
        "date": date_format(case.last_seen_date, "DATE_FORMAT"),
        "place": case.last_seen_place,
        "who": " ".join(filter(None, [case.investigating_agency, case.agency_phone])) or _("the police"),
    }
    return {
        "card": {
            "title": title,
            "description": description,
            "url": _absolute(case.get_absolute_url()),
            "image": f"{_absolute(image)}?v={version(case)}",
            "width": WIDTH,
            "height": HEIGHT,
            "alt": title,
        },
        "site_name": settings.SITE_NAME,
    }
