"""One error shape for the whole API: ``{"detail": ..., "errors": {field: [messages]}}``.

``errors`` appears on validation failures (400) only. A model rule broken during saving (a Django
``ValidationError`` or a geometry that cannot be read) is still a 400, and a write that collides
with existing data, or changes a submitted or signed-off assessment, is a 409: a client error never
becomes a 500.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from stoa.accounts.versioning import VersionConflict
from stoa.api.versioning import StaleVersion
from stoa.assessments.locking import AssessmentLocked
from stoa.core.geometry import GeometryError
from stoa.sites.formfields import geometry_message


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, GeometryError):
        exc = exceptions.ValidationError({"geometry": [geometry_message(exc)]})
    if isinstance(exc, VersionConflict):
        exc = StaleVersion(exc.current, exc.expected)
    if isinstance(exc, StaleVersion):
        return Response(exc.body, status=exc.status_code)
    if isinstance(exc, AssessmentLocked):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ProtectedError):
        return Response({"detail": _("This object is still used by other records and cannot be deleted.")},
                        status=status.HTTP_409_CONFLICT)
    if isinstance(exc, IntegrityError):
        return Response({"detail": _("This conflicts with a record that already exists.")},
                        status=status.HTTP_409_CONFLICT)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {"detail": _("The data sent has problems; see errors."), "errors": errors}
    return response
