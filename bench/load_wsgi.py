"""``stoa.wsgi`` with the URL configuration (and so every view module) imported at load time, so that
gunicorn's ``--preload`` master imports them once and every worker it forks starts warm."""

from django.urls import get_resolver

from stoa.wsgi import application

get_resolver().url_patterns  # noqa: B018 (imports the views)

__all__ = ["application"]
