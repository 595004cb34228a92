"""Links every public page needs (the footer's privacy notice)."""

from django import template

from cms.selectors import privacy_page

register = template.Library()


@register.simple_tag
def privacy_notice_url() -> str:
    """The privacy notice's address in the current language, or "" when the site has none."""
    page = privacy_page()
    return page.url if page else ""
