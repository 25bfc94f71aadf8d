from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = "Hồ sơ"

    def ready(self) -> None:
        from motcua.catalog.models import Agency, ComponentSpec, Fee, Procedure, Step

        from .procedures import forget

        # The kept procedure versions (procedures.py) are forgotten when catalog rows change.
        for model in (Procedure, ComponentSpec, Fee, Step, Agency):
            for signal in (post_save, post_delete):
                signal.connect(forget, sender=model, dispatch_uid=f"dossiers-{model.__name__}")
        m2m_changed.connect(
            forget, sender=Procedure.agencies.through, dispatch_uid="dossiers-procedure-agencies"
        )
