"""Template helpers shared by every E-Channel template."""

from django import template
from django.urls import reverse

from journey import scoping
from journey.formatting import format_money

register = template.Library()


@register.filter
def money(amount, currency):
    """``{{ amount|money:sme.launchpad.currency }}`` in the reader's locale."""
    return format_money(amount, currency)


@register.simple_tag(takes_context=True)
def sme_url(context, sme):
    """Where a link to the SME leads this reader: the staff workspace for staff, the company page for the SME."""
    user = context.get("user") or getattr(context.get("request"), "user", None)
    if scoping.can_view_workspace(user, sme):
        return reverse("journey:sme_workspace", kwargs={"slug": sme.slug})
    return reverse("journey:sme_detail", kwargs={"slug": sme.slug})
