from django.apps import AppConfig


class ListingsConfig(AppConfig):
    name = "listings"
    verbose_name = "Cases and moderation"

    def ready(self):
        from . import signals  # noqa: F401
