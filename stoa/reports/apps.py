from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "stoa.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from stoa.reports import audit  # noqa: F401  (registers the models with the audit trail)
