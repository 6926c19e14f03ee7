"""``Authorization: Token <key>`` against Stoa's named API tokens (``stoa.accounts.api_tokens``).

Kept apart from the token views: REST framework imports authentication classes while it loads its
settings, before its views module can be imported.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from stoa.accounts import api_tokens
from stoa.accounts.two_factor import must_enrol


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header: give exactly one key after 'Token'."))
        try:
            key = parts[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token header: the key has invalid characters.")) from exc
        token = api_tokens.find_token(key)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token was revoked."))
        if not token.is_usable(timezone.now()):
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        if must_enrol(token.user):
            raise exceptions.AuthenticationFailed(_(
                "Your organisation requires two-factor authentication: set it up on the Security page "
                "of your account first."))
        api_tokens.note_use(token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "stoa.api.token_auth.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <key>`: a key from POST /api/v1/auth/token/ or /api/v1/auth/tokens/."}
