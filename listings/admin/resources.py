"""The resources page as staff edit it: categories with their resources inline, each text in every language."""

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from ..models import Resource, ResourceCategory

HTTPS_LINKS = {models.URLField: {"assume_scheme": "https"}}


class ResourceInline(TranslationTabularInline):
    model = Resource
    formfield_overrides = HTTPS_LINKS
    extra = 1
    fields = ["title", "url", "phone", "description", "order"]


@admin.register(ResourceCategory)
class ResourceCategoryAdmin(TranslationAdmin):
    list_display = ["name", "order", "resource_count"]
    list_editable = ["order"]
    search_fields = ["name"]
    inlines = [ResourceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(resource_count=Count("resources"))

    @admin.display(description=_("Resources"), ordering="resource_count")
    def resource_count(self, category):
        return category.resource_count


@admin.register(Resource)
class ResourceAdmin(TranslationAdmin):
    formfield_overrides = HTTPS_LINKS
    list_display = ["title", "category", "phone", "url", "order"]
    list_editable = ["order"]
    list_filter = ["category"]
    search_fields = ["title", "description", "url", "phone"]
    list_select_related = ["category"]
