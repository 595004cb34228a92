"""Rate limits in the shared cache, keyed on the visitor's real address behind trusted proxies.

The cache is ``CACHES["default"]``: Redis when ``CACHE_URL`` names it, so every process and
server counts together; the local-memory cache otherwise (one process: the laptop, tests).

Behind a reverse proxy (or two) every request comes from the proxy's address. With
``TRUSTED_PROXY_COUNT = n`` the visitor's address is the n-th entry from the right of
``X-Forwarded-For`` (each of our n proxies appends the address it was reached from; entries
further left were written by the client and are not believed). With 0, ``REMOTE_ADDR``.
"""

from __future__ import annotations

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip().strip("[]")))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The visitor's IP address, trusting exactly ``TRUSTED_PROXY_COUNT`` proxies in front of us.

    None when the request has no address at all (``force_login``'s request, a command):
    django-axes stores the address in an IP column, which PostgreSQL checks.
    """
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    trusted = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if trusted <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    # Fewer entries than proxies: the leftmost is the best we have (a client can only add entries).
    candidate = forwarded[-trusted] if len(forwarded) >= trusted else forwarded[0]
    return _valid(candidate) or remote


def over_limit(scope: str, key: str | None, *, limit: int, window: int) -> bool:
    """Count one more event for ``key`` in ``scope``; True when it is one too many in the window."""
    digest = hashlib.sha256((key or "unknown").encode()).hexdigest()[:32]  # no raw e-mail or address in cache keys
    cache_key = f"ratelimit:{scope}:{digest}"
    if cache.add(cache_key, 1, timeout=window):
        return 1 > limit
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        count = 1
    return count > limit
