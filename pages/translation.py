"""The pages' text in every language (django-modeltranslation); English is required, French falls back to it."""

from modeltranslation.translator import TranslationOptions, register

from .models import Page


@register(Page)
class PageTranslation(TranslationOptions):
    fields = ["title", "body"]
    required_languages = ["en"]
