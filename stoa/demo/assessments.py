"""Load the demo city's vulnerability assessments (``valmont-assessments.yaml``).

Runs inside the demo city's transaction, after its sites and users exist. Each assessment is made the
way a team would make it in Stoa: created by the service (frozen risk matrix, ten scenarios), answers
checked by the question pages' own rule, disagreements settled by the lead, ratings checked against the
matrix (an override carries its justification), then submitted by the lead and signed off by someone
else through the workflow. A re-assessment starts as the workflow's copy of the earlier one.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from pydantic import ValidationError as SchemaError

from stoa.assessments import workflow
from stoa.assessments.answers import clean_value
from stoa.assessments.merge import settle
from stoa.assessments.models import (
    Answer,
    AnswerSource,
    Assessment,
    ExistingMeasure,
    Objective,
    Requirement,
    Scenario,
    TeamMember,
)
from stoa.assessments.proposals import question_objects, refresh_proposals
from stoa.assessments.services import create_assessment
from stoa.demo.assessment_schema import AssessmentSpec, DemoAssessments, ScenarioSpec
from stoa.library.models import ReferenceObject
from stoa.sites.models import Site

ASSESSMENTS_FILE = Path(__file__).with_name("valmont-assessments.yaml")


class DemoAssessmentError(Exception):
    """An entry of the demo assessments file is wrong; the message names it."""


def read_assessments_file(path: Path = ASSESSMENTS_FILE) -> DemoAssessments:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return DemoAssessments.model_validate(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise DemoAssessmentError(f"{path.name}: cannot read the file ({exc})") from exc
    except SchemaError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'file'}: {e['msg']}" for e in exc.errors())
        raise DemoAssessmentError(f"{path.name}: {problems}") from exc


def load_assessments(sites: dict[str, Site], today: datetime.date,
                     path: Path = ASSESSMENTS_FILE) -> list[Assessment]:
    """Write the file's assessments for SITES (demo site key → Site). Raises DemoAssessmentError."""
    spec = read_assessments_file(path)
    made: dict[str, Assessment] = {}
    for entry in spec.assessments:
        try:
            made[entry.key] = _write(entry, sites, made, today)
        except ValidationError as exc:
            raise DemoAssessmentError(f"assessment {entry.key}: {'; '.join(exc.messages)}") from exc
    return list(made.values())


def _user(username: str | None, where: str) -> Any:
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise DemoAssessmentError(f"{where}: there is no demo user {username!r}")
    return user


def _write(spec: AssessmentSpec, sites: dict[str, Site], made: dict[str, Assessment],
           today: datetime.date) -> Assessment:
    where = f"assessment {spec.key}"
    if spec.site not in sites:
        raise DemoAssessmentError(f"{where}: no demo site {spec.site!r}")
    lead = _user(spec.lead, where)
    date = today - datetime.timedelta(days=spec.days_ago)
    if spec.reassessment_of:
        assessment = workflow.reassess(made[spec.reassessment_of], lead)
        Assessment.objects.filter(pk=assessment.pk).update(date=date)
        assessment.refresh_from_db()
    else:
        assessment = create_assessment(sites[spec.site], user=lead, date=date, depth=spec.depth,
                                       managing_body=spec.managing_body, lead=lead)
    for member in spec.team:
        TeamMember(assessment=assessment, name=member.name, organisation_name=member.organisation,
                   role=member.role, user=_user(member.user, where)).save()
    _answers(assessment, spec, where)
    for measure in spec.measures:
        _measure(assessment, measure, where)
    refresh_proposals(assessment)
    for threat, scenario_spec in spec.scenarios.items():
        _scenario(assessment, threat, scenario_spec, where)
    if spec.accept_proposals:
        _accept_proposals(assessment, set(spec.scenarios))
    for objective in spec.objectives:
        _objective(assessment, objective, where)
    for option in spec.whatif:
        _whatif(assessment, option, lead, where)
    if spec.status in ("submitted", "signed_off"):
        workflow.submit(assessment, lead)
    if spec.status == "signed_off":
        workflow.sign_off(assessment, _user(spec.signed_off_by, where))
    _backdate(assessment, date)
    return assessment


def _whatif(assessment: Assessment, spec: Any, lead: Any, where: str) -> None:
    from stoa.catalogue.models import WhatIfOption

    option = WhatIfOption(assessment=assessment, organisation_id=assessment.organisation_id, name=spec.name,
                          notes=spec.notes, measures=spec.measures, created_by=lead)
    try:
        option.full_clean(exclude=["organisation"])
    except ValidationError as exc:
        raise DemoAssessmentError(f"{where}, what-if option {spec.name!r}: {' '.join(exc.messages)}") from exc
    option.save()


