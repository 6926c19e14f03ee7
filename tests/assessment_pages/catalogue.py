"""Gap analysis and what-if options of an assessment (stoa.catalogue).

Both reports need ``view`` on the assessment; drawing up an option needs ``change`` on it (it is
planning on the assessment's site), and removing one ``delete``, as the role map says.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from stoa.accounts.roles import Action
from stoa.catalogue.models import WhatIfOption
from tests.assessment_pages import Page
from tests.catalogue_samples import make_measure


def extend_world(world: dict[str, Any]) -> dict[str, Any]:
    measure = make_measure(with_reference=False)  # every case of the matrix builds this world: keep it light
    option = WhatIfOption.objects.create(assessment=world["assessment"], name="Bollards", measures=[measure.urn])
    return {"option": option, "catalogue_measure": measure}


PAGES: list[Page] = [
    Page("gaps", lambda w: reverse("catalogue:gaps", args=[w["assessment"].pk]), Action.VIEW),
    Page("whatifs", lambda w: reverse("catalogue:whatifs", args=[w["assessment"].pk]), Action.VIEW),
    Page("whatif-create-form", lambda w: reverse("catalogue:whatif-create", args=[w["assessment"].pk]),
         Action.CHANGE),
    Page("whatif-create-post", lambda w: reverse("catalogue:whatif-create", args=[w["assessment"].pk]),
         Action.CHANGE, ok=400, method="post"),
    Page("whatif", lambda w: reverse("catalogue:whatif", args=[w["option"].pk]), Action.VIEW),
    Page("whatif-edit-form", lambda w: reverse("catalogue:whatif-edit", args=[w["option"].pk]), Action.CHANGE),
    Page("whatif-edit-post", lambda w: reverse("catalogue:whatif-edit", args=[w["option"].pk]), Action.CHANGE,
         ok=302, method="post", data={"name": "Bollards and planters"}),
    Page("whatif-delete-confirm", lambda w: reverse("catalogue:whatif-delete", args=[w["option"].pk]),
         Action.DELETE),
    Page("whatif-delete-post", lambda w: reverse("catalogue:whatif-delete", args=[w["option"].pk]), Action.DELETE,
         ok=302, method="post"),
]
