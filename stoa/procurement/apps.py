from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "stoa.procurement"
    verbose_name = _("Requests for information")

    def ready(self) -> None:
        from stoa.procurement import audit  # noqa: F401  (registers the models with the audit trail)
