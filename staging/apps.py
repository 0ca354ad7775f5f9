from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StagingConfig(AppConfig):
    name = "staging"
    verbose_name = _("Staged uploads")

    def ready(self):
        from . import signals  # noqa: F401
