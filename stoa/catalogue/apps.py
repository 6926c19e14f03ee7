from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "stoa.catalogue"
    verbose_name = _("Measures catalogue")

    def ready(self) -> None:
        from stoa.catalogue import audit  # noqa: F401  (registers the models with the audit trail)
