"""Viewsets for objects listed under their parent in the URL: ``evaluations/{id}/scores/``,
``rfis/{id}/requirements/``, ``submissions/{id}/attachments/``.

The parent comes from the URL, not from the body. Outcomes, in this order:

* a parent the caller may not see: 404 for every method the route has, list included (a
  method it does not have: 405);
* creating without ``parent_action`` on the parent: 403; a change the role does not allow: 403;
* a parent that no longer accepts changes (a frozen evaluation, a published RFI, a submitted
  answer): 409 with the reason, before the body is looked at;
* a body that breaks a rule: 400.

The serializer receives the parent as ``context["parent"]`` and puts it into the validated data,
so the model's own ``clean`` (which reads the parent) runs before anything is saved.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from stoa.accounts.roles import Action
from stoa.api.base import OrgObjectPermission, OrgScopedViewSet, allowed
from stoa.api.serializers import ModelCleanSerializer
from stoa.audit.actor import acting_as


class Conflict(APIException):
    """409: the object's state refuses the change (the message says why)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This record no longer accepts changes.")
    default_code = "conflict"


class PartPermission(OrgObjectPermission):
    """As ``OrgObjectPermission``, but removing a part needs the viewset's ``delete_action``."""

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method == "DELETE":
            return allowed(request.user, view.delete_action, obj)
        return super().has_object_permission(request, view, obj)


class PartSerializer(ModelCleanSerializer):
    """A part of the parent in ``context["parent"]``; the parent is set on creation and never changes."""

    parent_name: str = ""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and "parent" in self.context:
            attrs[self.parent_name] = self.context["parent"]
        return super().validate(attrs)


class NestedViewSet(OrgScopedViewSet):
    """``parents/{parent_kwarg}/things/``: the rows of one parent the caller may see."""

    permission_classes = [PartPermission]
    parent_model: type[Model]
    parent_kwarg: str
    delete_action: str = Action.DELETE
    lookup_value_converter = "uuid"

    def schema_only(self) -> bool:
        return bool(getattr(self, "swagger_fake_view", False))

    def parent(self) -> Any:
        """The parent named in the URL, if the caller may see it (else 404)."""
        if not hasattr(self, "_parent"):
            manager: Any = self.parent_model._default_manager
            found = manager.for_user(self.request.user, Action.VIEW).filter(pk=self.kwargs.get(self.parent_kwarg))
            self._parent = found.first()
            if self._parent is None:
                raise NotFound(_("No such %(what)s (or not visible to you).")
                               % {"what": self.parent_model._meta.verbose_name})
        return self._parent

    def locked(self, parent: Any) -> str | None:
        """Why PARENT accepts no changes to its parts now, or None."""
        return None

    def check_unlocked(self) -> None:
        reason = self.locked(self.parent())
        if reason:
            raise Conflict(reason)

    def get_queryset(self) -> QuerySet:
        rows = super().get_queryset()
        if self.schema_only():
            return rows.none()
        return rows.filter(**{f"{self.parent_field}_id": self.parent().pk})

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if not self.schema_only():
            context["parent"] = self.parent()
        return context

    def check_create(self, parent: Any) -> None:
        """Refuse to add a part to PARENT (403) unless the caller may ``parent_action`` it."""
        self.check_parent(parent)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.check_create(self.parent())
        self.check_unlocked()
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        with acting_as(self.request.user):  # the parent was checked in create()
            serializer.save(**self.extra_save_kwargs())

    def get_object(self) -> Any:
        obj = super().get_object()
        if self.request.method not in permissions.SAFE_METHODS:
            self.check_unlocked()
        return obj
