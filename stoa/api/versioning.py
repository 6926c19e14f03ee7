"""The API side of concurrent-edit detection (``stoa.accounts.versioning``).

A versioned object's answer carries ``version`` and the header ``ETag: "<version>"``. PUT and PATCH
may send ``If-Match: "<version>"`` (answered 412 Precondition Failed when stale) or a ``version``
field (answered 409 Conflict when stale); the body then says who saved last, when, and the stored
version. A change that sends neither is applied to whatever is stored (last writer wins), so
existing scripts keep working; clients that edit alongside people should send the version.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.exceptions import APIException

from stoa.accounts.versioning import VersionConflict, last_change


class StaleVersion(APIException):
    """Answered by ``stoa.api.errors`` with ``body`` as it is (numbers stay numbers)."""

    status_code: int = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, current: Any, expected: int, precondition: bool = False) -> None:
        change = last_change(current) if current is not None else None
        self.status_code = status.HTTP_412_PRECONDITION_FAILED if precondition else status.HTTP_409_CONFLICT
        self.body = {
            "detail": _("This object was changed by someone else since you read it: nothing was saved. "
                        "Read it again, then send your change with the new version."),
            "your_version": expected,
            "current_version": getattr(current, "version", None),
            "changed_by": change.who if change else None,
            "changed_at": change.when.isoformat() if change and change.when else None,
        }
        super().__init__(str(self.body["detail"]))


def if_match_version(request: Any) -> int | None:
    """The version named by an ``If-Match: "3"`` (or ``W/"3"``) header; None without one."""
    header = (request.headers.get("If-Match") or "").strip() if request is not None else ""
    if not header or header == "*":
        return None
    value = header.removeprefix("W/").strip('"')
    try:
        return int(value)
    except ValueError:
        raise serializers.ValidationError({"If-Match": [_("Send the ETag you received, such as \"3\".")]}) from None


class VersionedSerializerMixin(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, min_value=1,
        help_text="The version you read; a change is refused with 409 when the stored one differs. "
                  "Optional: without it (and without If-Match) the change is applied to what is stored.")

    def create(self, validated_data: dict[str, Any]) -> Any:
        validated_data.pop("version", None)
        return super().create(validated_data)  # type: ignore[misc]

    def update(self, instance: Any, validated_data: dict[str, Any]) -> Any:
        sent = validated_data.pop("version", None)
        header = if_match_version(self.context.get("request"))
        if header is not None and header != instance.version:
            raise StaleVersion(instance, header, precondition=True)
        if sent is not None and sent != instance.version:
            raise StaleVersion(instance, sent)
        expected = header if header is not None else sent
        instance.expected_version = expected
        try:
            return super().update(instance, validated_data)  # type: ignore[misc]
        except VersionConflict as exc:  # changed between our read and our write
            raise StaleVersion(exc.current, exc.expected, precondition=header is not None) from exc
