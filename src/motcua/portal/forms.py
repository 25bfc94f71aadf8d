from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Agency, Procedure

from . import queries
from .display import by_name, sector_name


class ProcedureFilterForm(forms.Form):
    """The procedure list's search box and filters (all optional, GET)."""

    q = forms.CharField(label=_("Tìm thủ tục"), max_length=200, required=False)
    sector = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    agency = forms.ChoiceField(label=_("Cơ quan thực hiện"), required=False)
    level = forms.ChoiceField(
        label=_("Cấp thực hiện"),
        required=False,
        choices=[("", _("Tất cả các cấp")), *Procedure.Level.choices],
    )
    online = forms.ChoiceField(
        label=_("Mức độ trực tuyến"),
        required=False,
        choices=[("", _("Tất cả các mức")), *Procedure.OnlineLevel.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("Tất cả lĩnh vực"))] + [
            (s.code, sector_name(s))
            for s in by_name(queries.sectors_with_procedures(), sector_name)
        ]
        self.fields["agency"].choices = [("", _("Tất cả cơ quan"))] + [
            (a.code, a.name) for a in by_name(queries.implementing_agencies())
        ]

    def filters(self) -> dict[str, str]:
        """The valid filters; an invalid value (a stale link) is dropped, not a 500."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {key: data.get(key) or "" for key in ("q", "sector", "agency", "level", "online")}


class AgencyFilterForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Cấp"),
        required=False,
        choices=[("", _("Tất cả các cấp")), *Agency.Level.choices],
    )
