"""Base classes that apply the tenancy mechanism to every API endpoint.

A viewset declares ``queryset`` (of a model whose manager has ``for_user``), ``serializer_class``
and filters; ``OrgScopedViewSet`` narrows the rows to what the caller may see before any handler
runs, and checks the action (change, delete...) on each object. A viewset without a queryset
refuses to run. Outcomes, the same everywhere:

* an object the caller may not see: 404, exactly as if it did not exist;
* an object they see but their role (or the share) does not let them change or delete: 403;
* creating: an object that hangs off a parent (a zone off a site) needs ``parent_action`` on the
  parent, which the caller must be able to see (else 400, "no such site"); any other object is
  created in an organisation of the caller's where their role allows ADD (else 403);
* every write runs with the caller recorded as the audit trail's actor.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

from stoa.accounts.middleware import SESSION_KEY
from stoa.accounts.models import Organisation
from stoa.accounts.roles import Action
from stoa.accounts.tenancy import can, memberships_of
from stoa.audit.actor import acting_as

METHOD_ACTIONS = {
    "GET": Action.VIEW,
    "HEAD": Action.VIEW,
    "OPTIONS": Action.VIEW,
    "POST": Action.ADD,
    "PUT": Action.CHANGE,
    "PATCH": Action.CHANGE,
    "DELETE": Action.DELETE,
}


def allowed(user: Any, action: str, obj: Any) -> bool:
    """True when USER may take ACTION on OBJ, through the model's ``for_user``."""
    return type(obj)._default_manager.for_user(user, action).filter(pk=obj.pk).exists()


class OrgObjectPermission(permissions.IsAuthenticated):
    """Object check: may the caller take the HTTP method's action on this object?"""

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        action = METHOD_ACTIONS.get(request.method or "GET", Action.CHANGE)
        if action == Action.VIEW:
            return True  # rows the caller cannot see never reach here (404 from get_queryset)
        return allowed(request.user, action, obj)


def resolve_organisation(request: Request, chosen: Organisation | None) -> Organisation:
    """The organisation a new record goes to: CHOSEN (already one of the caller's), else the only
    one they belong to, else the one they picked in the page header; otherwise a 400 that asks."""
    if chosen is not None:
        return chosen
    memberships = memberships_of(request.user)
    if not memberships:
        raise serializers.ValidationError({"organisation": [_("You are not a member of any organisation.")]})
    picked = getattr(request, "session", None) and request.session.get(SESSION_KEY)
    candidates = [pk for pk in memberships if len(memberships) == 1 or str(pk) == picked]
    if len(candidates) != 1:
        raise serializers.ValidationError({"organisation": [_(
            "You belong to several organisations: give the short name of the one this is for."
        )]})
    return Organisation.objects.get(pk=candidates[0])


@extend_schema_field(OpenApiTypes.STR)
class CallersOrganisationField(serializers.SlugRelatedField):
    """An organisation given by its short name, among the caller's own; others read as unknown."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        return Organisation.objects.for_user(self.context["request"].user, Action.VIEW)


class OrgScopedViewSet(viewsets.ModelViewSet):
    permission_classes = [OrgObjectPermission]
    lookup_field = "pk"
    # For objects that belong to a parent object: the serializer field naming the parent, and the
    # action the caller needs on the parent to create one.
    parent_field: str | None = None
    parent_action: str = Action.CHANGE

    def get_queryset(self) -> QuerySet:
        if self.queryset is None:
            raise RuntimeError(f"{type(self).__name__} must declare a queryset")
        return self.queryset.for_user(self.request.user, Action.VIEW)  # type: ignore[union-attr]

    def check_can_add(self, organisation: Any) -> None:
        """Refuse to create an object in ORGANISATION unless the caller's role there allows it."""
        if not can(self.request.user, Action.ADD, organisation):
            raise PermissionDenied(_("Your role does not allow adding records for this organisation."))

    def check_parent(self, parent: Any) -> None:
        if not allowed(self.request.user, self.parent_action, parent):
            raise PermissionDenied(_("Your role or this share does not allow changing %(parent)s.")
                                   % {"parent": parent})

    def extra_save_kwargs(self) -> dict[str, Any]:
        """Values the server sets on a new object (e.g. who uploaded it)."""
        return {}

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        kwargs = self.extra_save_kwargs()
        if self.parent_field:
            self.check_parent(serializer.validated_data[self.parent_field])
        else:
            organisation = resolve_organisation(self.request, serializer.validated_data.get("organisation"))
            self.check_can_add(organisation)
            kwargs["organisation"] = organisation
        with acting_as(self.request.user):
            serializer.save(**kwargs)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        with acting_as(self.request.user):
            serializer.save()

    def perform_destroy(self, instance: Any) -> None:
        with acting_as(self.request.user):
            instance.delete()

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        # A versioned object's answer names its version as the ETag for a later If-Match.
        data = getattr(response, "data", None)
        if isinstance(data, dict) and isinstance(data.get("version"), int) and "id" in data:
            response["ETag"] = f'"{data["version"]}"'
        return super().finalize_response(request, response, *args, **kwargs)
