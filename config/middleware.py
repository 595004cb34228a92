"""Middleware of the whole site (config sits above every app)."""

from django.http import HttpResponseNotAllowed
from django.template.loader import render_to_string


class BrandedMethodNotAllowedMiddleware:
    """A 405 is a page in the reader's language, not an empty body.

    ``require_POST`` and class-based views answer a GET on a form's target with an empty
    ``HttpResponseNotAllowed``; a person who followed or typed such an address then sees a blank
    page. The status and its ``Allow`` header stay as they are; only the body is written.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content and request.method != "HEAD":
            response.content = render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response
