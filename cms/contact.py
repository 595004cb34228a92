"""The contact page's web part: the form, the rate limit, the thank-you page (Post/Redirect/Get)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language

from .forms import ContactMessageForm
from .models import ContactPage
from .ratelimit import over_rate_limit
from .selectors import privacy_page
from .services import contact_message_submit

TEMPLATE = "cms/contact_page.html"
SENT = "sent"


def _render(request: HttpRequest, page: ContactPage, mode: str, status: int = 200, **context) -> HttpResponse:
    privacy = privacy_page()
    context = {
        **page.get_context(request),
        "mode": mode,
        "privacy_url": privacy.url if privacy else "",
        **context,
    }
    return TemplateResponse(request, TEMPLATE, context, status=status)


def contact_serve(*, page: ContactPage, request: HttpRequest) -> HttpResponse:
    """Show the form; store and forward a valid message; say thank you (``?sent=1``)."""
    if request.method == "POST":
        form = ContactMessageForm(data=request.POST)
        if form.is_bot():
            # Look like success to a bot, store nothing.
            return HttpResponseRedirect(f"{page.url}?{SENT}=1")
        if not form.is_valid():
            return _render(request, page, "form", status=200, form=form)
        if over_rate_limit(request, scope="contact-messages", setting="CONTACT_RATE_LIMIT"):
            return _render(request, page, "limited", status=429, form=form)
        data = form.cleaned_data
        contact_message_submit(
            launchpad=data["launchpad"],
            name=data["name"],
            email=data["email"],
            organisation=data["organisation"],
            message=data["message"],
            language=get_language(),
        )
        return HttpResponseRedirect(f"{page.url}?{SENT}=1")
    if request.GET.get(SENT):
        return _render(request, page, "sent")
    return _render(request, page, "form", form=ContactMessageForm())
