from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The SMS senders shipped with motcua; each registers itself on import.
BUILTIN_SMS_SENDERS = ("log",)
# The population registries shipped with motcua (POPULATION_REGISTRY picks one).
BUILTIN_POPULATION_REGISTRIES = ("local", "http")


class IntegrationsConfig(AppConfig):
    name = "motcua.integrations"
    label = "integrations"
    verbose_name = _("Thông báo và kết nối")

    def ready(self) -> None:
        for name in BUILTIN_SMS_SENDERS:
            import_module(f"motcua.integrations.sms.contrib.{name}.plugin")
        for name in BUILTIN_POPULATION_REGISTRIES:
            import_module(f"motcua.integrations.registry.contrib.{name}.plugin")

        from motcua.dossiers.hooks import event_appended

        from .notifications import notify_status_change

        # The applicant hears of each change, in the transaction that made it.
        event_appended.connect(
            lambda sender, event, **kwargs: notify_status_change(event),
            dispatch_uid="integrations-notify-status-change",
            weak=False,
        )
