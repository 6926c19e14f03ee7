"""Evaluation pages (stoa.evaluation): every step of one evaluation of the world's assessment.

An evaluation follows its assessment's site for access, like the assessment: seeing a step needs
``view``, changing it ``change``, removing the evaluation ``delete`` (never granted by a share).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from stoa.accounts.roles import Action
from stoa.evaluation.models import Alternative, Expert
from tests.assessment_pages import Page
from tests.evaluation_samples import make_evaluation


def extend_world(world: dict[str, Any]) -> dict[str, Any]:
    evaluation = make_evaluation(world["assessment"])  # small criteria tree, no library load: keep it light
    alternative = Alternative.objects.create(evaluation=evaluation, name="Planters")
    expert = Expert.objects.create(evaluation=evaluation, name="A. Expert", conflicts="none")
    return {"evaluation": evaluation, "alternative": alternative, "expert": expert}


def _on(name: str) -> Any:
    return lambda w: reverse(f"evaluation:{name}", args=[w["evaluation"].pk])


PAGES: list[Page] = [
    Page("evaluation-list", lambda w: reverse("evaluation:list"), Action.VIEW, org_level=True),
    Page("evaluation-create-form", lambda w: reverse("evaluation:create") + f"?assessment={w['assessment'].pk}",
         Action.CHANGE),
    Page("evaluation-create-post", lambda w: reverse("evaluation:create") + f"?assessment={w['assessment'].pk}",
         Action.CHANGE, ok=400, method="post"),
    Page("evaluation", _on("detail"), Action.VIEW),
    Page("evaluation-settings-form", _on("edit"), Action.CHANGE),
    Page("evaluation-settings-post", _on("edit"), Action.CHANGE, ok=400, method="post"),
    Page("evaluation-delete-confirm", _on("delete"), Action.DELETE),
    Page("evaluation-criteria", _on("criteria"), Action.VIEW),
    Page("evaluation-criteria-post", _on("criteria"), Action.CHANGE, ok=400, method="post",
         data={"min_EFFECT": "many"}),
    Page("evaluation-weights", _on("weights"), Action.VIEW),
    Page("evaluation-weights-post", _on("weights"), Action.CHANGE, ok=400, method="post",
         data={"method": "direct", "points_EFFECT": "0"}),
    Page("evaluation-alternatives", _on("alternatives"), Action.VIEW),
    Page("evaluation-alternatives-post", _on("alternatives"), Action.CHANGE, ok=400, method="post",
         data={"add": "hand"}),
    Page("evaluation-shortlist", _on("shortlist"), Action.CHANGE, ok=302, method="post"),
    Page("evaluation-stage", _on("stage"), Action.CHANGE, ok=302, method="post", data={"stage": "rfi"}),
    Page("evaluation-alternative-delete", lambda w: reverse("evaluation:alternative-delete",
                                                            args=[w["alternative"].pk]), Action.CHANGE),
    Page("evaluation-panel", _on("panel"), Action.VIEW),
    Page("evaluation-panel-post", _on("panel"), Action.CHANGE, ok=400, method="post"),
    Page("evaluation-expert-delete", lambda w: reverse("evaluation:expert-delete", args=[w["expert"].pk]),
         Action.CHANGE),
    Page("evaluation-scores", _on("scores"), Action.VIEW),
    Page("evaluation-score-sheet", lambda w: reverse("evaluation:score-sheet", args=[
        w["evaluation"].pk, w["expert"].pk, w["alternative"].pk]), Action.CHANGE),
    Page("evaluation-sensitivity", _on("sensitivity"), Action.VIEW),
    Page("evaluation-rerank", lambda w: reverse("evaluation:rerank", args=[w["evaluation"].pk])
         + "?criterion=EFFECT&weight=40", Action.VIEW),
    Page("evaluation-freeze-form", _on("freeze"), Action.CHANGE),
    Page("evaluation-freeze-post", _on("freeze"), Action.CHANGE, ok=400, method="post", data={"rationale": ""}),
    Page("evaluation-record", _on("record"), Action.VIEW, ok=302),
    Page("evaluation-matrix-xlsx", _on("matrix-xlsx"), Action.VIEW),
]
