"""Share image and poster, beside the case page they belong to."""

from django.urls import path

from . import views

app_name = "appeals"
urlpatterns = [
    path("listings/<slug:slug>/share.jpg", views.ShareImageView.as_view(), name="share_image"),
    path("listings/<slug:slug>/poster.pdf", views.PosterView.as_view(), name="poster"),
]
