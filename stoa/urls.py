from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("stoa.web.urls")),
    path("sites/", include("stoa.sites.urls")),
    path("library/", include("stoa.library.urls")),
    path("audit/", include("stoa.audit.urls")),
    path("accounts/", include("stoa.accounts.urls")),
    path("api/v1/", include("stoa.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
