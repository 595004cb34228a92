"""The Google Analytics 4 Data API (``properties/{id}:runReport``) with a service-account key.

google-auth signs the service account's JWT and exchanges it for an access token at
``CONNECTORS_GA4_TOKEN_URI`` (never at the key file's own ``token_uri``: a key pasted into the
form must not send a signed assertion to an address of its choosing). Every call, the token
exchange included, goes through a ``connectors.http`` session: public addresses only, urllib3
``Retry`` on 429 and 5xx (``runReport`` only reads, so its POST is retried too), a timeout on
each call. The API's root is ``CONNECTORS_GA4_API_ROOT``; tests point both at 127.0.0.1.

An access token that expires mid-sync (a 401) is refreshed once and the call made again.
Errors follow Google's JSON error shape (``{"error": {"code", "message", "status"}}``) and
become translated ``ConnectorError``s that never hold the key.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext
from google.auth import exceptions as auth_exceptions
from google.auth.transport.requests import Request as AuthRequest
from google.oauth2 import service_account

from .. import http
from ..base import ConnectorError
from ..restapi import AccessRefused, RequestRefused, Unreachable

logger = logging.getLogger(__name__)

SCOPE = "https://www.googleapis.com/auth/analytics.readonly"
ADDRESS = "Google Analytics"  # how messages name the service (never a URL)


class QuotaExhausted(ConnectorError):
    """The property's token quota is used up (a 429 ``RESOURCE_EXHAUSTED`` after retries)."""


def property_id_clean(value: Any) -> str:
    """The numeric property id from ``123456789`` or ``properties/123456789``; '' when it is not one."""
    text = str(value or "").strip()
    text = text.removeprefix("properties/")
    return text if text.isdigit() and len(text) <= 20 else ""


def key_info(value: Any) -> dict:
    """A service-account key (the JSON file Google Cloud gives) as a dict; ``ConnectorError`` if it is not one."""
    if isinstance(value, str | bytes):
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    fields = ("client_email", "private_key")
    if not isinstance(value, dict) or value.get("type") != "service_account" or not all(value.get(f) for f in fields):
        raise ConnectorError(
            gettext(
                "This is not a service-account key. In Google Cloud, open IAM & Admin → Service accounts, "
                "choose the account, then Keys → Add key → JSON, and give the whole file."
            )
        )
    return value


