from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The gateway plugins shipped with motcua; each registers itself on import.
BUILTIN_GATEWAYS = ("bank_transfer", "demo")


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    verbose_name = _("Thanh toán phí, lệ phí")

    def ready(self) -> None:
        from motcua.dossiers.hooks import dossier_fees
        from motcua.integrations.notifications import ATTACHMENTS

        from .dossier_fees import DOSSIER_FEES
        from .pdf import receipt_attachment

        for name in BUILTIN_GATEWAYS:
            import_module(f"motcua.payments.plugins.contrib.{name}.plugin")
        # Receipts go to the applicant attached to the e-mail that tells of them.
        ATTACHMENTS["receipt"] = receipt_attachment
        # The dossier life cycle asks what a dossier owes through this port.
        dossier_fees.provide(lambda: DOSSIER_FEES)
