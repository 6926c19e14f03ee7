"""Named API tokens: creating one (the key is returned once), finding the token a key belongs to.

A key is 32 random bytes, so an unsalted SHA-256 of it is as hard to reverse as the key is to guess;
a slow password hash would only make every API call slower.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from stoa.accounts.models import ApiToken

# Write "last used" at most this often, so busy clients do not turn every read into a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_token(user: Any, name: str, expires_at: datetime.datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for USER; returns it with its key, which is never stored nor shown again."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:8], key_hash=hash_key(key),
                                    expires_at=expires_at)
    return token, key


def find_token(key: str) -> ApiToken | None:
    """The token with KEY, revoked or expired ones included (the caller says why it refuses)."""
    if not key:
        return None
    return ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()


def note_use(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
