"""WSGI entry point for production servers (gunicorn stoa.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from stoa.env import env_int

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stoa.settings")
application = get_wsgi_application()

# Every view module imported now: with gunicorn's --preload the master does it once and each
# worker it forks starts warm.
get_resolver().url_patterns  # noqa: B018

# What start-up made (Django, the apps, the URL map) lives as long as the process. Frozen, the
# collector no longer walks those objects on each full collection, which cost about 4 ms a request
# under load (bench/README.md); a larger first threshold runs the young collection less often.
gc.freeze()
gc.set_threshold(env_int("GC_THRESHOLD", 5000), 10, 10)
