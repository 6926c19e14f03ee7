from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "stoa.evaluation"
    verbose_name = _("Technology evaluation")

    def ready(self) -> None:
        from stoa.evaluation import audit  # noqa: F401  (registers the models with the audit trail)
