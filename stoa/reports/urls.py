from django.urls import path

from stoa.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("settings/", views.redaction_settings, name="settings"),
    path("<uuid:pk>/", views.job_detail, name="job"),
    path("<uuid:pk>/download/", views.job_download, name="download"),
]
