"""Per-address rate limits of the public forms (the eligibility questionnaire, the contact form)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

DEFAULT_RATE_LIMIT = (5, 3600)  # at most 5 an hour per address


def over_rate_limit(request: HttpRequest, *, scope: str, setting: str) -> bool:
    """Count this submission against the visitor's address; True when it is one too many in the window.

    ``setting`` names a ``(limit, seconds)`` setting; without it, ``ENQUIRY_RATE_LIMIT`` (or 5
    an hour) applies, so every public form is limited like the questionnaire.
    """
    default = getattr(settings, "ENQUIRY_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    limit, window = getattr(settings, setting, default)
    key = f"cms:{scope}:{request.META.get('REMOTE_ADDR', 'unknown')}"
    if cache.add(key, 1, timeout=window):
        return 1 > limit
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit
