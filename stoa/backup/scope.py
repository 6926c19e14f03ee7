"""Which rows a backup holds: the whole installation, or one organisation and what it needs.

Organisation scope: the organisation row, every ``OrgOwnedModel`` row it owns, the child rows
listed in ``ORG_CHILDREN``, its members' accounts (with their API tokens and two-factor devices), then the closure of
everything those rows point at (foreign keys and many-to-many): library rows, user accounts named
as authors, other organisations named as vendors or share recipients. Without the closure a
restore into an empty installation would fail its integrity check.

Every concrete model must be placed in exactly one of the lists below; a test fails for a new
model that is not, so nobody adds a table that backups silently forget.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.serializers import sort_dependencies
from django.db import models

# Never archived: recreated by ``migrate`` (content types, permissions; rows point at them by
# natural key), or short-lived records (sessions, login throttling) that have no value in a restore.
EXCLUDED = frozenset({
    "contenttypes.contenttype", "auth.permission", "sessions.session",
    "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog", "axes.accessattemptexpiration",
})

# Shared by the whole installation, matched by natural key (user name, group name, URN) on restore.
SHARED = frozenset({"auth.user", "auth.group", "library.library", "library.referenceobject"})

# Rows that belong to one organisation without being ``OrgOwnedModel``s: label → lookup to the org.
ORG_CHILDREN: dict[str, str] = {
    "accounts.organisation": "pk",
    "accounts.membership": "organisation",
    "sites.siteshare": "site__organisation",
    "reports.redactionpolicy": "organisation",
    "accounts.apitoken": "user__memberships__organisation",
    # Two-factor devices go with their users: a restore must not quietly drop a second factor.
    "otp_totp.totpdevice": "user__memberships__organisation",
    "otp_static.staticdevice": "user__memberships__organisation",
    "otp_static.statictoken": "device__user__memberships__organisation",
}

# Archived with the whole installation only: the installation's identity and the admin site's log.
INSTALLATION_ONLY = frozenset({"cases.installation", "admin.logentry"})

# The audit trail: an entry belongs to the organisation its ``additional_data`` names.
AUDIT_LABEL = "auditlog.logentry"


def label_of(model: type[models.Model]) -> str:
    return model._meta.label_lower


def archived_models() -> list[type[models.Model]]:
    """Every model a backup may hold, dependencies first (natural-key targets before their users)."""
    chosen = [m for m in apps.get_models() if not m._meta.proxy and label_of(m) not in EXCLUDED]
    by_app: dict[Any, list[type[models.Model]]] = {}
    for model in chosen:
        by_app.setdefault(model._meta.app_config, []).append(model)
    return sort_dependencies(list(by_app.items()), allow_cycles=True)


def is_org_owned(model: type[models.Model]) -> bool:
    from stoa.accounts.tenancy import OrgOwnedModel

    return issubclass(model, OrgOwnedModel)


def unplaced_models() -> list[str]:
    """Models no list above decides about (should be empty)."""
    known = EXCLUDED | SHARED | INSTALLATION_ONLY | set(ORG_CHILDREN) | {AUDIT_LABEL}
    return sorted(label_of(m) for m in apps.get_models()
                  if not m._meta.proxy and not is_org_owned(m) and label_of(m) not in known)


def org_direct(model: type[models.Model], org: Any) -> models.QuerySet | None:
    """The rows of MODEL owned by ORG itself (what ``--force`` replaces); None when none can be."""
    label = label_of(model)
    manager = model._base_manager
    if is_org_owned(model):
        return manager.filter(organisation=org)
    if label in ORG_CHILDREN:
        return manager.filter(**{ORG_CHILDREN[label]: org.pk}).distinct()
    if label == AUDIT_LABEL:
        return manager.filter(additional_data__organisation=str(org.pk))
    return None


def org_members(org: Any) -> models.QuerySet:
    return apps.get_model("auth", "User")._base_manager.filter(memberships__organisation=org).distinct()


def _fk_targets(model: type[models.Model], pks: set[Any]) -> Iterable[tuple[type[models.Model], set[Any]]]:
    """For rows PKS of MODEL: the rows of other models they point at, per model."""
    rows = model._base_manager.filter(pk__in=pks)
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is not None:
            target = field.related_model
            values = set(rows.exclude(**{f"{field.attname}__isnull": True}).values_list(field.attname, flat=True))
            yield target, values  # type: ignore[misc]
    for m2m in model._meta.many_to_many:
        through: Any = m2m.remote_field.through
        source = m2m.m2m_field_name()  # type: ignore[attr-defined]
        target_name = m2m.m2m_reverse_field_name()  # type: ignore[attr-defined]
        values = set(through._base_manager.filter(**{f"{source}__in": pks})
                     .values_list(f"{target_name}_id", flat=True))
        yield m2m.related_model, values  # type: ignore[misc]


def organisation_rows(org: Any) -> dict[str, set[Any]]:
    """Label → primary keys of every row an organisation backup holds (its rows plus their closure)."""
    models_ = archived_models()
    by_label = {label_of(m): m for m in models_}
    rows: dict[str, set[Any]] = {label: set() for label in by_label}
    for model in models_:
        direct = org_direct(model, org)
        if direct is not None:
            rows[label_of(model)].update(direct.values_list("pk", flat=True))
    rows["auth.user"].update(org_members(org).values_list("pk", flat=True))
    pending = {label: set(pks) for label, pks in rows.items() if pks}
    while pending:
        label, pks = pending.popitem()
        for target, values in _fk_targets(by_label[label], pks):
            target_label = label_of(target)
            if target_label not in rows:  # content types, permissions: referred to by natural key
                continue
            new = values - rows[target_label]
            if new:
                rows[target_label].update(new)
                pending.setdefault(target_label, set()).update(new)
    return rows
