from django import template

from motcua.feedback.display import action_label

register = template.Library()


@register.filter
def feedback_action(action: str) -> str:
    """The words for a feedback action: `{{ event.action|feedback_action }}`."""
    return action_label(action)
