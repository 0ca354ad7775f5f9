"""WSGI entry point used by Gunicorn."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

try:
    application = get_wsgi_application()
except ImproperlyConfigured as error:
    # One clear line in the service log (e.g. an undecryptable DATABASE_PASSWORD_KMS), not a traceback.
    sys.exit(f"error: {error}")
