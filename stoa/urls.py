from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("stoa.web.urls")),
    path("sites/", include("stoa.sites.urls")),
    path("assessments/", include("stoa.assessments.urls")),
    path("catalogue/", include("stoa.catalogue.urls")),
    path("engineering/", include("stoa.engineering.urls")),
    path("evaluation/", include("stoa.evaluation.urls")),
    path("plans/", include("stoa.plans.urls")),
    path("rfi/", include("stoa.procurement.urls")),
    path("cases/", include("stoa.cases.urls")),
    path("library/", include("stoa.library.urls")),
    path("reports/", include("stoa.reports.urls")),
    path("audit/", include("stoa.audit.urls")),
    path("accounts/", include("stoa.accounts.urls")),
    path("api/v1/", include("stoa.api.urls")),
    # The language switch is on the log-in page too, so it must work before logging in.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("django-admin/", admin.site.urls),
]
