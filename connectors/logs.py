"""No shop credential in any log line: query strings and user:password in URLs are blanked.

urllib3 writes the URL it asked for into its retry warnings and debug lines; an older
WooCommerce client sent the consumer key and secret in that query string. The connectors no
longer put a secret in a URL (``connectors.woocommerce.client`` sends HTTP Basic), and this
filter makes sure none that ever gets there is written down: it is installed on the HTTP
libraries' loggers and on every connectors logger (``install``), and on the console handler
of ``LOGGING`` for whatever else might log a URL.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"

# What follows a "?" up to the next space or quote: a query string (scheme-less paths included,
# as urllib3's "GET /path?query HTTP/1.1" lines have them).
_QUERY = re.compile(r"(?P<head>[^\s?#'\"<>]*)\?(?P<query>[^\s#'\"<>]+)")
# user:password@ in a URL.
_USERINFO = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)[^/\s@'\"<>]+@", re.IGNORECASE)
# key=value pairs that name a secret, wherever they are.
_SECRET_PAIR = re.compile(
    r"(?P<name>consumer_key|consumer_secret|access_token|api_key|token|secret|password|signature)=(?P<value>[^&\s'\"<>]+)",
    re.IGNORECASE,
)

# The loggers that see URLs: the HTTP stack's, and every module logger of this app.
LOGGERS = (
    "urllib3",
    "urllib3.connection",
    "urllib3.connectionpool",
    "urllib3.poolmanager",
    "urllib3.response",
    "urllib3.util.retry",
    "requests",
    "connectors",
    "connectors.files.importer",
    "connectors.ga4.client",
    "connectors.ga4.connector",
    "connectors.magento.connector",
    "connectors.prestashop.client",
    "connectors.prestashop.connector",
    "connectors.restapi",
    "connectors.shopify.client",
    "connectors.shopify.connector",
    "connectors.shopify.graphql",
    "connectors.squarespace.connector",
    "connectors.shopify.bulk",
    "connectors.sync",
    "connectors.views",
    "connectors.webhooks",
    "connectors.woocommerce.connector",
)


def redact(text: str) -> str:
    text = _USERINFO.sub(lambda match: f"{match['scheme']}{REDACTED}@", text)
    text = _SECRET_PAIR.sub(lambda match: f"{match['name']}={REDACTED}", text)
    return _QUERY.sub(lambda match: f"{match['head']}?{REDACTED}", text)


class RedactSecrets(logging.Filter):
    """Rewrites the record's message (and its traceback's text) with URLs' secrets blanked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a badly formed log call: leave it to logging's own error handling
            return True
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


_FILTER = RedactSecrets()


def install() -> None:
    """Put the filter on every logger in ``LOGGERS`` (once)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
