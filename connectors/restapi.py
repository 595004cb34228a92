"""What the shop connectors share: JSON over HTTP, and every failure as a clear, translated error.

Retries and back-off are ``connectors.http``'s (urllib3 ``Retry``); by the time an answer
reaches ``ShopClient.get`` the retries are spent, so a 5xx or a timeout here is final for
this run. Messages name the shop by its host only: never a token, key or full URL (a
WooCommerce key sent as parameters by an older version would), and exceptions are raised
``from None`` so no log gets the request's URL from a traceback.

A shop is only read over HTTPS (plain HTTP only to a test server on this machine, see
``connectors.http.plain_http_allowed``), and only at a public address
(``connectors.http.GuardedAdapter``). A failure to connect is an ``Unreachable`` error whose
``reason`` says why (refused, timed out, no such host, not a public address): the sync's log
says which, while the "Connect a shop" check shows one message for all of them (see
``connectors.services.shop_connection_check``).
"""

from __future__ import annotations

import datetime
import email.utils
import json
import logging
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar
from urllib.parse import urlsplit

import requests
from django.utils import timezone
from django.utils.translation import gettext
from urllib3.exceptions import NameResolutionError, NewConnectionError
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from . import http
from .base import ConnectorError

logger = logging.getLogger(__name__)

# How far back the next incremental sync starts before this run's start: covers a clock
# skew and a listing that lags behind the latest writes, at the cost of re-reading a few
# unchanged records (counted as skipped).
INCREMENTAL_OVERLAP = datetime.timedelta(minutes=1)


class AccessRefused(ConnectorError):
    """401 or 403: the credentials are wrong, or lack a permission."""


class RequestRefused(ConnectorError):
    """Another 4xx: the shop would not take the request as asked (e.g. a page cursor it no longer knows)."""


class Unreachable(ConnectorError):
    """No connection to the shop: ``reason`` is ``refused``, ``timeout``, ``no-host``, ``forbidden`` or ``other``."""

    def __init__(self, message: str, *, reason: str):
        super().__init__(message)
        self.reason = reason


def unreachable_message(address: str) -> str:
    """The one message for every shop that cannot be connected to (no hint of why: no port-scan oracle)."""
    return gettext(
        "The shop at %(address)s cannot be reached. Please check the address; if it is right, "
        "the shop may be down and the next sync will try again."
    ) % {"address": address}


def shop_address(base_url: str) -> str:
    """The shop's host (and port) for messages: never a user, password or query string."""
    parts = urlsplit(base_url)
    host = parts.hostname or base_url
    return f"{host}:{parts.port}" if parts.port else host


def server_time(response: requests.Response | None) -> datetime.datetime:
    """When the shop answered, by the shop's own clock (its ``Date`` header), else by ours."""
    date = response.headers.get("Date") if response is not None else None
    if date:
        try:
            moment = email.utils.parsedate_to_datetime(date)
        except (TypeError, ValueError):
            moment = None
        if moment is not None and moment.tzinfo is not None:
            return moment.astimezone(datetime.UTC)
    return timezone.now().astimezone(datetime.UTC)


def next_since(started_at: str) -> str:
    """The incremental starting point left for the next run, from this run's start."""
    return (datetime.datetime.fromisoformat(started_at) - INCREMENTAL_OVERLAP).isoformat()


def money(value: Any, default: Decimal | None = Decimal("0")) -> Decimal | None:
    """An amount as ``Decimal`` (never through a float's binary value); empty → ``default``."""
    if value is None or value == "":
        return default
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return default
    return amount if amount.is_finite() else default


