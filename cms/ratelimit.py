"""Per-address rate limits of the public forms (the eligibility questionnaire, the contact form).

Counted in the shared cache, on the visitor's real address behind the trusted proxies
(``journey.ratelimit``).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from journey.ratelimit import client_address, over_limit

DEFAULT_RATE_LIMIT = (5, 3600)  # at most 5 an hour per address


def over_rate_limit(request: HttpRequest, *, scope: str, setting: str) -> bool:
    """Count this submission against the visitor's address; True when it is one too many in the window.

    ``setting`` names a ``(limit, seconds)`` setting; without it, ``ENQUIRY_RATE_LIMIT`` (or 5
    an hour) applies, so every public form is limited like the questionnaire.
    """
    default = getattr(settings, "ENQUIRY_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    limit, window = getattr(settings, setting, default)
    return over_limit(f"cms:{scope}", client_address(request), limit=limit, window=window)
