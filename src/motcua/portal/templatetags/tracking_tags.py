from django import template

from motcua.integrations.inbox import unread_count

register = template.Library()


@register.simple_tag
def unread_notifications(user) -> int:
    """The header's unread count: one query, and none for anonymous visitors."""
    return unread_count(user)
