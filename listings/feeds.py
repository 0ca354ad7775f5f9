"""RSS feed of open appeals: `Case.objects.appealing()`, so found and withdrawn cases drop out of it."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from .models import Case

FEED_SIZE = 30


class NewestCasesFeed(Feed):
    link = reverse_lazy("listings:case_list")

    def title(self):
        return _("%(site_name)s — missing persons in Newfoundland and Labrador") % {"site_name": settings.SITE_NAME}

    def description(self):
        return _("Cases published on %(site_name)s, newest first.") % {"site_name": settings.SITE_NAME}

    def items(self):
        return Case.objects.appealing().order_by("-published_at", "-id")[:FEED_SIZE]

    def item_title(self, case):
        return _("%(status)s: %(name)s") % {"status": case.get_case_status_display(), "name": case.full_name}

    def item_description(self, case):
        """Plain text. Readers render <description> as HTML once the XML is read, so the text is
        HTML-escaped here and the feed writer escapes it again for the XML."""
        seen = date_format(case.last_seen_date, "DATE_FORMAT")
        return escape(
            _("%(name)s, %(age)s, was last seen on %(date)s at %(place)s (%(region)s).")
            % {
                "name": case.full_name,
                "age": case.age_at_disappearance,
                "date": seen,
                "place": case.last_seen_place,
                "region": case.get_region_display(),
            }
        )

    def item_pubdate(self, case):
        return case.published_at

    def item_updateddate(self, case):
        return case.updated_at
