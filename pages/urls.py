from django.urls import path

from .models import PageSlug
from .views import PageView

app_name = "pages"
urlpatterns = [path(f"{slug}/", PageView.as_view(slug=slug), name=slug) for slug in PageSlug.values]
