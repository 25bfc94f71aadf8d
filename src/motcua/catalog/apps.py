from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def agency_office_hours(code: str) -> list:
    """An agency's office hours by its code (404 when there is none), for workdays' API."""
    from django.shortcuts import get_object_or_404

    from motcua.catalog.models import Agency

    return get_object_or_404(Agency, code=code).office_hours


class CatalogConfig(AppConfig):
    name = "motcua.catalog"
    label = "catalog"
    verbose_name = _("Danh mục thủ tục hành chính")

    def ready(self) -> None:
        from motcua.workdays.api import agency_office_hours as port

        port.provide(agency_office_hours)
