from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "stoa.plans"
    verbose_name = _("Action plans")

    def ready(self) -> None:
        from stoa.plans import audit  # noqa: F401  (registers the models with the audit trail)
        from stoa.plans.risk import connect

        connect()
