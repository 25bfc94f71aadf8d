from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _overrides_changed(sender, **kwargs) -> None:
    from motcua.workdays.calendar import clear_cache

    clear_cache()
    # Again after commit: a read between the save and the commit may have cached a state
    # that other connections could not yet see.
    transaction.on_commit(clear_cache)


class WorkdaysConfig(AppConfig):
    name = "motcua.workdays"
    label = "workdays"
    verbose_name = _("Lịch làm việc")

    def ready(self) -> None:
        from motcua.workdays.models import HolidayOverride

        for signal in (post_save, post_delete):
            signal.connect(
                _overrides_changed,
                sender=HolidayOverride,
                dispatch_uid=f"workdays-overrides-{id(signal)}",
            )
