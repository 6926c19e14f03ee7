from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngineeringConfig(AppConfig):
    name = "stoa.engineering"
    verbose_name = _("Threat engineering")

    def ready(self) -> None:
        from stoa.engineering import audit  # noqa: F401  (registers the models with the audit trail)
