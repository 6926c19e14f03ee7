"""Writing a case from a finished plan, and importing a bundle. Pages and API call these, never the models directly.

* ``prefill(plan)``: what Stoa fills in from the plan: category, the threat types of the
  scenarios its measures treat, every measure (cancelled ones too, with their status; the totals
  count only those not cancelled), the risk profile (``stoa.plans.residual``) and a snapshot of
  the names and location the redaction choices may later let out.
* ``export_case(case, user)``: the bundle, with the export stamped on the case (audit trail).
* ``import_bundle(organisation, data, user)``: all or nothing, in one transaction; refused with a
  specific message (``BundleError``) for a foreign or damaged file, a bundle already imported by
  this organisation, or a category or threat type this installation does not know.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stoa.accounts.models import Organisation
from stoa.audit.actor import acting_as
from stoa.cases.bundle import BundleError, export_bundle, read_bundle
from stoa.cases.models import CaseStudy, installation_id
from stoa.library.models import ReferenceObject
from stoa.plans.models import ActionPlan, ItemStatus, PlanStatus
from stoa.plans.residual import plan_residual


@dataclass
class Prefill:
    plan: ActionPlan
    initial: dict[str, Any]
    threats: list[ReferenceObject]  # the choices: the threat types of the plan's rated scenarios
    measures: list[dict[str, Any]]
    capital_eur: int = 0
    yearly_eur: int = 0
    risk_profile: list[dict[str, Any]] = field(default_factory=list)
    place: dict[str, Any] = field(default_factory=dict)


def prefill(plan: ActionPlan) -> Prefill:
    """The case Stoa proposes for PLAN; ValueError unless the plan is finished."""
    if plan.status != PlanStatus.FINISHED:
        raise ValueError(_("Only a finished plan becomes a case study: its outcome must be known."))
    site = plan.site
    residual = plan_residual(plan)
    items = list(plan.plannedmeasures.prefetch_related("scenarios__threat"))
    treated = {s.threat.ref_id for m in items if m.status != ItemStatus.CANCELLED for s in m.scenarios.all()}
    treated |= {o.scenario.threat.ref_id for o in residual.outcome.scenarios if o.measures}
    rated = [o for o in residual.outcome.scenarios if o.residual is not None]
    threats = [o.scenario.threat for o in rated]
    threats += [t for t in {s.threat for m in items for s in m.scenarios.all()} if t not in threats]
    measures = [{"name": m.name, "catalogue_key": m.catalogue_key, "capital_eur": m.capital_eur,
                 "yearly_eur": m.yearly_eur, "status": m.status} for m in items]
    counted = [m for m in items if m.status != ItemStatus.CANCELLED]
    profile = [{"threat": o.scenario.threat.ref_id, "before": o.current_score,
                "after": round(float(o.residual.score), 2)} for o in rated if o.residual is not None]
    category = site.category.label()
    names = ", ".join(t.label() for t in threats if t.ref_id in treated)
    place = {"site_name": site.name, "organisation_name": plan.organisation.name, "plan_owner": plan.owner_name,
             "surroundings": site.surroundings, "boundary": site.boundary,
             "centroid": [site.lon, site.lat] if site.lon is not None and site.lat is not None else None}
    return Prefill(
        plan, {"title": _("%(category)s: %(threats)s") % {"category": category, "threats": names or _("measures")},
               "threats": [t.pk for t in threats if t.ref_id in treated]},
        threats, measures, sum(m.capital_eur for m in counted), sum(m.yearly_eur for m in counted), profile, place)


def create_case(found: Prefill, case: CaseStudy, threats: list[ReferenceObject], user: Any) -> CaseStudy:
    """Save CASE (the author's title, outcome, lessons, distribution and redaction) with what FOUND filled in."""
    plan = found.plan
    case.organisation_id = plan.organisation_id
    case.category = plan.site.category
    case.source_plan = plan
    case.measures, case.capital_eur, case.yearly_eur = found.measures, found.capital_eur, found.yearly_eur
    case.risk_profile, case.place = found.risk_profile, found.place
    case.created_by = user
    with transaction.atomic(), acting_as(user):
        case.save()
        case.threats.set(threats)
    return case


def export_case(case: CaseStudy, user: Any) -> dict[str, Any]:
    """The bundle of CASE (BundleError when refused), recorded on the case so the audit trail shows the export."""
    document = export_bundle(case, installation_id())
    case.last_exported_at, case.last_export_sha256 = timezone.now(), document["sha256"]
    with acting_as(user):
        case.save(update_fields=["last_exported_at", "last_export_sha256", "updated_at"])
    return document


def _reference(kind: str, ref_id: str) -> ReferenceObject | None:
    return ReferenceObject.objects.filter(kind=kind, ref_id=ref_id).order_by("pk").first()


def import_bundle(organisation: Organisation, data: bytes, user: Any) -> CaseStudy:
    """Import the bundle DATA as a read-only case of ORGANISATION; BundleError (nothing written) when refused."""
    read = read_bundle(data)
    bundle, payload = read.bundle, read.bundle.payload
    earlier = CaseStudy.objects.filter(organisation=organisation, bundle_sha256=read.sha256).first()
    if earlier is not None:
        raise BundleError([_("This bundle was already imported on %(date)s as “%(title)s”; nothing was imported "
                             "again.") % {"date": date_format(timezone.localtime(earlier.imported_at), "DATE_FORMAT"),
                                          "title": earlier.title}])
    problems = []
    category = _reference("psoi_category", payload.case.category)
    if category is None:
        problems.append(_("The category of public space “%(ref)s” is not known here.") % {"ref": payload.case.category})
    threats = []
    for ref in dict.fromkeys([*payload.case.threats, *(row.threat for row in payload.case.risk_profile)]):
        threat = _reference("threat_type", ref)
        if threat is None:
            problems.append(_("The threat type “%(ref)s” is not known here.") % {"ref": ref})
        elif ref in payload.case.threats:
            threats.append(threat)
    if problems:
        raise BundleError([*problems, _("Load the same content libraries as the sender; nothing was imported.")])
    names, location = payload.names, payload.location
    place: dict[str, Any] = {}
    if names is not None:
        place.update(site_name=names.site, organisation_name=names.organisation, plan_owner=names.plan_owner)
    if location is not None:
        place.update(surroundings=location.surroundings, boundary=location.boundary,
                     centroid=list(location.centroid) if location.centroid else None)
    case = CaseStudy(
        organisation=organisation, title=payload.case.title, category=category,
        measures=[m.model_dump() for m in payload.case.measures], capital_eur=payload.case.capital_eur,
        yearly_eur=payload.case.yearly_eur, risk_profile=[r.model_dump() for r in payload.case.risk_profile],
        outcome=payload.case.outcome, lessons=payload.case.lessons, distribution=bundle.distribution,
        include_geometry=payload.redaction.include_geometry, include_names=payload.redaction.include_names,
        include_exact_location=payload.redaction.include_exact_location, place=place,
        imported_from_installation=str(bundle.installation),
        imported_from_organisation=names.organisation if names is not None else "",
        bundle_sha256=read.sha256, imported_at=timezone.now(), created_by=user)
    try:
        with transaction.atomic(), acting_as(user):
            case.save()
            case.threats.set(threats)
    except IntegrityError as exc:  # the same bundle imported at the same moment by a colleague
        raise BundleError([_("This bundle was already imported; nothing was imported again.")]) from exc
    return case
