from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "stoa.assessments"
    verbose_name = _("Vulnerability assessments")

    def ready(self) -> None:
        from stoa.assessments import audit  # noqa: F401  (registers the models with the audit trail)
