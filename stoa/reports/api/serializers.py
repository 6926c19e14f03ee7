from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stoa.accounts.roles import Action
from stoa.api.base import CallersOrganisationField
from stoa.plans.models import ActionPlan
from stoa.reports.models import KIND_FORMAT, ReportFormat, ReportJob, ReportKind


class ReportJobSerializer(serializers.ModelSerializer):
    organisation = CallersOrganisationField(required=False, help_text=_(
        "Short name of the organisation the report is about (needed only if you belong to several)."))
    format = serializers.ChoiceField(
        choices=ReportFormat.choices, required=False,
        help_text=_("pdf for the city overview and the action plan, xlsx for the register."))
    plan = serializers.UUIDField(required=False, allow_null=True, source="plan_id",
                                 help_text=_("The action plan (for the action_plan report only)."))
    # Plain text, like the other workflow states of the API (an enum named "status" would collide with
    # the assessments' one in the OpenAPI schema).
    status = serializers.CharField(read_only=True, help_text=_("queued, running, done or failed."))
    url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportJob
        fields = ["id", "organisation", "kind", "format", "redacted", "plan", "status", "progress", "step", "error",
                  "created_at", "started_at", "finished_at", "url", "download_url"]
        read_only_fields = ["status", "progress", "step", "error", "created_at", "started_at", "finished_at"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, job: ReportJob) -> str:
        return self.context["request"].build_absolute_uri(reverse("reportjob-detail", args=[job.pk]))

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True,
                          "description": "Where to fetch the file once the job is done; null before."})
    def get_download_url(self, job: ReportJob) -> str | None:
        if job.status != "done":
            return None
        return self.context["request"].build_absolute_uri(reverse("reportjob-download", args=[job.pk]))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = attrs.get("kind")
        expected = KIND_FORMAT.get(ReportKind(kind)) if kind else None
        if attrs.get("format") and expected and attrs["format"] != expected:
            raise serializers.ValidationError({"format": _("This report is made as %(format)s only.")
                                               % {"format": expected.value}})
        plan_id = attrs.pop("plan_id", None)
        plan = None
        if plan_id is not None:
            plan = ActionPlan.objects.for_user(self.context["request"].user, Action.VIEW).filter(pk=plan_id).first()
            if plan is None:
                raise serializers.ValidationError({"plan": _("No such action plan.")})
        if kind == ReportKind.ACTION_PLAN and plan is None:
            raise serializers.ValidationError({"plan": _("Choose the action plan to print.")})
        if kind != ReportKind.ACTION_PLAN and plan is not None:
            raise serializers.ValidationError({"plan": _("Only the action plan report is about one plan.")})
        attrs["plan"] = plan
        return attrs
