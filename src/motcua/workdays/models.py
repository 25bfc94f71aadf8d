from django.db import models
from django.utils.translation import gettext_lazy as _


class HolidayOverride(models.Model):
    """A change the government announces for one year: an extra day off (compensatory or
    swapped) or a Saturday/Sunday made a working day. Applied on top of the `holidays` package."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ")
        WORKING_DAY = "working_day", _("Ngày làm việc bù")

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("lý do"), max_length=200)
    decision = models.CharField(_("văn bản"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("điều chỉnh ngày nghỉ")
        verbose_name_plural = _("điều chỉnh ngày nghỉ")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()}: {self.name}"
