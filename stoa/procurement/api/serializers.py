"""Serializers of the RFI API. Model rules run through ``ModelCleanSerializer`` (400, never 500).

What a vendor reads of an RFI is what the RFI says to the market: the links to the city's
assessment, its vulnerabilities and its evaluation read as null for anyone outside the city, and
who asked a clarification reads as null for everyone but the city and the vendor that asked.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.reverse import reverse

from stoa.accounts.models import Organisation, OrganisationKind
from stoa.accounts.roles import Action
from stoa.accounts.tenancy import can, memberships_of
from stoa.api.base import CallersOrganisationField, allowed, resolve_organisation
from stoa.api.serializers import ModelCleanSerializer
from stoa.assessments.api.serializers import VisibleAssessmentField
from stoa.assessments.models import Scenario
from stoa.evaluation.api.nested import Conflict, PartSerializer
from stoa.evaluation.sources import criteria_source
from stoa.procurement.drafting import next_reference, problem_statement, vulnerabilities
from stoa.procurement.forms import ATTACHMENT_REFUSAL, ATTACHMENT_TYPES
from stoa.procurement.models import (
    Clarification,
    Demonstration,
    Rfi,
    RfiInvitation,
    RfiRequirement,
    Submission,
    SubmissionAttachment,
    SubmissionStatus,
    Visibility,
)
from stoa.procurement.services import submission_window_problem
from stoa.web.uploads import accept_document

_STAMPS = ["id", "created_at", "updated_at"]
CITY_ONLY = _("Null unless you are a member of the city that wrote the RFI: vendors never see its assessment.")


def in_city(context: dict[str, Any], rfi: Rfi) -> bool:
    """Whether the caller sees RFI as a member of the organisation that wrote it."""
    request = context.get("request")
    return request is not None and rfi.organisation_id in memberships_of(request.user)


def answering_organisation(request: Any, rfi: Rfi, chosen: Organisation | None) -> Organisation:
    """The vendor the caller answers RFI for (CHOSEN, else their only or picked organisation): a vendor
    in which their role may add records, invited to RFI (or RFI is public); else 403."""
    organisation = resolve_organisation(request, chosen)
    invited = rfi.visibility == Visibility.PUBLIC or rfi.invitations.filter(vendor=organisation).exists()
    if organisation.kind != OrganisationKind.VENDOR or not can(request.user, Action.ADD, organisation) or not invited:
        raise PermissionDenied(_("Only members of an invited vendor organisation whose role may add records can ask "
                                 "or answer."))
    return organisation


class RfiSerializer(ModelCleanSerializer):
    """A request for information, drafted from an assessment's vulnerabilities: on creation it takes
    their threat types, the requirements of the objectives addressing them, a neutral problem
    statement (unless one is given) and an evaluation of its own with a copy of the criteria."""

    city = serializers.CharField(source="organisation.name", read_only=True, help_text=_("Who asks."))
    assessment = VisibleAssessmentField(allow_null=True, help_text=format_lazy(
        "{} {}", _("Id of the assessment; set on creation only."), CITY_ONLY))
    scenarios = serializers.PrimaryKeyRelatedField(many=True, queryset=Scenario.objects.none(), help_text=_(
        "On creation, ids of the assessment's vulnerabilities (scenarios) the solutions should address; the "
        "evaluation is for the most severe. Empty for vendors."))
    criteria_source = serializers.CharField(write_only=True, help_text=_(
        "On creation: the key of the evaluation criteria (see criteria-sources/)."))
    threats = serializers.ListField(child=serializers.CharField(), read_only=True,
                                    help_text=_("Threat type ids, from the vulnerabilities."))
    criteria = serializers.JSONField(read_only=True, help_text=_("The criteria answers are evaluated on."))
    # Plain strings, not choices: "status" already names the assessment's statuses in the schema.
    status = serializers.CharField(read_only=True, help_text=_("draft, published or cancelled."))
    phase = serializers.CharField(read_only=True, help_text=_("draft, scheduled, open, closed or cancelled."))
    clean_exclude = ("organisation", "assessment")

    class Meta:
        model = Rfi
        fields = [*_STAMPS, "city", "assessment", "scenarios", "evaluation", "criteria_source", "reference", "title",
                  "problem", "threats", "criteria", "opens_at", "closes_at", "visibility", "contact", "status", "phase",
                  "published_at"]
        read_only_fields = ["evaluation", "published_at"]
        extra_kwargs = {"problem": {"required": False}}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["evaluation"].allow_null = True
        fields["evaluation"].help_text = CITY_ONLY
        request = self.context.get("request")
        if request is not None:
            scenarios: Any = fields["scenarios"]
            scenarios.child_relation.queryset = Scenario.objects.for_user(request.user, Action.VIEW)
        fields["problem"].help_text = _("What vendors may know. Left out on creation, Stoa drafts it in neutral words "
                                        "from the kind of place and the threat types.")
        if self.instance is not None:
            fields["assessment"] = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True,
                                                                      help_text=CITY_ONLY)
            fields["scenarios"] = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
            fields.pop("criteria_source")
        return fields

    def to_representation(self, instance: Rfi) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not in_city(self.context, instance):
            data.update(assessment=None, evaluation=None, scenarios=[])
        return data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        scenarios, key = attrs.pop("scenarios", None), attrs.pop("criteria_source", None)
        if self.instance is None:
            assessment = attrs.get("assessment")
            if assessment is None:
                raise serializers.ValidationError({"assessment": [_("Give the id of the assessment.")]})
            if not can(self.context["request"].user, Action.CHANGE, assessment.organisation_id):
                raise PermissionDenied(_("Only the assessment's own organisation asks the market about it."))
            wanted = {s.pk for s in scenarios or []}
            chosen = [v.scenario for v in vulnerabilities(assessment) if v.scenario.pk in wanted]  # most severe first
            if not chosen or len(chosen) != len(wanted):
                raise serializers.ValidationError({"scenarios": [_(
                    "Choose at least one applicable vulnerability (scenario) of this assessment.")]})
            source = criteria_source(assessment.organisation, key or "")
            if source is None:
                raise serializers.ValidationError({"criteria_source": [_(
                    "No criteria set has the key %(key)s: choose one listed by criteria-sources/.") % {"key": key}]})
            attrs["problem"] = (attrs.get("problem") or "").strip() or problem_statement(assessment, chosen)
            attrs["reference"] = attrs.get("reference") or next_reference(assessment)
        attrs = super().validate(attrs)
        if self.instance is None:
            attrs.update(scenarios=chosen, source=source)
        return attrs


class VisibleRfiField(serializers.PrimaryKeyRelatedField):
    """An RFI the caller may see (others read as unknown); with ``action``, one they may take it on (else 403)."""

    def __init__(self, action: str | None = None, **kwargs: Any) -> None:
        self.action = action
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        return Rfi.objects.for_user(request.user, Action.VIEW) if request is not None else Rfi.objects.none()

    def to_internal_value(self, data: Any) -> Rfi:
        rfi = super().to_internal_value(data)
        if self.action and not allowed(self.context["request"].user, self.action, rfi):
            raise PermissionDenied(_("Your role does not allow changing this request for information."))
        return rfi


class RfiPartSerializer(PartSerializer):
    rfi: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    parent_name = "rfi"


class RfiRequirementSerializer(RfiPartSerializer):
    """A requirement as the market reads it: must-have (screens answers out) or desirable."""

    class Meta:
        model = RfiRequirement
        fields = [*_STAMPS, "rfi", "text", "priority", "criterion", "limit", "order"]
        extra_kwargs = {"order": {"required": False}}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and "order" not in attrs:
            attrs["order"] = self.context["parent"].requirements.count() + 1
        return super().validate(attrs)


class RfiInvitationSerializer(RfiPartSerializer):
    """A vendor organisation invited to answer: it then sees the published RFI."""

    vendor = serializers.SlugRelatedField(slug_field="slug", queryset=Organisation.objects.filter(
        kind=OrganisationKind.VENDOR), help_text=_("Short name of a vendor organisation."))
    vendor_name = serializers.CharField(source="vendor.name", read_only=True)

    class Meta:
        model = RfiInvitation
        fields = ["id", "created_at", "rfi", "vendor", "vendor_name"]
        validators: list[Any] = []  # one per vendor: checked in validate() with a clearer message

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.context["parent"].invitations.filter(vendor=attrs["vendor"]).exists():
            raise serializers.ValidationError({"vendor": [_("This vendor is already invited.")]})
        return super().validate(attrs)


class ClarificationSerializer(RfiPartSerializer):
    """A vendor's question and the city's answer; every vendor who may see the RFI reads the
    answered ones, never who asked."""

    asked_by: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True,
        help_text=_("The vendor that asked: shown to the city and to that vendor only."))
    organisation = CallersOrganisationField(required=False, write_only=True, help_text=_(
        "On asking: short name of the vendor organisation you ask for, if you belong to several."))

    class Meta:
        model = Clarification
        fields = ["id", "created_at", "rfi", "organisation", "question", "asked_by", "answer", "answered_at"]
        read_only_fields = ["answered_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["answer"].help_text = _("The city's answer (it sets answered_at); vendors only ask.")
        if self.instance is None:
            fields["answer"].read_only = True
        else:
            fields["question"].read_only = True
            fields.pop("organisation")
        return fields

    def to_representation(self, instance: Clarification) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        mine = request is not None and instance.asked_by_id in memberships_of(request.user)
        if not (mine or in_city(self.context, instance.rfi)):
            data["asked_by"] = None
        return data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None:
            rfi = self.context["parent"]
            attrs["asked_by"] = answering_organisation(self.context["request"], rfi, attrs.pop("organisation", None))
        elif not attrs.get("answer", "").strip():
            raise serializers.ValidationError({"answer": [_("Write the answer.")]})
        return super().validate(attrs)


def _impact(what: Any, default: str) -> serializers.CharField:
    return serializers.CharField(required=False, help_text=format_lazy("{}: none, low, medium or high (default {}).",
                                                                       what, default))


class ScreeningSerializer(serializers.Serializer):
    requirement = serializers.UUIDField()
    text = serializers.CharField()
    must = serializers.BooleanField(help_text=_("A must-have: failing it screens the answer out."))
    met = serializers.BooleanField()


class SubmissionSerializer(ModelCleanSerializer):
    """A vendor's structured answer to an RFI: a draft until submitted, then read-only."""

    rfi = VisibleRfiField(help_text=_("Id of an RFI you may see; set on creation only."))
    organisation = CallersOrganisationField(required=False, help_text=_(
        "Short name of the vendor organisation answering; set on creation only. Defaults to your organisation "
        "when you belong to one."))
    threats = serializers.ListField(child=serializers.CharField(), required=False, help_text=_("Threat type ids."))
    phases = serializers.ListField(child=serializers.CharField(), required=False, help_text=_("Attack phase ids."))
    # Plain strings, not choices: these vocabularies already have names in the schema (the catalogue's
    # timing and impacts, the assessment's status); the model still checks each value.
    timing = serializers.CharField(required=False, help_text=_("structural, event or both (default)."))
    privacy_impact = _impact(_("Privacy impact"), "none")
    normal_use_impact = _impact(_("Impact on normal use"), "low")
    aesthetic_impact = _impact(_("Impact on the look of the place"), "low")
    accessibility_impact = _impact(_("Impact on accessibility"), "none")
    status = serializers.CharField(read_only=True, help_text=_("draft, submitted or withdrawn."))
    screening = serializers.SerializerMethodField(help_text=_(
        "For the city: each requirement with a measurable condition and whether this answer meets it."))
    submitted_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                                                              allow_null=True)

    class Meta:
        model = Submission
        fields = [*_STAMPS, "rfi", "organisation", "solution", "description", "threats", "phases", "trl",
                  "performance", "detection_rate", "false_alarms_per_day", "physical_needs", "deploy_days",
                  "capital_eur", "yearly_eur", "timing", "personal_data", "privacy_impact", "normal_use_impact",
                  "aesthetic_impact", "accessibility_impact", "compliance", "demo_available", "demo_notes", "status",
                  "submitted_at", "submitted_by", "screening"]
        read_only_fields = ["submitted_at"]
        validators: list[Any] = []  # one answer per solution: checked in validate() (the organisation is set there)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["rfi"] = serializers.PrimaryKeyRelatedField(read_only=True)
            fields["organisation"].read_only = True
        return fields

    @extend_schema_field(ScreeningSerializer(many=True))
    def get_screening(self, submission: Submission) -> list[dict[str, Any]]:
        if not in_city(self.context, submission.rfi):
            return []
        return [{"requirement": r.pk, "text": r.text, "must": r.is_must, "met": met}
                for r, met in submission.screening()]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None:
            rfi = attrs["rfi"]
            attrs["organisation"] = answering_organisation(self.context["request"], rfi, attrs.get("organisation"))
            problem = submission_window_problem(rfi)
            if problem:
                raise Conflict(problem)
        rfi = attrs.get("rfi") or self.instance.rfi  # type: ignore[union-attr]
        organisation = attrs.get("organisation") or self.instance.organisation  # type: ignore[union-attr]
        taken = Submission.objects.filter(rfi=rfi, organisation=organisation,
                                          solution=attrs.get("solution", getattr(self.instance, "solution", "")))
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError({"solution": [_("Your organisation already has an answer for this "
                                                              "solution.")]})
        return super().validate(attrs)


