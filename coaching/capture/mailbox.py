"""Reading the capture mailbox over IMAP (IMAPClient), a few minutes apart (coaching.tasks.capture_poll).

Each message not yet marked ``$Captured`` is fetched without touching its \\Seen flag,
recorded (coaching.capture.services, one transaction per message), and only then marked
``$Captured`` on the server. A crash between the two leaves the message unmarked: the next
poll reads it again and its Message-ID, already recorded, adds nothing. A message over the
size limit is fetched for its headers only. The password is handed to the server and to
nothing else: IMAPClient redacts LOGIN from its own debug log, and this module never logs it.
"""

from __future__ import annotations

import hashlib
import logging
import ssl
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from imapclient import IMAPClient

from ..models import CapturedMessage, CaptureReason, CaptureStatus
from .services import capture_message

logger = logging.getLogger(__name__)

PROCESSED = "$Captured"
BATCH = 25


@contextmanager
def connect(config: dict) -> Iterator[IMAPClient]:
    security = config.get("SECURITY", "ssl")
    if security not in ("ssl", "starttls") and config["HOST"] not in ("127.0.0.1", "::1", "localhost"):
        # The password would cross the network in clear: only a server on this machine may go without TLS.
        raise ImproperlyConfigured("CAPTURE_IMAP_SECURITY must be ssl or starttls for a remote IMAP server.")
    client = IMAPClient(config["HOST"], port=config["PORT"], ssl=security == "ssl", timeout=60)
    try:
        if security == "starttls":
            client.starttls(ssl.create_default_context())
        client.login(config["USER"], config["PASSWORD"])
        yield client
    finally:
        try:
            client.logout()
        except Exception:  # the connection is gone already: nothing to close
            logger.debug("capture: logout failed", exc_info=True)


def poll(config: dict | None = None) -> dict:
    """Capture every unprocessed message of the mailbox; returns counts (read, new, already recorded)."""
    config = config or settings.CAPTURE_IMAP
    counts = {"read": 0, "new": 0, "already": 0, "failed": 0}
    if not config.get("HOST"):
        return counts
    logger.info("capture: polling %s at %s, folder %s", config["USER"], config["HOST"], config["FOLDER"])
    with connect(config) as client:
        client.select_folder(config["FOLDER"])
        uids = client.search(["UNKEYWORD", PROCESSED])
        for start in range(0, len(uids), BATCH):
            batch = uids[start : start + BATCH]
            sizes = client.fetch(batch, ["RFC822.SIZE"])
            for uid in batch:
                counts["read"] += 1
                size = sizes.get(uid, {}).get(b"RFC822.SIZE", 0)
                part = b"BODY[HEADER]" if size > settings.CAPTURE_MAX_MESSAGE_BYTES else b"BODY[]"
                fetched = client.fetch([uid], [part.replace(b"BODY", b"BODY.PEEK").decode()]).get(uid, {})
                raw = fetched.get(part, b"")
                try:
                    outcome = capture_message(raw, source=CapturedMessage.Source.MAILBOX, size=size)
                    counts["new" if outcome.created else "already"] += 1
                except Exception:
                    # Never lost and never retried forever: recorded for triage, then marked processed.
                    logger.exception("capture: message %s could not be recorded", uid)
                    _record_failure(raw)
                    counts["failed"] += 1
                client.add_flags([uid], [PROCESSED], silent=True)
    logger.info("capture: %s", counts)
    return counts


def _record_failure(raw: bytes) -> None:
    CapturedMessage.objects.get_or_create(
        message_key=hashlib.sha256(raw).hexdigest(),
        defaults={
            "source": CapturedMessage.Source.MAILBOX,
            "status": CaptureStatus.TRIAGE,
            "reason": CaptureReason.UNREADABLE,
        },
    )
