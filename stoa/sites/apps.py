from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    name = "stoa.sites"
    verbose_name = _("Public spaces of interest")

    def ready(self) -> None:
        from stoa.sites import audit  # noqa: F401  (registers the models with the audit trail)
