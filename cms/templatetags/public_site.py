"""What every public page needs: the main menu, the language alternates, the footer's links."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import Resolver404, resolve, translate_url
from django.utils.translation import get_language

from cms.models import EligibilityPage
from cms.selectors import menu_pages, privacy_page

register = template.Library()


@register.simple_tag
def privacy_notice_url() -> str:
    """The privacy notice's address in the current language, or "" when the site has none."""
    page = privacy_page()
    return page.url if page else ""


@register.simple_tag
def eligibility_url() -> str:
    """The eligibility questionnaire's address in the current language, or "" when the site has none."""
    page = EligibilityPage.objects.live().first()
    return page.url if page else ""


@register.simple_tag(takes_context=True)
def site_menu(context) -> list[dict]:
    """The main menu's entries: ``title``, ``url`` and ``current`` (the reader is on that page or below it)."""
    request = context.get("request")
    path = request.path if request else ""
    entries = []
    for page in menu_pages():
        url = page.get_url(request)
        if url:
            entries.append({"title": page.title, "url": url, "current": path.startswith(url)})
    return entries


@register.simple_tag(takes_context=True)
def language_alternates(context) -> list[dict]:
    """The page's address in every language (``code``, ``url``), then ``x-default`` (the default language's).

    Empty for an address that is not served in every language (it has no language prefix,
    or resolves to nothing).
    """
    request = context.get("request")
    # An error page (Django's 404 and 500 views put the exception in the context) has no alternates.
    if request is None or "exception" in context or "request_path" in context:
        return []
    current = get_language()
    path = request.path
    if not path.startswith(f"/{current}/"):
        return []
    try:
        resolve(path)
    except Resolver404:
        return []
    alternates = []
    for code, _name in settings.LANGUAGES:
        translated = translate_url(path, code)
        if code != current and translated == path:
            return []  # translate_url could not find this address in that language
        alternates.append({"code": code, "url": request.build_absolute_uri(translated)})
    default = next(item for item in alternates if item["code"] == settings.LANGUAGE_CODE)
    alternates.append({"code": "x-default", "url": default["url"]})
    return alternates
