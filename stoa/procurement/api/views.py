"""API viewsets of requests for information (RFI). Same rules and same services as the RFI pages.

Who sees what is written once, on the models (``stoa.procurement.models``), and applied by the
querysets: a vendor lists and reads only the published RFIs it was invited to (or public ones),
their requirements, the answered clarifications and its own questions, its own answers and
their files, and the demonstrations of its answers; never the city's assessment, evaluation or
another vendor's answer (404, as if they did not exist). The city reads the submitted answers to
its RFIs.

* ``rfis/``: drafting one needs ``change`` on the assessment as a member of its organisation; it
  changes (and is removed) only while a draft; ``publish/`` and ``cancel/`` need ``change``.
* ``rfis/{id}/requirements/`` change only while the RFI is a draft; ``invitations/`` are added
  unless it is cancelled; ``clarifications/``: a vendor asks while the RFI is open, the city
  answers (PATCH ``answer``).
* ``submissions/``: a vendor answers while the RFI is open, changes a draft, ``submit/`` checks
  the deadline (``services.submit``); ``submissions/{id}/attachments/`` while it is a draft.
* ``demonstrations/``: the city schedules sessions of shortlisted answers.

A state that refuses the change (not a draft, already submitted, cancelled, not open) answers 409
with the reason; a rule broken by the request itself (a deadline passed, nothing to publish) 400.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import FileResponse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from stoa.accounts.roles import Action
from stoa.api.base import OrgScopedViewSet, allowed
from stoa.audit.actor import acting_as
from stoa.core.files import EXTENSIONS
from stoa.evaluation.api.nested import Conflict, NestedViewSet, PartPermission
from stoa.procurement import services
from stoa.procurement.api import serializers as s
from stoa.procurement.drafting import draft_rfi
from stoa.procurement.forms import ATTACHMENT_TYPES
from stoa.procurement.models import (
    Clarification,
    Demonstration,
    Rfi,
    RfiInvitation,
    RfiRequirement,
    RfiStatus,
    Submission,
    SubmissionAttachment,
    SubmissionStatus,
)
from stoa.sites.api.renderers import FileRenderer

NOT_DRAFT = _("Only a draft can change: vendors may already have read this request.")
REQUIREMENTS_LOCKED = _("The requirements can only change while the request is a draft: vendors may already have "
                        "read them.")
ANSWER_LOCKED = _("A submitted answer can no longer be edited: it is the answer the city evaluates.")
CANCELLED = _("This request for information is cancelled.")
UNSEEN = OpenApiResponse(description="not found (or not visible to you)")
REFUSED = {400: OpenApiResponse(description="refused: detail says why"),
           403: OpenApiResponse(description="your role does not allow it"), 404: UNSEEN,
           409: OpenApiResponse(description="the state of the record does not allow it")}


def refusal(exc: DjangoValidationError) -> Response:
    """400 with the service's messages as the detail, in the API's error shape."""
    return Response({"detail": " ".join(exc.messages), "errors": serializers.as_serializer_error(exc)},
                    status=status.HTTP_400_BAD_REQUEST)


def _filter(model: type, *names: str) -> type[django_filters.FilterSet]:
    """``?<name>=<id>``, compared as a plain value (an unseen id gives an empty list)."""
    meta = type("Meta", (), {"model": model, "fields": list(names)})
    attrs: dict[str, Any] = {name: django_filters.UUIDFilter(field_name=f"{name}_id") for name in names}
    return type(f"{model.__name__}Filter", (django_filters.FilterSet,), {**attrs, "Meta": meta})


class LockedViewSet(OrgScopedViewSet):
    """Top-level objects that refuse a change or removal, with 409, in some states."""

    def locked(self, obj: Any) -> str | None:
        return None

    def get_object(self) -> Any:
        obj = super().get_object()
        if self.action in ("update", "partial_update", "destroy") and (reason := self.locked(obj)):
            raise Conflict(reason)
        return obj

    def _load(self, pk: Any, needed: str) -> Any:
        """One row for an action: 404 unless visible, 403 unless the caller may NEEDED it."""
        obj = self.get_queryset().filter(pk=pk).first()
        if obj is None:
            raise NotFound()
        if not allowed(self.request.user, needed, obj):
            raise PermissionDenied(_("Your role does not allow this."))
        return obj


class RfiViewSet(LockedViewSet):
    """The city's RFIs, and the published ones a vendor may answer."""

    queryset = Rfi.objects.select_related("organisation", "assessment").prefetch_related("scenarios")
    serializer_class = s.RfiSerializer
    filterset_class = _filter(Rfi, "assessment")
    parent_field = "assessment"

    def locked(self, rfi: Rfi) -> str | None:
        return str(NOT_DRAFT) if rfi.status != RfiStatus.DRAFT else None

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)  # type: ignore[call-overload]
        scenarios, source = data.pop("scenarios"), data.pop("source")
        with acting_as(self.request.user):
            serializer.instance = draft_rfi(Rfi(**data), scenarios, source, self.request.user)

    def _step(self, rfi: Rfi, step: Any) -> Response:
        try:
            with acting_as(self.request.user):
                step(rfi)
        except DjangoValidationError as exc:
            return refusal(exc)
        return Response(self.get_serializer(rfi).data)

    @extend_schema(summary="Publish a draft: the vendors who may see it read it, and answer once it opens",
                   request=None, responses={200: s.RfiSerializer, **REFUSED})
    @action(detail=True, methods=["post"], filter_backends=[])
    def publish(self, request: Request, pk: Any = None) -> Response:
        if (rfi := self._load(pk, Action.CHANGE)).status != RfiStatus.DRAFT:
            raise Conflict(_("Only a draft can be published."))
        return self._step(rfi, services.publish)

    @extend_schema(summary="Cancel: vendors no longer see it and answers are no longer accepted",
                   request=None, responses={200: s.RfiSerializer, **REFUSED})
    @action(detail=True, methods=["post"], filter_backends=[])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        if (rfi := self._load(pk, Action.CHANGE)).status == RfiStatus.CANCELLED:
            raise Conflict(CANCELLED)
        return self._step(rfi, services.cancel)


