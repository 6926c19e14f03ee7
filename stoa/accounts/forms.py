from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from stoa.accounts import two_factor
from stoa.accounts.models import ApiToken, Membership, Organisation
from stoa.accounts.roles import Role

T = TypeVar("T")


class AddMemberForm(forms.Form):
    """Add a person to the organisation: an existing user by name, or a new one with a password."""

    username = forms.CharField(label=_("User name"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    password = forms.CharField(
        label=_("Password for a new user"), required=False, widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to add someone who already has a Stoa account."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        username = data.get("username")
        if not username:
            return data
        user = get_user_model().objects.filter(username=username).first()
        if user is not None and Membership.objects.filter(user=user, organisation=self.organisation).exists():
            self.add_error("username", _("This person is already a member."))
        if user is None:
            password = data.get("password") or ""
            if not password:
                self.add_error("password", _("No account has this user name yet: give a password to create it."))
            else:
                try:
                    validate_password(password, get_user_model()(username=username))
                except forms.ValidationError as exc:
                    self.add_error("password", exc)
        data["existing_user"] = user
        return data


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app, or (where allowed) a recovery code."""

    code = forms.CharField(label=_("Code"), max_length=32, strip=True, help_text=_(
        "The six digits your authenticator app shows now, or one of your recovery codes."))

    def checked(self, check: Callable[[str], T]) -> T | None:
        """CHECK's answer for the entered code; None, with the error on the code field, when django-otp
        holds the person back after too many wrong codes (the one place that says so)."""
        try:
            return check(self.cleaned_data["code"])
        except two_factor.CodeThrottled:
            self.add_error("code", _("Too many wrong codes in a row: wait a few seconds, then try again."))
            return None


class TwoFactorPolicyForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["require_two_factor"]


class ApiTokenForm(forms.ModelForm):
    """Name a new token and, if wanted, the day it stops working."""

    expires_at = forms.DateField(label=_("Expires on"), required=False,
                                 help_text=_("Leave empty for a token that works until you revoke it."))

    class Meta:
        model = ApiToken
        fields = ["name"]
        help_texts = {"name": _("What the token is for, e.g. the script or machine that uses it.")}

    def clean_expires_at(self) -> Any:
        import datetime

        from django.utils import timezone

        day = self.cleaned_data.get("expires_at")
        if day is None:
            return None
        if day <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day after today."))
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