class GA4Client:
    def __init__(self, *, property_id: str, key: dict, session: requests.Session | None = None):
        self.property_id = property_id_clean(property_id)
        if not self.property_id:
            raise ConnectorError(
                gettext(
                    "The property ID must be a number, as shown in Google Analytics under Admin → Property details."
                )
            )
        self.api_root = settings.CONNECTORS_GA4_API_ROOT.rstrip("/")
        token_uri = settings.CONNECTORS_GA4_TOKEN_URI
        for url in (self.api_root, token_uri):
            if urlsplit(url).scheme != "https" and not http.plain_http_allowed(url):
                raise ConnectorError(gettext("Google Analytics is only read over a secure (https) connection."))
        info = {**key_info(key), "token_uri": token_uri}
        try:
            self.credentials = service_account.Credentials.from_service_account_info(info, scopes=[SCOPE])
        except (ValueError, TypeError, KeyError):
            raise ConnectorError(
                gettext("The service-account key cannot be read: please download a new JSON key and give it again.")
            ) from None
        self.http = session or http.session(retry_methods=frozenset({"GET", "HEAD", "POST"}))
        self.client_email = info["client_email"]

    # Authentication
    def _refresh(self) -> None:
        try:
            self.credentials.refresh(AuthRequest(session=self.http))
        except auth_exceptions.RefreshError:
            logger.warning("GA4: the token endpoint refused the service account's key")
            raise AccessRefused(
                gettext(
                    "Google refused the service-account key: it may have been deleted or disabled. "
                    "Please create a new JSON key for the service account and give it again."
                )
            ) from None
        except (auth_exceptions.TransportError, requests.RequestException, http.ForbiddenAddress):
            logger.warning("GA4: the token endpoint could not be reached")
            raise Unreachable(
                gettext("Google's sign-in service could not be reached. The next sync will try again."),
                reason="other",
            ) from None

    def _token(self) -> str:
        if not self.credentials.valid:
            self._refresh()
        return self.credentials.token

    # Reports
    def run_report(self, body: dict) -> dict:
        """One ``runReport`` page: the decoded answer; ``ConnectorError`` for anything else."""
        url = f"{self.api_root}/properties/{self.property_id}:runReport"
        for attempt in range(2):
            headers = {"Authorization": f"Bearer {self._token()}", "Content-Type": "application/json"}
            try:
                response = self.http.post(url, data=json.dumps(body), headers=headers, allow_redirects=False)
            except http.ForbiddenAddress:
                raise Unreachable(self._unreachable(), reason="forbidden") from None
            except requests.RequestException as error:
                raise self._network_error(error) from None
            if response.status_code == 401 and attempt == 0:
                # The access token expired (or was revoked) meanwhile: a new one, once.
                logger.info("GA4 property %s: access token refused, refreshing it", self.property_id)
                self.credentials.token = None
                self._refresh()
                continue
            return self._decode(response)
        raise AccessRefused(self._refused())  # pragma: no cover - the loop returns or raises

    def _decode(self, response: requests.Response) -> dict:
        status = response.status_code
        if status == 200:
            try:
                data = json.loads(response.content)
            except ValueError:
                raise self.unexpected_answer() from None
            if not isinstance(data, dict):
                raise self.unexpected_answer()
            return data
        error = self._error_of(response)
        logger.warning("GA4 property %s: HTTP %s %s", self.property_id, status, error.get("status", ""))
        if status in (401, 403):
            raise AccessRefused(self._refused())
        if status == 404:
            raise ConnectorError(
                gettext("Google Analytics has no property %(property)s. Please check the property ID.")
                % {"property": self.property_id}
            )
        if status == 429:
            raise QuotaExhausted(
                gettext(
                    "Google Analytics' quota for property %(property)s is used up for now. The sync stopped "
                    "and the next one resumes where it stopped."
                )
                % {"property": self.property_id}
            )
        if status >= 500:
            raise ConnectorError(
                gettext(
                    "Google Analytics kept failing (error %(status)s), even after several attempts. "
                    "The next sync will try again."
                )
                % {"status": status}
            )
        raise RequestRefused(gettext("Google Analytics refused the request (error %(status)s).") % {"status": status})

    @staticmethod
    def _error_of(response: requests.Response) -> dict:
        try:
            error = json.loads(response.content).get("error")
        except (ValueError, AttributeError):
            return {}
        return error if isinstance(error, dict) else {}

    def _refused(self) -> str:
        return gettext(
            "Google Analytics refused access to property %(property)s. In Google Analytics, open Admin → "
            "Property access management and add %(email)s as a Viewer."
        ) % {"property": self.property_id, "email": self.client_email}

    def _unreachable(self) -> str:
        return gettext("Google Analytics could not be reached. The next sync will try again.")

    def unexpected_answer(self) -> ConnectorError:
        logger.warning("GA4 property %s: an answer other than the JSON expected", self.property_id)
        return ConnectorError(
            gettext(
                "Google Analytics answered with something other than the data expected (the answer may have "
                "been cut off). The next sync will try again."
            )
        )

    def _network_error(self, error: requests.RequestException) -> ConnectorError:
        logger.warning("GA4 property %s: %s after retries", self.property_id, type(error).__name__)
        if isinstance(error, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError):
            return self.unexpected_answer()
        if isinstance(error, requests.Timeout) or "timed out" in str(error).lower():
            return Unreachable(
                gettext(
                    "Google Analytics did not answer in time, even after several attempts. "
                    "The next sync will try again."
                ),
                reason="timeout",
            )
        return Unreachable(self._unreachable(), reason="other")
