"""Staff-edited text kept in every language (django-modeltranslation): one column per language beside the original.

`title` reads the active language's column and falls back to English when it is empty; the admin shows the
columns side by side. English is required, every other language optional.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Resource, ResourceCategory


@register(ResourceCategory)
class ResourceCategoryTranslation(TranslationOptions):
    fields = ["name"]
    required_languages = ["en"]
    # NULL rather than "" when a language is left empty: the name is unique, and an empty one is not a name.
    empty_values = {"name": None}


@register(Resource)
class ResourceTranslation(TranslationOptions):
    fields = ["title", "description"]
    required_languages = ["en"]
