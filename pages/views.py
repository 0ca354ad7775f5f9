from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from .models import Page


class PageView(DetailView):
    template_name = "pages/page.html"
    context_object_name = "page"
    slug = None

    def get_object(self, queryset=None):
        return get_object_or_404(Page, slug=self.slug)
