"""The one mechanism that decides what a user may see and change.

Every organisation-owned model derives from ``OrgOwnedModel`` and so gets a manager whose
``for_user(user, action)`` narrows rows to what the user may take ACTION on. Page views
(``stoa.web.views.base``) and API viewsets (``stoa.api.base``) apply it before any handler runs;
``get_for_user`` loads one object by id, answering 404 for what the user may not see and 403 for
what they may see but not change. No view filters by organisation by hand.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from stoa.accounts.choice_labels import ChoiceLabelsMixin
from stoa.accounts.models import Organisation
from stoa.accounts.roles import Action, role_allows, share_levels_granting

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser

_CACHE_ATTR = "_stoa_memberships"
_ORGS_ATTR = "_stoa_member_organisations"


def memberships_of(user: AnyUser) -> dict[Any, str]:
    """Organisation id → role for USER, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from stoa.accounts.models import Membership

        # The organisations come in the same query: every request needs the active one and their
        # two-factor rule, so they cost no query of their own. The outline is rarely wanted and large.
        rows = list(Membership.objects.filter(user_id=user.pk or 0).select_related("organisation")
                    .defer("organisation__outline"))
        cached = {m.organisation_id: m.role for m in rows}
        setattr(user, _CACHE_ATTR, cached)
        setattr(user, _ORGS_ATTR, {m.organisation_id: m.organisation for m in rows})
    return cached


def organisations_of(user: AnyUser) -> dict[Any, Organisation]:
    """Organisation id → organisation for each membership of USER, loaded with ``memberships_of``."""
    if not memberships_of(user):
        return {}
    return getattr(user, _ORGS_ATTR)


def forget_memberships(user: AnyUser) -> None:
    """Drop the cached memberships (after a membership changed during the request)."""
    for attr in (_CACHE_ATTR, _ORGS_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def org_ids_for(user: AnyUser, action: str) -> list[Any]:
    """The organisations in which USER's role allows ACTION."""
    return [org_id for org_id, role in memberships_of(user).items() if role_allows(role, action)]


def can(user: AnyUser, action: str, organisation: Organisation | Any) -> bool:
    """True when USER may take ACTION on objects owned by ORGANISATION (an instance or an id)."""
    org_id = getattr(organisation, "pk", organisation)
    return org_id in org_ids_for(user, action)


class OrgScopedQuerySet(models.QuerySet):
    def for_user(self, user: AnyUser, action: str = Action.VIEW) -> Self:
        own = org_ids_for(user, action)
        condition = Q(organisation_id__in=own)
        levels = share_levels_granting(action)
        if levels:
            shared = self.model.shared_condition(org_ids_for(user, action), levels)
            if shared is not None:
                condition |= shared
        return self.filter(condition)


class OrgOwnedModel(ChoiceLabelsMixin, models.Model):
    """Base for every domain object: a UUID id and exactly one owning organisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def shared_condition(cls, org_ids: list[Any], levels: list[str]) -> Q | None:
        """Rows shared with one of ORG_IDS at one of LEVELS; None when the model cannot be shared."""
        return None

    def get_additional_data(self) -> dict[str, Any]:
        """Extra data stored with each audit entry, so the trail can be scoped by organisation."""
        return {"organisation": str(self.organisation_id)}


M = TypeVar("M", bound=OrgOwnedModel)


def get_for_user(model: type[M], user: AnyUser, action: str = Action.VIEW, *, related: tuple[str, ...] = (),
                 **lookup: Any) -> M:
    """Load one object: 404 when USER may not see it, 403 when they may see but not take ACTION.
    RELATED: foreign keys to load with it (``select_related``)."""
    manager = model._default_manager
    try:
        obj = manager.for_user(user, Action.VIEW).select_related(*related).get(**lookup)  # type: ignore[attr-defined]
    except (model.DoesNotExist, ValueError, models.ObjectDoesNotExist) as exc:
        raise Http404(str(_("Not found."))) from exc
    if action != Action.VIEW and not may(obj, user, action):
        raise PermissionDenied(_("Your role does not allow this."))
    return obj


def may(obj: OrgOwnedModel, user: AnyUser, action: str) -> bool:
    """True when ``for_user(USER, ACTION)`` would hold OBJ."""
    if can(user, action, obj.organisation_id):
        return True  # the owner's own role allows it: the first half of for_user's condition
    if not share_levels_granting(action):
        return False  # nothing shared grants ACTION, so only the query's own-organisation half could
    manager: Any = type(obj)._default_manager
    return bool(manager.for_user(user, action).filter(pk=obj.pk).exists())


def allowed_actions(obj: OrgOwnedModel, user: AnyUser) -> set[str]:
    """The actions USER may take on OBJ (for showing or hiding buttons)."""
    return {a for a in (Action.CHANGE, Action.DELETE, Action.SHARE) if may(obj, user, a)}
