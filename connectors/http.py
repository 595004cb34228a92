"""HTTP for connectors: requests with urllib3's ``Retry`` and a timeout on every call.

Retries 429 (honouring ``Retry-After``) and 5xx with exponential back-off; connection
errors and read timeouts are retried the same way. No hand-written back-off anywhere.
"""

from __future__ import annotations

import math

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

RETRY_STATUSES = (429, 500, 502, 503, 504)


class ShopRetry(Retry):
    """urllib3's ``Retry``, also reading a ``Retry-After`` in decimal seconds.

    Shopify answers a 429 with ``Retry-After: 2.0``; urllib3 only takes whole seconds or an
    HTTP date, and raises ``InvalidHeader`` on anything else instead of waiting.
    """

    def parse_retry_after(self, retry_after: str) -> float:
        try:
            seconds = float(retry_after)
        except ValueError:
            return super().parse_retry_after(retry_after)
        if not math.isfinite(seconds):
            return super().parse_retry_after(retry_after)
        return min(max(seconds, 0.0), self.retry_after_max)


class TimeoutSession(requests.Session):
    """A session whose calls all carry the configured (connect, read) timeout."""

    def __init__(self, timeout):
        super().__init__()
        self.timeout = timeout

    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, **kwargs)


def session(*, retries: int = 5, backoff_factor: float | None = None, timeout=None) -> requests.Session:
    """A session for one connector run (back-off and timeouts from settings unless given)."""
    retry = ShopRetry(
        total=retries,
        backoff_factor=settings.CONNECTORS_HTTP_BACKOFF if backoff_factor is None else backoff_factor,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True,
        raise_on_status=False,  # the connector turns the last response into a clear error
    )
    http = TimeoutSession(timeout or settings.CONNECTORS_HTTP_TIMEOUT)
    adapter = HTTPAdapter(max_retries=retry)
    http.mount("https://", adapter)
    http.mount("http://", adapter)
    http.headers["User-Agent"] = "E-Channel connectors"
    return http
