"""Template helpers shared by every E-Channel template."""

from django import template

from journey.formatting import format_money

register = template.Library()


@register.filter
def money(amount, currency):
    """``{{ amount|money:sme.launchpad.currency }}`` in the reader's locale."""
    return format_money(amount, currency)
