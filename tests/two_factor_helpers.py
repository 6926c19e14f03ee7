"""Helpers for tests of two-factor log-in: a confirmed authenticator device and its codes."""

from __future__ import annotations

import time
from typing import Any

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from stoa.accounts import two_factor


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the app would show now (or STEPS_AHEAD time steps later: tolerance accepts one)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrol(user: Any) -> tuple[TOTPDevice, list[str]]:
    """Give USER a confirmed authenticator device the way the Security page does; returns it and the codes."""
    device = two_factor.pending_device(user)
    codes = two_factor.confirm_enrolment(user, code_for(device))
    assert codes is not None
    device.refresh_from_db()
    return device, codes
