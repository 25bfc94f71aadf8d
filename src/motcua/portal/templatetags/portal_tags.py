from django import template

from motcua.catalog import queries
from motcua.portal import display

register = template.Library()


@register.filter
def money(amount):
    return display.money(amount)


@register.filter
def sector_name(sector):
    return display.sector_name(sector)


@register.filter
def office_hours(periods):
    return display.office_hours(periods)


@register.filter
def number(value):
    return display.number(value)


@register.filter
def channel_label(code):
    return display.CHANNELS.get(code, code)


@register.filter
def applicant_kind_label(code):
    return display.APPLICANT_KINDS.get(code, code)


@register.filter
def fee_total(procedure):
    return queries.fee_total(procedure)


@register.filter
def moment(value):
    return display.moment(value)
