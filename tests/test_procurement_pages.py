"""RFI pages by role: the city's side, the vendors' portal, documents and attachments.

Vendors see only what the models let them (404 for the city's assessment, another vendor's answer
and its files, an RFI they were not invited to, a draft); the city's viewer sees but cannot act
(403); an outsider city sees nothing (404). Actions refused by the RFI's state answer 409 with the
reason, invalid forms 400.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from stoa.accounts.roles import ROLE_ACTIONS, Action, Role
from stoa.assessments.models import Objective, Requirement
from stoa.evaluation.models import Alternative, CriteriaSet, Expert, Score
from stoa.procurement import services
from stoa.procurement.models import (
    Clarification,
    Demonstration,
    Rfi,
    RfiRequirement,
    Submission,
    SubmissionAttachment,
    SubmissionStatus,
    Visibility,
)
from tests import factories
from tests import test_procurement_rules as rules
from tests.evaluation_samples import make_rfi, make_submission, small_criteria

pytestmark = pytest.mark.django_db

# The rules' fixtures (a city assessment, three vendors, an RFI inviting two) and their submit helper.
_fast, assessment, vendors, rfi, submitted = rules._fast, rules.assessment, rules.vendors, rules.rfi, rules.submitted

PDF = b"%PDF-1.4\n% test report\n"


def _as(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


def _attach(answer: Submission) -> SubmissionAttachment:
    return SubmissionAttachment.objects.create(submission=answer, name="report.pdf", content_type="application/pdf",
                                               size=len(PDF), file=SimpleUploadedFile("report.pdf", PDF))


def _post(client: Any, name: str, *args: Any, **data: Any) -> Any:
    return client.post(reverse(f"procurement:{name}", args=args), data)


def test_a_vendor_gets_404_for_the_citys_assessment_another_vendors_answer_and_its_file(client, rfi, vendors):
    theirs = make_submission(rfi, vendors["b"]["org"])
    attachment = _attach(theirs)
    services.submit(theirs, None)
    client = _as(client, vendors["a"]["user"])
    assert client.get(reverse("assessments:detail", args=[rfi.assessment_id])).status_code == 404
    assert client.get(reverse("procurement:submission", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("procurement:attachment", args=[attachment.pk])).status_code == 404
    assert client.get(reverse("procurement:detail", args=[rfi.pk])).status_code == 200


def test_a_vendor_gets_404_for_an_rfi_it_was_not_invited_to_and_for_a_draft_but_sees_a_public_one(
        client, assessment, rfi, vendors):
    draft = make_rfi(assessment, published=False, invite=[vendors["a"]["org"]], title="Draft")
    public = make_rfi(assessment, visibility=Visibility.PUBLIC, title="Public")
    outsider_vendor = _as(client, vendors["c"]["user"])
    assert outsider_vendor.get(reverse("procurement:detail", args=[rfi.pk])).status_code == 404
    assert outsider_vendor.get(reverse("procurement:document-md", args=[rfi.pk])).status_code == 404
    page = outsider_vendor.get(reverse("procurement:detail", args=[public.pk]))
    assert page.status_code == 200 and "Answer" in page.content.decode()
    invited = _as(client, vendors["a"]["user"])
    assert invited.get(reverse("procurement:detail", args=[draft.pk])).status_code == 404


def test_the_citys_viewer_sees_the_rfi_but_cannot_publish_or_shortlist(client, org, assessment):
    draft = make_rfi(assessment, published=False)
    viewer = _as(client, factories.make_user(org, "viewer"))
    page = viewer.get(reverse("procurement:detail", args=[draft.pk]))
    assert page.status_code == 200 and reverse("procurement:publish", args=[draft.pk]) not in page.content.decode()
    assert _post(viewer, "publish", draft.pk).status_code == 403
    assert _post(viewer, "shortlist", draft.pk).status_code == 403
    assert _post(viewer, "requirement-add", draft.pk, **{"req-text": "x"}).status_code == 403


@pytest.mark.parametrize("role", Role.values)
def test_every_city_role_sees_the_rfi_and_only_those_who_may_change_publish_it(client, org, assessment, role):
    draft = make_rfi(assessment, published=False)
    RfiRequirement.objects.create(rfi=draft, text="Stops a 7.5 t truck at 48 km/h.")
    client = _as(client, factories.make_user(org, role))
    assert client.get(reverse("procurement:detail", args=[draft.pk])).status_code == 200
    may = Action.CHANGE in ROLE_ACTIONS[role]
    assert _post(client, "publish", draft.pk).status_code == (302 if may else 403)
    draft.refresh_from_db()
    assert (draft.status == "published") == may


def test_an_outsider_city_gets_404_on_everything(client, rfi, vendors, outsider):
    answer = submitted(rfi, vendors["a"]["org"])
    attachment = _attach(answer)
    client = _as(client, outsider)
    for name, pk in (("detail", rfi.pk), ("document-md", rfi.pk), ("document-pdf", rfi.pk), ("submission", answer.pk),
                     ("attachment", attachment.pk)):
        assert client.get(reverse(f"procurement:{name}", args=[pk])).status_code == 404, name
    for name, pk in (("publish", rfi.pk), ("cancel", rfi.pk), ("shortlist", rfi.pk), ("ask", rfi.pk)):
        assert _post(client, name, pk).status_code == 404, name
    assert client.get(reverse("procurement:list")).context["city_rfis"] == []


def test_a_vendor_drafts_attaches_and_submits_and_the_city_then_sees_it_screened(client, rfi, vendors, officer):
    RfiRequirement.objects.create(rfi=rfi, text="In operational use.", criterion="min_trl", limit="8")
    vendor = _as(client, vendors["a"]["user"])
    response = _post(vendor, "submission-create", rfi.pk, solution="Shallow bollards", description="Rated bollards.",
                     threats=["VEHICLE"], phases=["EXECUTION"], trl="6", timing="both", privacy_impact="none",
                     normal_use_impact="low", aesthetic_impact="low", accessibility_impact="none")
    answer = Submission.objects.get(rfi=rfi)
    assert response.status_code == 302 and answer.status == SubmissionStatus.DRAFT
    assert answer.organisation == vendors["a"]["org"] and answer.phases == ["EXECUTION"]
    fake = SimpleUploadedFile("report.pdf", b"just text, not a PDF")
    assert vendor.post(reverse("procurement:attachment-add", args=[answer.pk]), {"att-file": fake}).status_code == 400
    real = SimpleUploadedFile("scan.png", PDF)  # the content decides, not the name
    assert vendor.post(reverse("procurement:attachment-add", args=[answer.pk]), {"att-file": real}).status_code == 302
    attachment = answer.attachments.get()
    assert attachment.content_type == "application/pdf" and attachment.name == "scan.pdf"
    city = factories.make_user(rfi.organisation, "viewer")
    client.force_login(city)
    assert client.get(reverse("procurement:attachment", args=[attachment.pk])).status_code == 404  # not submitted
    _as(client, vendors["a"]["user"])
    assert _post(client, "submission-submit", answer.pk).status_code == 302
    client.force_login(city)
    page = client.get(reverse("procurement:detail", args=[rfi.pk]))
    assert [a.pk for a in page.context["answers"]] == [answer.pk] and "Fails a must-have" in page.content.decode()
    download = client.get(reverse("procurement:attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_a_submission_after_the_deadline_is_refused_with_the_message_and_nothing_is_saved(client, assessment,
                                                                                         vendors):
    late = make_rfi(assessment, invite=[vendors["a"]["org"]], opens_at=timezone.now() - timedelta(days=20),
                    closes_at=timezone.now() - timedelta(minutes=5))
    answer = make_submission(late, vendors["a"]["org"])
    client = _as(client, vendors["a"]["user"])
    response = _post(client, "submission-submit", answer.pk)
    assert response.status_code == 409 and "has passed: answers are no longer accepted" in response.content.decode()
    answer.refresh_from_db()
    assert answer.status == SubmissionStatus.DRAFT and not Alternative.objects.filter(submission=answer).exists()
    new = _post(client, "submission-create", late.pk, solution="Late idea", description="Too late.")
    assert new.status_code == 409 and not Submission.objects.filter(solution="Late idea").exists()


def test_a_submitted_answer_can_no_longer_be_edited(client, rfi, vendors):
    answer = submitted(rfi, vendors["a"]["org"])
    client = _as(client, vendors["a"]["user"])
    response = _post(client, "submission-edit", answer.pk, solution="Changed", description="Changed.")
    assert response.status_code == 409 and "can no longer be edited" in response.content.decode()
    answer.refresh_from_db()
    assert answer.solution == "Shallow bollards"


def test_clarifications_asked_answered_and_shared_without_the_askers_name(client, rfi, vendors, officer):
    client = _as(client, vendors["a"]["user"])
    assert _post(client, "ask", rfi.pk, **{"q-question": "Are shallow foundations accepted?"}).status_code == 302
    question = Clarification.objects.get(rfi=rfi)
    assert question.asked_by == vendors["a"]["org"]
    client.force_login(vendors["b"]["user"])
    assert "shallow foundations" not in client.get(reverse("procurement:detail", args=[rfi.pk])).content.decode()
    client.force_login(officer)
    assert _post(client, "clarification-answer", question.pk, **{f"c-{question.pk}-answer": ""}).status_code == 400
    assert _post(client, "clarification-answer", question.pk,
                 **{f"c-{question.pk}-answer": "Yes, up to 30 cm."}).status_code == 302
    client.force_login(vendors["b"]["user"])
    html = client.get(reverse("procurement:detail", args=[rfi.pk])).content.decode()
    assert "shallow foundations" in html and "Yes, up to 30 cm." in html and "Barrier Works" not in html


def test_the_city_drafts_an_rfi_from_an_assessment_with_its_evaluation(client, org, assessment, officer):
    vehicle = assessment.scenarios.get(threat__ref_id="VEHICLE")
    vehicle.narrative = "A van enters through the unguarded north gate."
    vehicle.save()
    objective = Objective.objects.create(assessment=assessment, title="Stop vehicles")
    objective.scenarios.add(vehicle)
    Requirement.objects.create(assessment=assessment, objective=objective, text="Stops a 7.5 t truck.")
    own = CriteriaSet.objects.create(organisation=org, name="Small", data=small_criteria())
    client = _as(client, officer)
    form = client.get(reverse("procurement:create") + f"?assessment={assessment.pk}")
    assert form.status_code == 200 and form.context["form"].initial["scenarios"] == [str(vehicle.pk)]
    now = timezone.localtime()
    data = {"assessment": assessment.pk, "title": "Vehicle barriers", "reference": "RFI-1", "problem": "",
            "scenarios": [vehicle.pk], "criteria_source": f"own:{own.pk}", "visibility": "invited",
            "opens_at": f"{now:%Y-%m-%dT%H:%M}", "closes_at": f"{now + timedelta(days=9):%Y-%m-%dT%H:%M}"}
    assert client.post(reverse("procurement:create"), {**data, "scenarios": []}).status_code == 400
    response = client.post(reverse("procurement:create"), data)
    drafted = Rfi.objects.get()
    assert response.status_code == 302 and drafted.evaluation.criteria == small_criteria()
    assert list(drafted.requirements.values_list("text", flat=True)) == ["Stops a 7.5 t truck."]
    assert drafted.problem and "north gate" not in drafted.problem
    assert _post(client, "publish", drafted.pk).status_code == 302


def test_publishing_without_a_requirement_is_refused_on_the_page(client, assessment, officer):
    draft = make_rfi(assessment, published=False)
    response = _post(_as(client, officer), "publish", draft.pk)
    assert response.status_code == 409 and "at least one requirement" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_shortlist_demonstrations_and_the_demonstration_stage_from_the_rfi_page(client, rfi, vendors, officer):
    first = submitted(rfi, vendors["a"]["org"], solution="First")
    second = submitted(rfi, vendors["b"]["org"], solution="Second")
    client = _as(client, officer)
    assert _post(client, "demonstration-stage", rfi.pk).status_code == 409  # nothing shortlisted yet
    expert = Expert.objects.create(evaluation=rfi.evaluation, name="A. Expert", conflicts="none")
    for answer, effect in ((first, 5), (second, 3)):
        for criterion, value in (("EFFECT", effect), ("CAPITAL", 50000), ("PRIVACY", 4)):
            Score.objects.create(evaluation=rfi.evaluation, expert=expert, criterion=criterion, value=value,
                                 alternative=Alternative.objects.get(submission=answer))
    rfi.evaluation.shortlist_size = 1
    rfi.evaluation.save()
    assert _post(client, "shortlist", rfi.pk).status_code == 302
    assert list(Alternative.objects.filter(shortlisted=True).values_list("submission_id", flat=True)) == [first.pk]
    demo = {"demo-starts_at": "2030-05-01T10:00", "demo-duration_minutes": "90", "demo-mode": "live"}
    assert _post(client, "demonstration-add", rfi.pk, **demo, **{"demo-submission": second.pk}).status_code == 400
    assert _post(client, "demonstration-add", rfi.pk, **demo, **{"demo-submission": first.pk}).status_code == 302
    assert Demonstration.objects.get().submission == first
    assert _post(client, "shortlist-toggle", rfi.pk, second.pk, shortlisted="1").status_code == 302
    assert _post(client, "demonstration-stage", rfi.pk).status_code == 302
    rfi.evaluation.refresh_from_db()
    assert rfi.evaluation.stage == "demonstration"


def test_lists_and_landing_the_vendor_sees_open_until_and_its_answers_the_city_its_counts(client, rfi, vendors,
                                                                                        officer):
    submitted(rfi, vendors["a"]["org"])
    client = _as(client, vendors["a"]["user"])
    assert client.get(reverse("home"))["Location"] == reverse("procurement:list")
    html = client.get(reverse("procurement:list")).content.decode()
    assert "open until" in html and "1 submitted" in html and "Answers received" not in html
    client.force_login(officer)
    listed = client.get(reverse("procurement:list"))
    assert [(r.pk, r.answers) for r in listed.context["city_rfis"]] == [(rfi.pk, 1)]


def test_an_invited_vendor_downloads_the_rfi_document(client, rfi, vendors):
    client = _as(client, vendors["a"]["user"])
    markdown = client.get(reverse("procurement:document-md", args=[rfi.pk]))
    assert markdown.status_code == 200 and rfi.title in markdown.content.decode()
    assert markdown["X-Classification"] == "OFFICIAL-SENSITIVE"


def test_every_form_page_renders_for_whoever_may_use_it(client, assessment, rfi, vendors, officer):
    draft = make_rfi(assessment, published=False)
    requirement = RfiRequirement.objects.create(rfi=draft, text="Stops a 7.5 t truck.")
    answer = make_submission(rfi, vendors["a"]["org"])
    _attach(answer)
    client = _as(client, officer)
    for name, pk in (("edit", draft.pk), ("requirement-edit", requirement.pk), ("detail", draft.pk)):
        assert client.get(reverse(f"procurement:{name}", args=[pk])).status_code == 200, name
    assert client.get(reverse("procurement:edit", args=[rfi.pk])).status_code == 409  # published: no longer a draft
    client.force_login(vendors["a"]["user"])
    for name, pk in (("submission-create", rfi.pk), ("submission-edit", answer.pk), ("submission", answer.pk)):
        page = client.get(reverse(f"procurement:{name}", args=[pk]))
        assert page.status_code == 200, name
    assert "report.pdf" in page.content.decode()
    client.force_login(factories.make_user(vendors["a"]["org"], "viewer"))
    assert client.get(reverse("procurement:submission", args=[answer.pk])).status_code == 200
    assert client.get(reverse("procurement:submission-edit", args=[answer.pk])).status_code == 403
    assert client.get(reverse("procurement:submission-create", args=[rfi.pk])).status_code == 403


@pytest.mark.parametrize("name", ["list", "create"])
def test_anonymous_visitors_are_sent_to_log_in(client, name):
    response = client.get(reverse(f"procurement:{name}"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
