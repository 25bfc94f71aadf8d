from django.core.exceptions import ValidationError
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

    def clean(self) -> None:
        """An override must change something: a day off on a day that would be worked,
        a working day on a weekend or statutory holiday."""
        from motcua.workdays.calendar import statutory_holidays

        if self.date is None:
            return
        rest_day = self.date.weekday() >= 5 or self.date in statutory_holidays(self.date.year)
        if self.kind == self.Kind.DAY_OFF and rest_day:
            raise ValidationError(
                {"date": _("Ngày này vốn đã là ngày nghỉ (cuối tuần hoặc ngày lễ).")}
            )
        if self.kind == self.Kind.WORKING_DAY and not rest_day:
            raise ValidationError({"date": _("Ngày này vốn đã là ngày làm việc.")})
