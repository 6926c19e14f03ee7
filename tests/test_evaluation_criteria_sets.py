"""The criteria set editor: copy a shipped or own set, edit its tree row by row, refusal of a bad tree,
and need-to-know (an own set is its organisation's only; viewers read, never change)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from stoa.evaluation.criteria import CriteriaTree, criteria_problems
from stoa.evaluation.forms_criteria import CriteriaSetEditor
from stoa.evaluation.models import CriteriaSet
from tests import factories
from tests.evaluation_samples import load_criteria_library, small_criteria

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def own_set(org: Any, **kw: Any) -> CriteriaSet:
    return CriteriaSet.objects.create(organisation=org, name=kw.pop("name", "Market set"),
                                      data=kw.pop("data", small_criteria()), **kw)


def submitted(criteria_set: CriteriaSet) -> dict[str, Any]:
    """What a browser sends back for the editor page left as it is."""
    editor = CriteriaSetEditor(criteria_set)
    data: dict[str, Any] = {}
    for form in [editor.form, *editor.groups, *editor.criteria, editor.groups.management_form,
                 editor.criteria.management_form]:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = value if isinstance(value, list) else ("on" if value is True else str(value))
    return data


def row(data: dict[str, Any], number: int, **fields: Any) -> dict[str, Any]:
    """DATA with criterion row NUMBER (0-based) set to FIELDS."""
    data = dict(data)
    data.update({f"criteria-{number}-{k}": v for k, v in fields.items()})
    return data


def test_a_shipped_set_is_listed_copied_and_saved_unchanged_in_the_library_shape(officer: Any) -> None:
    shipped = load_criteria_library()
    client = client_for(officer)
    page = client.get(reverse("evaluation:criteria-sets")).content.decode()
    assert shipped.label() in page and "Effect against the targeted threat" in page  # the tree, read-only
    create = reverse("evaluation:criteria-set-create") + f"?from={shipped.urn}"
    assert f'value="{shipped.label()} (copy)"' in client.get(create).content.decode()
    response = client.post(create, {"name": "Our TEF", "description": ""})
    copied = CriteriaSet.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("evaluation:criteria-set", args=[copied.pk])
    expected = {k: v for k, v in shipped.data.items() if k != "sources"}
    assert copied.based_on == shipped.urn and copied.data == expected and copied.created_by == officer
    # The editor, sent back untouched, stores exactly the loader's shape (anchor keys "1".."5", nulls).
    response = client.post(reverse("evaluation:criteria-set", args=[copied.pk]), submitted(copied))
    assert response.status_code == 302, response.content.decode()[:2000]
    copied.refresh_from_db()
    assert copied.data == expected and criteria_problems(copied.data) == []
    effect = CriteriaTree(copied.data).by_id["PERF_EFFECT"]
    assert effect.anchors[0] == (1, "No noticeable effect on the targeted scenario.")


def test_rows_add_a_measured_criterion_and_remove_one(officer: Any, org: Any) -> None:
    criteria_set = own_set(org)
    page = client_for(officer).get(reverse("evaluation:criteria-set", args=[criteria_set.pk])).content.decode()
    assert 'name="criteria-3-id"' in page and 'name="criteria-0-DELETE"' in page  # an empty row to add one
    data = submitted(criteria_set)
    data = row(data, 0, DELETE="on")  # EFFECT goes; PERFORMANCE is left empty and is dropped
    data = row(data, 3, group="cost", id="running", name_en="Running cost", name_fr="Coût annuel",
               description_en="Cost per year.", description_fr="Coût par an.", direction="cost",
               scale_type="measured", unit_en="euros a year", unit_fr="euros par an", worst="20000", best="0",
               knockout_max="15000", stages=["rfi"], suggest_from="yearly_eur", default_points="12.5")
    data["criteria-TOTAL_FORMS"] = "4"
    response = client_for(officer).post(reverse("evaluation:criteria-set", args=[criteria_set.pk]), data)
    assert response.status_code == 302
    criteria_set.refresh_from_db()
    tree = criteria_set.tree
    assert [g for g, _name, _members in tree.groups] == ["COST", "COMPLIANCY"]
    assert tree.ids == ["CAPITAL", "RUNNING", "PRIVACY"]
    running = criteria_set.data["groups"][0]["criteria"][1]
    assert running == {"id": "RUNNING", "name": {"en": "Running cost", "fr": "Coût annuel"},
                       "description": {"en": "Cost per year.", "fr": "Coût par an."}, "direction": "cost",
                       "scale": {"type": "measured", "unit": {"en": "euros a year", "fr": "euros par an"},
                                 "worst": 20000, "best": 0},
                       "knockout": {"min": None, "max": 15000}, "stages": ["rfi"], "suggest_from": "yearly_eur",
                       "default_points": 12.5}
    assert set(criteria_set.data["groups"][1]["criteria"][0]["scale"]["anchors"]) == {"1", "2", "3", "4", "5"}
    assert tree.by_id["PRIVACY"].anchors[4] == (5, "Level 5")


def test_a_bad_tree_is_refused_whole_with_the_schema_messages_at_the_top(officer: Any, org: Any) -> None:
    criteria_set = own_set(org)
    before = copy.deepcopy(criteria_set.data)
    data = row(submitted(criteria_set), 1, best="300000")  # a cost criterion whose best is above its worst
    data = row(data, 2, anchor_3_fr="")  # a level left out in French
    response = client_for(officer).post(reverse("evaluation:criteria-set", args=[criteria_set.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    summary = page.split("error-summary")[1].split("</div>")[0]
    assert "Nothing was saved" in summary
    assert "Criterion CAPITAL · scale: " in summary and "needs best below worst" in summary
    assert "Criterion PRIVACY · scale.anchors.3.fr" in summary
    criteria_set.refresh_from_db()
    assert criteria_set.data == before and criteria_set.name == "Market set"


def test_a_criterion_must_name_a_listed_group(officer: Any, org: Any) -> None:
    criteria_set = own_set(org)
    data = row(submitted(criteria_set), 2, group="NOWHERE")
    response = client_for(officer).post(reverse("evaluation:criteria-set", args=[criteria_set.pk]), data)
    assert response.status_code == 400 and "there is no group NOWHERE" in response.content.decode()


def test_an_own_set_is_copied_and_removed(officer: Any, org: Any) -> None:
    original = own_set(org, based_on="urn:stoa:criteria-set:tef-quick")
    client = client_for(officer)
    create = reverse("evaluation:criteria-set-create") + f"?from=own:{original.pk}"
    assert 'value="Market set (copy)"' in client.get(create).content.decode()
    client.post(create, {"name": "Market set (copy)", "description": "For the market"})
    copied = CriteriaSet.objects.get(name="Market set (copy)")
    assert copied.data == original.data and copied.based_on == original.based_on
    assert client.get(reverse("evaluation:criteria-set-delete", args=[copied.pk])).status_code == 200
    response = client.post(reverse("evaluation:criteria-set-delete", args=[copied.pk]))
    assert response.status_code == 302 and list(CriteriaSet.objects.all()) == [original]
    assert client.get(reverse("evaluation:criteria-set-create") + "?from=own:nonsense").status_code == 404


def test_only_members_see_an_own_set_and_viewers_only_read_it(officer: Any, viewer: Any, outsider: Any,
                                                               org: Any) -> None:
    criteria_set = own_set(org)
    edit = reverse("evaluation:criteria-set", args=[criteria_set.pk])
    delete = reverse("evaluation:criteria-set-delete", args=[criteria_set.pk])
    outsider_client = client_for(outsider)
    assert "Market set" not in outsider_client.get(reverse("evaluation:criteria-sets")).content.decode()
    assert outsider_client.get(edit).status_code == 404 and outsider_client.post(delete).status_code == 404
    assert outsider_client.get(reverse("evaluation:criteria-set-create") + f"?from=own:{criteria_set.pk}"
                               ).status_code == 404  # another organisation's set is no source
    viewer_client = client_for(viewer)
    page = viewer_client.get(edit)
    assert page.status_code == 200 and "<form method=\"post\" novalidate>" not in page.content.decode()
    assert viewer_client.post(edit, submitted(criteria_set)).status_code == 403
    assert viewer_client.post(delete).status_code == 403
    assert viewer_client.post(reverse("evaluation:criteria-set-create"), {"name": "x"}).status_code == 403
    assert CriteriaSet.objects.count() == 1
    assert client_for(officer).put(edit).status_code == 405
    assert client_for(factories.make_user(org, "assessor")).post(delete).status_code == 403
