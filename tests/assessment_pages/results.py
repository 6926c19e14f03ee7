"""Results-side pages: the city heat map, objectives and requirements (road-map step 3).

Reading needs ``view`` on the assessment; adding, changing or removing an objective or a
requirement edits the assessment, so it needs ``change`` (as recording a measure does).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from stoa.accounts.roles import Action
from stoa.assessments.models import Objective, Requirement
from tests.assessment_pages import Page


def extend_world(world: dict[str, Any]) -> dict[str, Any]:
    objective = Objective.objects.create(assessment=world["assessment"], title="Stop vehicles entering the market")
    requirement = Requirement.objects.create(assessment=world["assessment"], objective=objective,
                                             text="Stops a 7.5 t truck at 48 km/h", threats=["VEHICLE"])
    return {"objective": objective, "requirement": requirement}


PAGES: list[Page] = [
    Page("city", lambda w: reverse("assessments:city"), Action.VIEW, org_level=True),
    Page("objectives", lambda w: reverse("assessments:objectives", args=[w["assessment"].pk]), Action.VIEW),
    Page("objective-add", lambda w: reverse("assessments:objective-add", args=[w["assessment"].pk]),
         Action.CHANGE, ok=400, method="post"),
    Page("objective-edit-form", lambda w: reverse("assessments:objective-edit", args=[w["objective"].pk]),
         Action.CHANGE),
    Page("objective-edit-post", lambda w: reverse("assessments:objective-edit", args=[w["objective"].pk]),
         Action.CHANGE, ok=302, method="post", data={"title": "Keep vehicles out"}),
    Page("objective-remove", lambda w: reverse("assessments:objective-remove", args=[w["objective"].pk]),
         Action.CHANGE, ok=302, method="post"),
    Page("requirement-add", lambda w: reverse("assessments:requirement-add", args=[w["objective"].pk]),
         Action.CHANGE, ok=400, method="post"),
    Page("requirement-edit-form", lambda w: reverse("assessments:requirement-edit", args=[w["requirement"].pk]),
         Action.CHANGE),
    Page("requirement-edit-post", lambda w: reverse("assessments:requirement-edit", args=[w["requirement"].pk]),
         Action.CHANGE, ok=302, method="post", data={"text": "Stops a 3.5 t van", "scope": "general",
                                                    "priority": "desirable"}),
    Page("requirement-remove", lambda w: reverse("assessments:requirement-remove", args=[w["requirement"].pk]),
         Action.CHANGE, ok=302, method="post"),
]
