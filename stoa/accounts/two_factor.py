"""Two-factor authentication on django-otp: an authenticator app (TOTP) plus one-time recovery codes.

A person "has two-factor" when they own a confirmed TOTP device. Their recovery codes live in one
django-otp static device, replaced whole when they ask for new codes. Organisations may require
two-factor for all their members (``Organisation.require_two_factor``); the middleware in
``stoa.accounts.two_factor_middleware`` enforces both the code step and the enrolment.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from stoa.accounts.tenancy import organisations_of

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


class CodeThrottled(Exception):
    """Too many wrong codes in a row: django-otp makes the person wait before the next try."""


def has_two_factor(user: Any) -> bool:
    return bool(user.is_authenticated) and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def organisation_requires(user: Any) -> bool:
    """True when any organisation USER belongs to requires two-factor authentication."""
    return bool(user.is_authenticated) and any(
        org.require_two_factor for org in organisations_of(user).values())


def must_enrol(user: Any) -> bool:
    """True when USER's organisation requires two-factor and they have not set it up."""
    return organisation_requires(user) and not has_two_factor(user)


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed authenticator device being set up (made on first call, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_for_typing(device: TOTPDevice) -> str:
    """The device's secret in base32, in groups of four, for apps where one types it in."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an SVG QR code in a data: address (no script, no inline style)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _check(user: Any, devices: list[Device], code: str) -> Device | None:
    throttled = 0
    for device in devices:
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            throttled += 1
            continue
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    if devices and throttled == len(devices):
        raise CodeThrottled
    return None


def verify_code(user: Any, code: str) -> Device | None:
    """The device that accepts CODE: the app's current code, or an unused recovery code (used up here).

    Raises CodeThrottled when every device that could take the code is waiting out earlier failures.
    """
    code = _normalise(code)
    if not code:
        return None
    if len(code) == 6 and code.isdigit():  # the apps' six digits; recovery codes are eight letters and digits
        devices: list[Device] = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    else:
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True))
    return _check(user, devices, code)


@transaction.atomic
def confirm_enrolment(user: Any, code: str) -> list[str] | None:
    """Confirm the pending device with CODE; returns the new recovery codes, or None for a wrong code."""
    device = pending_device(user)
    if _check(user, [device], _normalise(code)) is None:
        return None
    device.refresh_from_db()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user: Any) -> list[str]:
    """Replace USER's recovery codes with a fresh set (the old ones stop working)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.STOA_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def turn_off(user: Any) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
