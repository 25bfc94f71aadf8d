from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaultConfig(AppConfig):
    name = "motcua.vault"
    label = "vault"
    verbose_name = _("Kho dữ liệu điện tử")

    def ready(self) -> None:
        from motcua.dossiers import hooks

        from .results import land_result, seal_result
        from .reuse import vault_documents

        # `finish` signs its result through the port; a returned result lands in the vault.
        hooks.result_sealing.provide(seal_result)
        hooks.vault_documents.provide(lambda: vault_documents)
        hooks.event_appended.connect(
            lambda sender, event, **kwargs: land_result(event),
            dispatch_uid="vault-land-result",
            weak=False,
        )