class RfiPartViewSet(NestedViewSet):
    parent_model = Rfi
    parent_kwarg = "rfi_pk"
    parent_field = "rfi"
    delete_action = Action.CHANGE  # as on the pages: removing a part is a change of the RFI


class RfiRequirementViewSet(RfiPartViewSet):
    """Must-have and desirable requirements; they change only while the RFI is a draft."""

    queryset = RfiRequirement.objects.select_related("rfi")
    serializer_class = s.RfiRequirementSerializer

    def locked(self, parent: Rfi) -> str | None:
        return str(REQUIREMENTS_LOCKED) if parent.status != RfiStatus.DRAFT else None


class RfiInvitationViewSet(RfiPartViewSet):
    """The vendors invited (the city's list: vendors never see it)."""

    queryset = RfiInvitation.objects.select_related("rfi", "vendor")
    serializer_class = s.RfiInvitationSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]

    def locked(self, parent: Rfi) -> str | None:
        if self.request.method == "POST" and parent.status == RfiStatus.CANCELLED:
            return str(CANCELLED)
        return None


class ClarificationViewSet(RfiPartViewSet):
    """Questions of vendors while the RFI is open, and the city's answers."""

    queryset = Clarification.objects.select_related("rfi", "asked_by")
    serializer_class = s.ClarificationSerializer

    def check_create(self, parent: Rfi) -> None:
        """Whoever may see the RFI asks; the serializer checks that they answer for an invited vendor."""

    def locked(self, parent: Rfi) -> str | None:
        if self.request.method == "POST" and not parent.is_open:
            return services.submission_window_problem(parent) or str(CANCELLED)
        return None

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        with acting_as(self.request.user):
            services.answer_clarification(serializer.instance, serializer.validated_data["answer"])  # type: ignore[index]


