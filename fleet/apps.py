from django.apps import AppConfig


class FleetConfig(AppConfig):
    """Running the site on several hosts: what must happen once for all of them, and the queue they share."""

    name = "fleet"

    def ready(self):
        from . import queue  # noqa: F401 - connects the signal that stamps each task with its sending time
