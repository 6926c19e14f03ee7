"""RFI API routes. The parts of an RFI or an answer live under it: ``rfis/{id}/requirements/``."""

from rest_framework.routers import SimpleRouter

from stoa.procurement.api import views

router = SimpleRouter()
router.register("rfis", views.RfiViewSet, basename="rfi")
router.register("submissions", views.SubmissionViewSet, basename="submission")
router.register("demonstrations", views.DemonstrationViewSet, basename="demonstration")

nested = SimpleRouter(use_regex_path=False)  # path converters: the parent's id is a UUID in the schema too
nested.register("rfis/<uuid:rfi_pk>/requirements", views.RfiRequirementViewSet, basename="rfi-requirement")
nested.register("rfis/<uuid:rfi_pk>/invitations", views.RfiInvitationViewSet, basename="rfi-invitation")
nested.register("rfis/<uuid:rfi_pk>/clarifications", views.ClarificationViewSet, basename="rfi-clarification")
nested.register("submissions/<uuid:submission_pk>/attachments", views.SubmissionAttachmentViewSet,
                basename="submission-attachment")

urlpatterns = router.urls + nested.urls
