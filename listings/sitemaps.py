"""Sitemap of the public pages and the open appeals (never a pending, rejected, found or withdrawn case).

Each address is listed once per language with its hreflang alternates (and English as x-default).
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Case


class TranslatedSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class CaseSitemap(TranslatedSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Case.objects.appealing().order_by("-published_at", "-id")

    def lastmod(self, case):
        return case.updated_at


class PageSitemap(TranslatedSitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return ["home", "listings:case_list", "listings:resources", "listings:contact", "pages:about", "pages:privacy"]

    def location(self, name):
        return reverse(name)


sitemaps = {"pages": PageSitemap, "cases": CaseSitemap}
