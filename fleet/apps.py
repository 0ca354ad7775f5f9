from django.apps import AppConfig


class FleetConfig(AppConfig):
    """Running the site on several hosts: what must happen once for all of them."""

    name = "fleet"
