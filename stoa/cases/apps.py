from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "stoa.cases"
    verbose_name = _("Case studies")

    def ready(self) -> None:
        from stoa.cases import audit  # noqa: F401  (registers the models with the audit trail)
