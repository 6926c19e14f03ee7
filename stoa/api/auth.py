"""API authentication endpoints: a token from username and password, and a person's named tokens."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from stoa.accounts import api_tokens, two_factor
from stoa.accounts.models import ApiToken


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(required=False, allow_blank=True, help_text=_(
        "A current code from the authenticator app (or a recovery code): needed when the account uses "
        "two-factor authentication."))


@method_decorator(login_not_required, name="dispatch")
class ObtainTokenView(APIView):
    """POST username and password (and ``otp`` with two-factor); get a new token for ``Authorization: Token <key>``.

    Each call makes a new named token that expires after ``STOA_LOGIN_TOKEN_DAYS`` days; list and
    revoke them at /api/v1/auth/tokens/.
    """

    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer, responses={
        200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
        400: OpenApiResponse(description="Wrong credentials, or a missing or wrong two-factor code."),
        403: OpenApiResponse(description="The organisation requires two-factor and the account has none."),
    })
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        username, password = data.validated_data["username"], data.validated_data["password"]
        user = authenticate(request=request, username=username, password=password)
        if user is None:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Unable to log in with provided credentials.")]})
        if two_factor.has_two_factor(user):
            code = data.validated_data.get("otp", "")
            if not code:
                raise serializers.ValidationError({"otp": [_(
                    "This account uses two-factor authentication: give a current code in 'otp'.")]})
            try:
                device = two_factor.verify_code(user, code)
            except two_factor.CodeThrottled:
                device = None
            if device is None:
                # Counted like a failed log-in, so the lock-out of the log-in page covers this too.
                user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
                raise serializers.ValidationError({"otp": [_("This code is not valid.")]})
        elif two_factor.organisation_requires(user):
            raise PermissionDenied(_("Your organisation requires two-factor authentication: set it up on the "
                                     "Security page of your account, then ask for a token with 'otp'."))
        days = settings.STOA_LOGIN_TOKEN_DAYS
        expires = timezone.now() + datetime.timedelta(days=days) if days else None
        name = _("Password log-in %(when)s") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
        _token, key = api_tokens.create_token(user, str(name), expires)
        return Response({"token": key})


class ApiTokenSerializer(serializers.ModelSerializer):
    revoked = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at", "revoked"]
        read_only_fields = ["id", "prefix", "created_at", "last_used_at", "revoked_at", "revoked"]

    def get_revoked(self, token: ApiToken) -> bool:
        return token.revoked_at is not None

    def validate_expires_at(self, value: datetime.datetime | None) -> datetime.datetime | None:
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError(_("Give a time in the future, or leave it out for no expiry."))
        return value


class NewApiTokenSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True, help_text=_("The key: shown in this answer only."))

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]


@extend_schema(tags=["auth"])
class ApiTokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The caller's own API tokens. Creating one answers with its key, once; deleting revokes it."""

    serializer_class = ApiTokenSerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = ApiToken.objects.none()

    def get_queryset(self) -> Any:
        return ApiToken.objects.filter(user_id=self.request.user.pk or 0)

    @extend_schema(request=ApiTokenSerializer, responses={201: NewApiTokenSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ApiTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = api_tokens.create_token(request.user, serializer.validated_data["name"],
                                             serializer.validated_data.get("expires_at"))
        token.key = key  # type: ignore[attr-defined]
        return Response(NewApiTokenSerializer(token).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: OpenApiResponse(description="Revoked: the key no longer works.")})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        api_tokens.revoke(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
