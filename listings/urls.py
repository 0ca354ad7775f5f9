"""URLs of the public site."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter

from . import views
from .feeds import NewestCasesFeed
from .sitemaps import sitemaps


class PhotoSizeConverter:
    regex = "full|thumb"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(PhotoSizeConverter, "photosize")

app_name = "listings"
urlpatterns = [
    path("listings/", views.CaseListView.as_view(), name="case_list"),
    path("listings/feed/", NewestCasesFeed(), name="feed"),
    path("listings/<slug:slug>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("listings/<slug:slug>/tip/", views.CaseTipView.as_view(), name="case_tip"),
    path("photos/<uuid:key>/<photosize:size>/", views.PhotoView.as_view(), name="photo"),
    path("resources/", views.ResourceListView.as_view(), name="resources"),
    path("submit/", views.SubmitCaseView.as_view(), name="submit"),
    path("contact/", views.ContactView.as_view(), name="contact"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": sitemaps},
        name="sitemap",
    ),
]
