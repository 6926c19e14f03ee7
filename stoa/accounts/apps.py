from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "stoa.accounts"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from stoa.accounts.models import Membership, Organisation

        auditlog.register(Organisation)
        auditlog.register(Membership)
