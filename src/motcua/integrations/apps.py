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
            import_module(f"motcua.integrations.plugins.sms.contrib.{name}.plugin")
        for name in BUILTIN_POPULATION_REGISTRIES:
            import_module(f"motcua.integrations.plugins.population.contrib.{name}.plugin")

        from motcua.accounts.hooks import contact_changed
        from motcua.core import messaging
        from motcua.dossiers.hooks import event_appended
        from motcua.dossiers.residents import population_registry
        from motcua.feedback.hooks import feedback_changed

        from .direct import send_now
        from .feedback_notices import notify_feedback_change
        from .inbox import note_contact_change
        from .notifications import notify_status_change
        from .plugins.population import get_registry

        # The ports the lower apps call: the configured registry and the direct sender.
        population_registry.provide(get_registry)
        messaging.send_now.provide(send_now)
        contact_changed.connect(
            lambda sender, user, channel, new, **kwargs: note_contact_change(user, channel, new),
            dispatch_uid="integrations-note-contact-change",
            weak=False,
        )

        # The applicant hears of each change, in the transaction that made it.
        event_appended.connect(
            lambda sender, event, **kwargs: notify_status_change(event),
            dispatch_uid="integrations-notify-status-change",
            weak=False,
        )
        feedback_changed.connect(
            lambda sender, event, **kwargs: notify_feedback_change(event),
            dispatch_uid="integrations-notify-feedback-change",
            weak=False,
        )
