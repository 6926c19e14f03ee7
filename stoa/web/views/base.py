"""Base page views that apply the tenancy mechanism. Concrete views stay declarative.

``OrgScopedMixin`` narrows ``model``'s rows to what the user may see (list pages) and loads
single objects through ``get_for_user``: 404 for what they may not see, 403 for what they may see
but not change. ``required_action`` says what the page does (view, change, delete...).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import allowed_actions, can, get_for_user


class OrgScopedMixin:
    model: Any = None
    required_action: str = Action.VIEW
    related: tuple[str, ...] = ()  # foreign keys the page shows, loaded with the object
    request: HttpRequest
    kwargs: dict[str, Any]

    def get_queryset(self) -> QuerySet:
        if self.model is None:
            raise RuntimeError(f"{type(self).__name__} must declare a model")
        return self.model._default_manager.for_user(self.request.user, Action.VIEW)

    def get_object(self, queryset: QuerySet | None = None) -> Any:
        return get_for_user(self.model, self.request.user, self.required_action, related=self.related,
                            pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        obj = getattr(self, "object", None)
        if obj is not None and getattr(obj, "pk", None):
            context["allowed"] = allowed_actions(obj, self.request.user)
        return context


class OrgCreateMixin:
    """For pages that create an object in the user's active organisation."""

    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        org = getattr(request, "organisation", None)
        if org is None or not can(request.user, Action.ADD, org):
            raise PermissionDenied(_("Your role does not allow adding records."))
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
