from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.workdays.calendar import WEEKDAYS, statutory_holidays
from motcua.workdays.models import HolidayOverride


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    """Operators record each year's announced days off and swapped working days here;
    the working calendar applies them at once in this process, within a minute in others."""

    list_display = ["date", "weekday", "kind", "name", "decision"]
    list_filter = ["kind"]
    search_fields = ["name", "decision"]
    date_hierarchy = "date"
    fields = ["date", "kind", "name", "decision"]

    @admin.display(description=_("thứ"), ordering="date")
    def weekday(self, obj: HolidayOverride) -> str:
        label = str(WEEKDAYS[obj.date.weekday()])
        if obj.date in statutory_holidays(obj.date.year):
            label = _("%(weekday)s (ngày lễ)") % {"weekday": label}
        return label
