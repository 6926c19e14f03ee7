"""A small organisation with one of everything the API serves, for the schemathesis run.

``home`` owns a site with its parts, an assessment with objectives and a plan, an evaluation with its
panel, an RFI with an invited vendor's answer (and its attachment), a finished plan's case study, a
report and an optimisation run. ``away`` is a second city whose administrator must see none of it.
The ids of what was made are found afterwards through the API's own list calls (``collect_ids``), so
every path template with a parameter gets an id that exists.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from auditlog.context import disable_auditlog
from django.core.files.base import ContentFile
from django.utils import timezone

from stoa.accounts.api_tokens import create_token
from stoa.assessments.models import Answer, Objective, Requirement, SettledAnswer
from stoa.catalogue.models import LocalMeasure
from stoa.evaluation.models import Alternative, CriteriaSet, Expert, Score, Weighting
from stoa.plans.models import OptimisationRun
from stoa.procurement.models import Clarification, Demonstration, RfiRequirement, SubmissionAttachment
from stoa.reports.models import ReportJob
from stoa.sites.models import Attachment
from tests import factories
from tests.assessment_samples import QUESTIONS
from tests.case_samples import make_case, make_finished_plan
from tests.catalogue_samples import measure_data
from tests.evaluation_samples import make_evaluation, make_rfi, make_submission, make_vendor, small_criteria
from tests.plan_samples import make_plan_world

PNG = factories.PNG  # a real picture: uploads are re-encoded
PDF = b"%PDF-1.4\n" + b"0" * 32

# The callers, by the role they play: who they are is what the fuzz is run as.
ROLE_USERS = {"admin": ("home", "admin"), "officer": ("home", "security_officer"),
              "viewer": ("home", "viewer"), "outsider": ("away", "admin")}


@dataclass
class FuzzWorld:
    tokens: dict[str, str]  # role name → API token
    slugs: dict[str, str]  # organisation key → slug
    ids: dict[str, str] = field(default_factory=dict)  # list path template → the id of one row in it


def build_world() -> FuzzWorld:
    with disable_auditlog():
        home = factories.make_org(name="Fuzz Home", slug="fuzz-home")
        away = factories.make_org(name="Fuzz Away", slug="fuzz-away")
        third = factories.make_org(name="Fuzz Third", slug="fuzz-third")
        users = {role: factories.make_user(home if where == "home" else away, member_role)
                 for role, (where, member_role) in ROLE_USERS.items()}
        world = make_plan_world(home, name="Fuzz Square")
        site, assessment, plan = world["site"], world["assessment"], world["plan"]
        factories.make_zone(site)
        factories.make_access_point(site)
        factories.make_crowd_slot(site)
        factories.make_event(site)
        factories.share(site, third)
        photo = Attachment(site=site, organisation_id=site.organisation_id, kind="photo", title="North side",
                           content_type="image/png", size=len(PNG))
        photo.file.save("north.png", ContentFile(PNG), save=False)
        photo.save()

        question = QUESTIONS[0]["ref_id"]
        Answer.objects.create(assessment=assessment, question=question, assessor=users["officer"], value="yes")
        SettledAnswer.objects.create(assessment=assessment, question=question, value="yes", note="Seen on site.")
        objective = Objective.objects.create(assessment=assessment, title="Keep vehicles out")
        Requirement.objects.create(assessment=assessment, objective=objective, text="Crash-rated barriers")
        LocalMeasure.objects.create(organisation=home, name="Planters", description="Heavy planters.",
                                    data=measure_data())
        CriteriaSet.objects.create(organisation=home, name="Ours", data=small_criteria())

        evaluation = make_evaluation(assessment)
        expert = Expert.objects.create(evaluation=evaluation, name="Ana", conflicts="none")
        alternative = Alternative.objects.create(evaluation=evaluation, name="Bollards")
        Score.objects.create(evaluation=evaluation, criterion="EFFECT", value=4, expert=expert,
                             alternative=alternative)
        Weighting.objects.create(evaluation=evaluation, method="direct", inputs={"points": {"EFFECT": 1}},
                                 weights={"EFFECT": 1.0})

        vendor, _vendor_user = make_vendor("Fuzz Barriers", "fuzz-barriers")
        rfi = make_rfi(assessment, evaluation=evaluation, invite=[vendor])
        RfiRequirement.objects.create(rfi=rfi, text="Crash rated")
        Clarification.objects.create(rfi=rfi, asked_by=vendor, question="Removable bollards?")
        answer = make_submission(rfi, vendor, status="submitted")
        datasheet = SubmissionAttachment(submission=answer, name="Crash test", content_type="application/pdf",
                                         size=len(PDF))
        datasheet.file.save("crash.pdf", ContentFile(PDF), save=False)
        datasheet.save()
        Alternative.objects.create(evaluation=evaluation, name=answer.solution, submission=answer, shortlisted=True)
        Demonstration.objects.create(rfi=rfi, submission=answer,
                                     starts_at=timezone.now() + datetime.timedelta(days=30))

        make_case(make_finished_plan(home, site_name="Fuzz Place"), users["admin"])
        report = ReportJob(organisation=home, kind="action_plan", format="pdf", plan=plan, created_by=users["admin"],
                           status="done", progress=100)
        report.file.save("plan.pdf", ContentFile(PDF), save=False)
        report.save()
        OptimisationRun.objects.create(organisation=home, name="This year", budget_eur=100_000)

    tokens = {role: create_token(user, f"fuzz {role}")[1] for role, user in users.items()}
    return FuzzWorld(tokens=tokens, slugs={"home": home.slug, "away": away.slug})


def collect_ids(world: FuzzWorld, client: Any, list_paths: list[str]) -> None:
    """Fill WORLD.ids from each list path (parents first), as the home administrator sees them."""
    auth = {"HTTP_AUTHORIZATION": f"Token {world.tokens['admin']}"}
    for template in sorted(list_paths, key=lambda p: p.count("{")):
        path = fill_path(template, world)
        if path is None:
            continue
        response = client.get(path, **auth)
        if response.status_code != 200 or "json" not in response.get("Content-Type", ""):
            continue
        data = response.json()
        rows = data.get("results", data) if isinstance(data, dict) else data
        if isinstance(rows, list) and rows and isinstance(rows[0], dict):
            key = "key" if "key" in rows[0] and "id" not in rows[0] else "id"
            if key in rows[0]:
                world.ids.setdefault(template, str(rows[0][key]))


# Detail routes whose rows are listed under another path.
_LISTED_UNDER = {"/api/v1/plan-measures/": "/api/v1/plans/{plan_pk}/measures/"}


def path_values(template: str, world: FuzzWorld) -> dict[str, str] | None:
    """The value of each parameter of TEMPLATE in WORLD, or None when one is not known (yet)."""
    segments = template.strip("/").split("/")
    values: dict[str, str] = {}
    for i, segment in enumerate(segments):
        if not (segment.startswith("{") and segment.endswith("}")):
            continue
        name = segment[1:-1]
        if name == "slug":
            values[name] = world.slugs["home"]
            continue
        collection = "/" + "/".join(segments[:i]) + "/"  # the list the parameter picks a row of
        collection = _LISTED_UNDER.get(collection, collection)
        if collection not in world.ids:
            return None
        values[name] = world.ids[collection]
    return values


def fill_path(template: str, world: FuzzWorld) -> str | None:
    values = path_values(template, world)
    if values is None:
        return None
    path = template
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    return path