class SubmissionAttachmentSerializer(PartSerializer):
    """A file attached to an answer: PDF, PNG or JPEG, checked by its content, at most MAX_UPLOAD_BYTES."""

    submission: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    file = serializers.FileField(write_only=True, help_text=_("PDF, PNG or JPEG; the content is checked, not the "
                                                              "name."))
    name = serializers.CharField(max_length=200, required=False, help_text=_("What it is; the file name when left "
                                                                              "out."))
    download = serializers.SerializerMethodField()
    parent_name = "submission"

    class Meta:
        model = SubmissionAttachment
        fields = ["id", "created_at", "submission", "name", "file", "content_type", "size", "download"]
        read_only_fields = ["content_type", "size"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_download(self, obj: SubmissionAttachment) -> str:
        return reverse("submission-attachment-download", kwargs={"submission_pk": obj.submission_id, "pk": obj.pk},
                       request=self.context.get("request"))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        upload = attrs["file"]
        try:
            stored, content_type = accept_document(upload, ATTACHMENT_TYPES, str(ATTACHMENT_REFUSAL))
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"file": exc.messages}) from exc
        attrs["name"] = (attrs.get("name") or "").strip() or (upload.name or "file")[:200]
        attrs["file"], attrs["content_type"], attrs["size"] = stored, content_type, stored.size
        return super().validate(attrs)