class SubmissionViewSet(LockedViewSet):
    """Answers: a vendor's own (drafts and submitted), the submitted answers to the city's RFIs."""

    queryset = Submission.objects.select_related("rfi", "organisation", "submitted_by")
    serializer_class = s.SubmissionSerializer
    filterset_class = _filter(Submission, "rfi")

    def locked(self, submission: Submission) -> str | None:
        return str(ANSWER_LOCKED) if submission.status != SubmissionStatus.DRAFT else None

    def extra_save_kwargs(self) -> dict[str, Any]:
        return {"created_by": self.request.user}

    @extend_schema(summary="Submit the answer before the deadline: the city then sees it, and it no longer changes",
                   request=None, responses={200: s.SubmissionSerializer, **REFUSED})
    @action(detail=True, methods=["post"], filter_backends=[])
    def submit(self, request: Request, pk: Any = None) -> Response:
        submission = self._load(pk, Action.CHANGE)
        if not Rfi.objects.for_user(request.user, Action.VIEW).filter(pk=submission.rfi_id).exists():
            raise Conflict(_("Your organisation is no longer invited to answer this request."))
        try:
            with acting_as(request.user):
                services.submit(submission, request.user)
        except DjangoValidationError as exc:
            return refusal(exc)
        return Response(self.get_serializer(submission).data)

    def perform_destroy(self, instance: Submission) -> None:
        stored = [a.file for a in instance.attachments.all()]
        with transaction.atomic():
            super().perform_destroy(instance)
            transaction.on_commit(lambda: [f.delete(save=False) for f in stored])


@extend_schema_view(create=extend_schema(request={"multipart/form-data": s.SubmissionAttachmentSerializer}))
class SubmissionAttachmentViewSet(NestedViewSet):
    """Files of an answer: added and removed while it is a draft, downloaded by whoever sees it."""

    queryset = SubmissionAttachment.objects.select_related("submission")
    serializer_class = s.SubmissionAttachmentSerializer
    parent_model = Submission
    parent_kwarg = "submission_pk"
    parent_field = "submission"
    delete_action = Action.CHANGE
    permission_classes = [PartPermission]
    parser_classes = [MultiPartParser, FormParser]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def locked(self, parent: Submission) -> str | None:
        return str(ANSWER_LOCKED) if parent.status != SubmissionStatus.DRAFT else None

    def perform_destroy(self, instance: SubmissionAttachment) -> None:
        stored = instance.file
        with transaction.atomic():
            super().perform_destroy(instance)
            transaction.on_commit(lambda: stored.delete(save=False))

    @extend_schema(summary="Download the attached file", responses={
        **{(200, media_type): OpenApiTypes.BINARY for media_type in sorted(ATTACHMENT_TYPES)}, 404: UNSEEN})
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, FileRenderer])
    def download(self, request: Request, submission_pk: Any = None, pk: Any = None) -> FileResponse:
        attachment = self.get_object()
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as exc:
            raise NotFound(_("The stored file is missing; ask an administrator.")) from exc
        stem = slugify(attachment.name.rsplit(".", 1)[0]) or "attachment"
        response = FileResponse(handle, as_attachment=True, content_type=attachment.content_type,
                                filename=f"{stem}.{EXTENSIONS.get(attachment.content_type, 'bin')}")
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


class DemonstrationViewSet(OrgScopedViewSet):
    """Demonstration sessions: the city schedules them; a vendor sees those of its answers."""

    queryset = Demonstration.objects.select_related("rfi", "submission")
    serializer_class = s.DemonstrationSerializer
    filterset_class = _filter(Demonstration, "rfi")
    permission_classes = [PartPermission]
    parent_field = "rfi"
    delete_action = Action.CHANGE  # as on the pages
