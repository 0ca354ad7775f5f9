"""The back office: the moderation queue, inboxes, resources and the read-only audit trail.

One module per concern, as `django.contrib.admin` keeps `actions.py` apart from
`options.py`. Review state and case status are read-only in every form here; they
change only through `listings.moderation`, whose table of moves the actions and
buttons read. Staff edits made through a change form are recorded field by field.
Importing the modules registers their model admins.
"""

from django.conf import settings
from django.contrib import admin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import audit, cases, desk, inbox, photos, resources  # noqa: F401  (registers the model admins and the desk)

admin.site.site_header = admin.site.site_title = format_lazy(_("{site_name} moderation"), site_name=settings.SITE_NAME)
admin.site.index_title = _("Moderation queue, inboxes and resources")
# The home page's desk and the breadcrumbs lead everywhere; the side list of models would leave the
# moderation lists too narrow for a 1280 px screen.
admin.site.enable_nav_sidebar = False
