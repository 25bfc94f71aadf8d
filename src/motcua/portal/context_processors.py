from django.conf import settings
from django.utils.translation import gettext_lazy as _


def site(request):
    """The portal's name and hotline, shown in every page's header and footer."""
    return {"site_name": _("Cổng dịch vụ công"), "site_hotline": settings.PORTAL_HOTLINE}
