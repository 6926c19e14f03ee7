"""Base classes that apply the tenancy mechanism to every API endpoint.

A viewset declares ``queryset`` (of an ``OrgOwnedModel``), ``serializer_class`` and filters;
``OrgScopedViewSet`` narrows the rows to what the caller may see before any handler runs, and
checks the action (change, delete...) on each object. A viewset without a queryset refuses to run.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import permissions, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import can

METHOD_ACTIONS = {
    "GET": Action.VIEW,
    "HEAD": Action.VIEW,
    "OPTIONS": Action.VIEW,
    "POST": Action.ADD,
    "PUT": Action.CHANGE,
    "PATCH": Action.CHANGE,
    "DELETE": Action.DELETE,
}


class OrgObjectPermission(permissions.IsAuthenticated):
    """Object check: may the caller take the HTTP method's action on this object?"""

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        action = METHOD_ACTIONS.get(request.method or "GET", Action.CHANGE)
        if action == Action.VIEW:
            return True  # rows the caller cannot see never reach here (404 from get_queryset)
        return type(obj)._default_manager.for_user(request.user, action).filter(pk=obj.pk).exists()


class OrgScopedViewSet(viewsets.ModelViewSet):
    permission_classes = [OrgObjectPermission]
    lookup_field = "pk"

    def get_queryset(self) -> QuerySet:
        if self.queryset is None:
            raise RuntimeError(f"{type(self).__name__} must declare a queryset")
        queryset: Any = self.queryset
        return queryset.for_user(self.request.user, Action.VIEW)

    def check_can_add(self, organisation: Any) -> None:
        """Refuse to create an object in ORGANISATION unless the caller's role there allows it."""
        if not can(self.request.user, Action.ADD, organisation):
            raise PermissionDenied("Your role does not allow adding records for this organisation.")
