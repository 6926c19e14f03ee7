from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import ScopedRateThrottle


@method_decorator(login_not_required, name="dispatch")
class ObtainTokenView(ObtainAuthToken):
    """POST username and password; get a token for the ``Authorization: Token <key>`` header."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"