class DemonstrationSerializer(ModelCleanSerializer):
    """A demonstration session of a shortlisted answer: the evaluation's next stage."""

    rfi = VisibleRfiField(action=Action.CHANGE, help_text=_("Id of the RFI; set on creation only."))
    submission = serializers.PrimaryKeyRelatedField(queryset=Submission.objects.none(), help_text=_(
        "Id of a shortlisted answer to this RFI."))
    clean_exclude = ("organisation", "rfi")

    class Meta:
        model = Demonstration
        fields = [*_STAMPS, "rfi", "submission", "starts_at", "duration_minutes", "place", "mode", "scenario", "notes"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            submission: Any = fields["submission"]
            submission.queryset = Submission.objects.for_user(request.user, Action.VIEW)
        if self.instance is not None:
            fields["rfi"] = serializers.PrimaryKeyRelatedField(read_only=True)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        rfi = attrs.get("rfi") or self.instance.rfi  # type: ignore[union-attr]
        submission = attrs.get("submission")
        if submission is not None and not Submission.objects.filter(
                pk=submission.pk, rfi=rfi, status=SubmissionStatus.SUBMITTED, alternative__shortlisted=True,
                alternative__evaluation_id=rfi.evaluation_id).exists():
            raise serializers.ValidationError({"submission": [_("Choose a shortlisted answer to this request.")]})
        return super().validate(attrs)
