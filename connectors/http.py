"""HTTP for connectors: requests with urllib3's ``Retry``, a timeout on every call, and only public addresses.

Retries 429 (honouring ``Retry-After``) and 5xx with exponential back-off; connection
errors and read timeouts are retried the same way. No hand-written back-off anywhere.

Every connection goes through ``GuardedAdapter``: the shop's host name is resolved when the
connection is opened, every address it resolves to is checked, and the connection is made
to the address that was checked (so a DNS answer that changes between the check and the
connection cannot point us at this machine or the private network). Loopback, private,
link-local and other non-public addresses are refused unless
``CONNECTORS_ALLOW_LOCAL_ADDRESSES`` is on (tests, the local demo and benchmark servers).
The environment's proxies and ``.netrc`` are ignored (``trust_env = False``): a proxy would
connect on our behalf, past the check.
"""

from __future__ import annotations

import ipaddress
import math
import socket
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NameResolutionError
from urllib3.util.retry import Retry

RETRY_STATUSES = (429, 500, 502, 503, 504)
RETRY_AFTER_MAX = 300  # seconds


class ForbiddenAddress(Exception):
    """The host resolves to an address we never connect to (loopback, private network, …).

    Deliberately not an ``OSError``: urllib3 retries those; this one ends the call at once.
    """


def local_addresses_allowed() -> bool:
    return bool(getattr(settings, "CONNECTORS_ALLOW_LOCAL_ADDRESSES", False))


def is_public_address(address: str) -> bool:
    """True for an address on the public Internet (not loopback, private, link-local, reserved, multicast)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def is_loopback_host(host: str) -> bool:
    """``localhost`` or a loopback address written as such (no name resolution)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def plain_http_allowed(base_url: str) -> bool:
    """Plain HTTP only to a test server on this machine, and only when local addresses are allowed.

    Shop credentials (a Shopify token, WooCommerce keys) never cross a network in clear.
    """
    parts = urlsplit(base_url)
    return parts.scheme == "http" and local_addresses_allowed() and is_loopback_host(parts.hostname or "")


class _CheckedConnectionMixin:
    """Resolve the host, refuse a non-public address, then connect to the address checked."""

    def _new_conn(self) -> socket.socket:
        if local_addresses_allowed():
            return super()._new_conn()
        host = self._dns_host
        try:
            infos = socket.getaddrinfo(host, self.port, 0, socket.SOCK_STREAM)
        except socket.gaierror as error:
            raise NameResolutionError(self.host, self, error) from error
        addresses = [info[4][0] for info in infos]
        if not addresses or not all(is_public_address(address) for address in addresses):
            raise ForbiddenAddress(self.host)
        self._dns_host = addresses[0]  # pinned: the connection goes to the address checked
        try:
            return super()._new_conn()
        finally:
            self._dns_host = host


class CheckedHTTPConnection(_CheckedConnectionMixin, HTTPConnection):
    pass


class CheckedHTTPSConnection(_CheckedConnectionMixin, HTTPSConnection):
    pass  # TLS still verifies the certificate against the host name, not the pinned address


class CheckedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = CheckedHTTPConnection


class CheckedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = CheckedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """requests' adapter whose every connection (retries included) is checked as above."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": CheckedHTTPConnectionPool,
            "https": CheckedHTTPSConnectionPool,
        }

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        raise ForbiddenAddress(urlsplit(proxy).hostname or "proxy")


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
        self.trust_env = False  # no proxies or .netrc credentials from the environment

    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, **kwargs)


def session(
    *,
    retries: int = 5,
    backoff_factor: float | None = None,
    timeout=None,
    interactive: bool = False,
    retry_methods: frozenset[str] = frozenset({"GET", "HEAD"}),
    retry_class: type[ShopRetry] = ShopRetry,
) -> requests.Session:
    """A session for one connector run (back-off and timeouts from settings unless given).

    ``interactive``: for a check made while a person waits (the "Connect a shop" test): no
    retry and no waiting for ``Retry-After``, and the short ``CONNECTORS_CHECK_TIMEOUT``, so the
    web request lasts a few seconds at most whatever the shop does.

    ``retry_methods``: the methods retried; add ``POST`` only for an API whose POSTs only read
    (the GA4 Data API's ``runReport``, a GraphQL query).

    ``retry_class``: a ``ShopRetry`` for a platform whose rate-limit signal needs more (Squarespace's
    429 carries no ``Retry-After`` but means a minute's cool-down).
    """
    if interactive:
        retries = 0
        timeout = timeout or getattr(settings, "CONNECTORS_CHECK_TIMEOUT", (3, 5))
    retry = retry_class(
        total=retries,
        backoff_factor=settings.CONNECTORS_HTTP_BACKOFF if backoff_factor is None else backoff_factor,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=retry_methods,
        respect_retry_after_header=not interactive,
        # A sync waits at most this long for one Retry-After (well under the run's heartbeat expiry).
        retry_after_max=RETRY_AFTER_MAX,
        raise_on_status=False,  # the connector turns the last response into a clear error
    )
    http = TimeoutSession(timeout or settings.CONNECTORS_HTTP_TIMEOUT)
    adapter = GuardedAdapter(max_retries=retry)
    http.mount("https://", adapter)
    http.mount("http://", adapter)
    http.headers["User-Agent"] = "E-Channel connectors"
    return http