def integer(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def aware(value: str | None, *, naive_is_utc: bool = False) -> datetime.datetime | None:
    """An ISO 8601 time as an aware datetime (a time without offset is UTC when ``naive_is_utc``)."""
    if not value:
        return None
    moment = datetime.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        if not naive_is_utc:
            raise ValueError("a time without its offset")
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


class ShopClient:
    """GET JSON from one shop's REST API through a ``connectors.http`` session."""

    platform: ClassVar[str] = ""

    def __init__(self, *, base_url: str, session: requests.Session | None = None):
        self.base_url = base_url.rstrip("/")
        self.address = shop_address(self.base_url)
        if urlsplit(self.base_url).scheme != "https" and not http.plain_http_allowed(self.base_url):
            raise ConnectorError(self.insecure_message())
        self.http = session or http.session()

    def insecure_message(self) -> str:
        return gettext(
            "Please use the shop's https:// address: the shop's credentials are only sent over a secure connection."
        )

    # Hooks for the platforms.
    def request_kwargs(self) -> dict:
        """Authentication for each call (headers, auth, or parameters)."""
        return {}

    def refused_message(self) -> str:
        raise NotImplementedError

    def after_response(self, response: requests.Response) -> None:
        """Called on every answer (Shopify watches its rate-limit bucket here)."""

    def platform_error(self, response: requests.Response) -> ConnectorError | None:
        """A clearer error for a failed answer the platform explains (its own error codes), else None."""
        return None

    def get(self, url: str, params: dict | None = None) -> tuple[Any, requests.Response]:
        """The decoded JSON at ``url`` and the response (for its headers); ``ConnectorError`` otherwise."""
        return self.call("GET", url, params)

    def post(self, url: str, body: Any) -> tuple[Any, requests.Response]:
        """``get`` for an API read with a JSON POST (GraphQL): same errors, same guarantees."""
        return self.call("POST", url, None, body)

    def call(
        self, method: str, url: str, params: dict | None = None, body: Any = None
    ) -> tuple[Any, requests.Response]:
        kwargs = self.request_kwargs()
        query = {**(params or {}), **kwargs.pop("params", {})}
        if body is not None:
            kwargs["json"] = body
        try:
            # Redirects are not followed: a token header would go along to another host.
            response = self.http.request(method, url, params=query, allow_redirects=False, **kwargs)
        except http.ForbiddenAddress:
            logger.warning("%s at %s: not a public address, not connected", self.platform, self.address)
            raise Unreachable(unreachable_message(self.address), reason="forbidden") from None
        except requests.RequestException as error:
            raise self._network_error(error) from None
        self.after_response(response)
        status = response.status_code
        if status >= 400 and (error := self.platform_error(response)) is not None:
            raise error
        if status in (401, 403):
            logger.warning("%s at %s refused the credentials (HTTP %s)", self.platform, self.address, status)
            raise AccessRefused(self.refused_message())
        if status == 404:
            raise ConnectorError(
                gettext("There is no %(platform)s shop at %(address)s. Please check the shop's address.")
                % {"platform": self.platform, "address": self.address}
            )
        if 300 <= status < 400:
            target = shop_address(response.headers.get("Location", "")) or "?"
            raise ConnectorError(
                gettext("The shop at %(address)s sends us to another address (%(target)s). Please use that address.")
                % {"address": self.address, "target": target}
            )
        if status == 429:
            raise ConnectorError(
                gettext(
                    "The shop at %(address)s kept asking us to slow down, even after waiting. "
                    "The next sync will try again."
                )
                % {"address": self.address}
            )
        if status >= 500:
            logger.warning("%s at %s kept failing (HTTP %s) after retries", self.platform, self.address, status)
            raise ConnectorError(
                gettext(
                    "The shop at %(address)s kept failing (error %(status)s), even after several attempts. "
                    "The next sync will try again."
                )
                % {"address": self.address, "status": status}
            )
        if status >= 400:
            raise RequestRefused(
                gettext("The shop at %(address)s refused the request (error %(status)s).")
                % {"address": self.address, "status": status}
            )
        try:
            data = json.loads(response.content)
        except ValueError:
            raise self.unexpected_answer() from None
        return data, response

    def unexpected_answer(self) -> ConnectorError:
        logger.warning("%s at %s answered with something other than the JSON expected", self.platform, self.address)
        return ConnectorError(
            gettext(
                "The shop at %(address)s answered with something other than the data expected "
                "(the answer may have been cut off). The next sync will try again."
            )
            % {"address": self.address}
        )

    def _network_error(self, error: requests.RequestException) -> ConnectorError:
        # Only the exception's type is logged: its text holds the URL (and maybe a key).
        logger.warning("%s at %s: %s after retries", self.platform, self.address, type(error).__name__)
        if isinstance(error, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError):
            return self.unexpected_answer()  # the body broke off half-way
        reason = getattr(error.args[0], "reason", None) if error.args else None
        # urllib3's NewConnectionError is also a ConnectTimeoutError: look at what it wraps first.
        if isinstance(reason, NameResolutionError):
            return Unreachable(unreachable_message(self.address), reason="no-host")
        if isinstance(reason, NewConnectionError) and isinstance(reason.__cause__, ConnectionRefusedError):
            return Unreachable(
                gettext(
                    "The shop at %(address)s refused the connection, even after several attempts: nothing "
                    "answers at that address. Please check it; if it is right, the shop's server may be down "
                    "and the next sync will try again."
                )
                % {"address": self.address},
                reason="refused",
            )
        timed_out = isinstance(error, requests.Timeout) or (
            isinstance(reason, Urllib3Timeout) and not isinstance(reason, NewConnectionError)
        )
        if timed_out:
            return Unreachable(
                gettext(
                    "The shop at %(address)s did not answer in time, even after several attempts. "
                    "The next sync will try again."
                )
                % {"address": self.address},
                reason="timeout",
            )
        if isinstance(error, requests.ConnectionError):
            return Unreachable(unreachable_message(self.address), reason="other")
        return ConnectorError(
            gettext("The shop at %(address)s could not be read (%(kind)s).")
            % {"address": self.address, "kind": type(error).__name__}
        )


def stored_credentials(source) -> dict:
    """The source's credentials, or a clear error when they cannot be decrypted any more."""
    try:
        return source.credentials
    except ValueError:
        raise ConnectorError(
            gettext("The stored credentials cannot be read any more: please enter them again.")
        ) from None
