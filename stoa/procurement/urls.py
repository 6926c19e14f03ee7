"""Request-for-information pages: the city's side and the vendors' portal."""

from django.urls import path

from stoa.procurement.views import city, documents, rfis, vendor

app_name = "procurement"
urlpatterns = [
    path("", rfis.rfi_list, name="list"),
    path("new/", rfis.rfi_create, name="create"),
    path("<uuid:pk>/", rfis.rfi_detail, name="detail"),
    path("<uuid:pk>/edit/", rfis.rfi_edit, name="edit"),
    path("<uuid:pk>/publish/", rfis.rfi_publish, name="publish"),
    path("<uuid:pk>/cancel/", rfis.rfi_cancel, name="cancel"),
    path("<uuid:pk>/document.md", documents.document_markdown, name="document-md"),
    path("<uuid:pk>/document.pdf", documents.document_pdf, name="document-pdf"),
    # The city's side
    path("<uuid:pk>/requirements/add/", city.requirement_add, name="requirement-add"),
    path("requirement/<uuid:pk>/edit/", city.requirement_edit, name="requirement-edit"),
    path("requirement/<uuid:pk>/remove/", city.requirement_remove, name="requirement-remove"),
    path("<uuid:pk>/invitations/add/", city.invitation_add, name="invitation-add"),
    path("invitation/<uuid:pk>/remove/", city.invitation_remove, name="invitation-remove"),
    path("clarification/<uuid:pk>/answer/", city.clarification_answer, name="clarification-answer"),
    path("<uuid:pk>/shortlist/", city.shortlist_top, name="shortlist"),
    path("<uuid:pk>/shortlist/<uuid:submission_pk>/", city.shortlist_toggle, name="shortlist-toggle"),
    path("<uuid:pk>/demonstrations/add/", city.demonstration_add, name="demonstration-add"),
    path("demonstration/<uuid:pk>/remove/", city.demonstration_remove, name="demonstration-remove"),
    path("<uuid:pk>/demonstration-stage/", city.start_demonstrations, name="demonstration-stage"),
    # The vendors' portal
    path("<uuid:pk>/ask/", vendor.clarification_ask, name="ask"),
    path("<uuid:pk>/answer/", vendor.submission_create, name="submission-create"),
    path("answer/<uuid:pk>/", vendor.submission_page, name="submission"),
    path("answer/<uuid:pk>/edit/", vendor.submission_edit, name="submission-edit"),
    path("answer/<uuid:pk>/submit/", vendor.submission_submit, name="submission-submit"),
    path("answer/<uuid:pk>/delete/", vendor.submission_delete, name="submission-delete"),
    path("answer/<uuid:pk>/attachments/", vendor.attachment_add, name="attachment-add"),
    path("attachment/<uuid:pk>/", documents.attachment_download, name="attachment"),
    path("attachment/<uuid:pk>/remove/", vendor.attachment_remove, name="attachment-remove"),
]