def _answers(assessment: Assessment, spec: AssessmentSpec, where: str) -> None:
    questions = {q.ref_id: q for q in question_objects(assessment)}
    for username, answers in spec.answers.items():
        assessor = _user(username, where)
        for ref_id, raw in answers.items():
            if ref_id not in questions:
                raise DemoAssessmentError(f"{where}: question {ref_id} is not asked at this depth")
            try:
                value = clean_value(questions[ref_id].data, raw, site=assessment.site)
            except ValidationError as exc:
                raise DemoAssessmentError(f"{where}, {username}, {ref_id}: {' '.join(exc.messages)}") from exc
            Answer.objects.update_or_create(
                assessment=assessment, question=ref_id, assessor=assessor,
                defaults={"value": value, "source": AnswerSource.WEB, "organisation_id": assessment.organisation_id})
    for ref_id, settled in spec.settled.items():
        if ref_id not in questions:
            raise DemoAssessmentError(f"{where}: settled question {ref_id} is not asked at this depth")
        settle(assessment, ref_id, clean_value(questions[ref_id].data, settled.value, site=assessment.site),
               _user(spec.lead, where), settled.note)


def _reference(kind: str, ref_id: str | None, where: str) -> ReferenceObject | None:
    if not ref_id:
        return None
    found = ReferenceObject.objects.filter(kind=kind, ref_id=ref_id).first()
    if found is None:
        raise DemoAssessmentError(f"{where}: unknown {kind} {ref_id!r}")
    return found


def _measure(assessment: Assessment, spec: Any, where: str) -> None:
    measure = ExistingMeasure(
        assessment=assessment, description=spec.description, nature=spec.nature, timing=spec.timing,
        technology_category=_reference("technology_category", spec.technology_category, where),
        threats=spec.threats, geometry=spec.location, catalogue_key=spec.catalogue,
        barrier_rating=spec.barrier_rating)
    measure.full_clean(exclude=["organisation"])
    measure.save()


def _scenario(assessment: Assessment, threat: str, spec: ScenarioSpec, where: str) -> None:
    scenario = Scenario.objects.filter(assessment=assessment, threat__ref_id=threat).first()
    if scenario is None:
        raise DemoAssessmentError(f"{where}: unknown threat type {threat!r}")
    scenario.narrative = spec.narrative or scenario.narrative
    scenario.attack_phase = _reference("attack_phase", spec.phase, where) or scenario.attack_phase
    scenario.location = spec.location or scenario.location
    scenario.geometry = spec.geometry or scenario.geometry
    scenario.time_slot = spec.time_slot or scenario.time_slot
    scenario.not_applicable = spec.not_applicable is not None
    scenario.not_applicable_reason = spec.not_applicable or ""
    if spec.rating == "proposed":
        scenario.likelihood, scenario.consequence = scenario.proposed_likelihood, scenario.proposed_consequence
        scenario.override_justification = ""
    elif spec.rating is not None:
        scenario.likelihood, scenario.consequence = spec.rating
        scenario.override_justification = spec.justification
    scenario.full_clean(exclude=["organisation"])
    scenario.save()


def _accept_proposals(assessment: Assessment, listed: set[str]) -> None:
    for scenario in assessment.scenarios.select_related("threat"):
        if scenario.threat.ref_id in listed or scenario.not_applicable or not scenario.rated:
            continue
        scenario.likelihood, scenario.consequence = scenario.proposed_likelihood, scenario.proposed_consequence
        scenario.override_justification = ""
        scenario.full_clean(exclude=["organisation"])
        scenario.save()


def _objective(assessment: Assessment, spec: Any, where: str) -> None:
    objective = Objective.objects.create(assessment=assessment, title=spec.title, description=spec.description)
    scenarios = list(Scenario.objects.filter(assessment=assessment, threat__ref_id__in=spec.scenarios))
    if len(scenarios) != len(set(spec.scenarios)):
        raise DemoAssessmentError(f"{where}: objective {spec.title!r} names an unknown threat type")
    objective.scenarios.set(scenarios)
    for item in spec.requirements:
        requirement = Requirement(assessment=assessment, objective=objective, text=item.text, scope=item.scope,
                                  priority=item.priority, threats=item.threats, criterion=item.criterion,
                                  limit=item.limit)
        requirement.full_clean(exclude=["organisation"])
        requirement.save()


def _backdate(assessment: Assessment, date: datetime.date) -> None:
    """The workflow stamps 'now'; the demo's story happened on the assessment's date."""
    moment = datetime.datetime.combine(date + datetime.timedelta(days=2), datetime.time(10, 0),
                                       tzinfo=datetime.UTC)
    stamps = {field: moment + datetime.timedelta(days=offset)
              for field, offset in (("submitted_at", 0), ("signed_off_at", 5))
              if getattr(assessment, field) is not None}
    if stamps:
        Assessment.objects.filter(pk=assessment.pk).update(**stamps)
