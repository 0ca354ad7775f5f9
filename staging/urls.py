from django.urls import path

from . import views

app_name = "staging"
urlpatterns = [
    path("<uuid:key>/", views.StagedPhotoView.as_view(), name="photo"),
]
