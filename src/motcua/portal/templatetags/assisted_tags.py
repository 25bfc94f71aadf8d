from django import template
from django.utils.dateparse import parse_datetime

from motcua.dossiers.assisted import can_assist
from motcua.portal.assisted.forms import METHODS

register = template.Library()

_CACHE = "_motcua_may_assist"


@register.simple_tag
def may_assist(user) -> bool:
    """Whether to offer "Nộp hộ công dân": asked once per request, never for visitors."""
    if user is None or not user.is_authenticated:
        return False
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = can_assist(user)
        setattr(user, _CACHE, cached)
    return cached


@register.simple_tag
def consent_method_label(method: str) -> str:
    """How the citizen consented, in the page's language."""
    return next((str(label) for key, label, _hint in METHODS if key == method), method or "")


@register.simple_tag
def consent_time(value):
    """The recorded moment of consent (kept as ISO 8601 text), as a datetime."""
    return parse_datetime(value) if isinstance(value, str) else value
