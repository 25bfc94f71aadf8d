"""Configuration checks Django runs at start-up (`migrate`, `check`, the server): what an
operator must fix before the site sends links to people."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=False)
def public_base_url_is_set(app_configs=None, **kwargs):
    if settings.PUBLIC_BASE_URL:
        return []
    return [
        Warning(
            "PUBLIC_BASE_URL is not set: e-mails, SMS, procedure QR codes and payment links "
            "will carry relative addresses or the address of the request.",
            hint="Set PUBLIC_BASE_URL to the site's public address, e.g. "
            "https://dichvucong.example.gov.vn (docs/configuration.md).",
            id="motcua.W001",
        )
    ]
