"""The one interface every connector implements."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from .records import Page

if TYPE_CHECKING:
    from .models import DataSource


class ConnectorError(Exception):
    """A failure to show the person who set up the source: bad credentials, no such shop, …

    The message is already in the active language; it never contains a secret.
    """


@dataclass(frozen=True)
class ConnectField:
    """One field of the "Connect a shop" form for a connector: what to ask and where to find it.

    ``secret`` fields are stored encrypted in the source's credentials and never shown back;
    the others go to the source's options. An ``upload`` field is a file chosen in the form (a
    key file); the connector's ``clean_upload`` turns its bytes into the stored value.
    """

    name: str
    label: str
    help_text: str = ""
    secret: bool = True
    required: bool = True
    upload: bool = False


class Connector:
    """Check the connection; fetch each stream page by page from a saved cursor.

    Subclasses set ``kind`` and ``streams`` and implement ``check`` and ``pages``. A
    connector only reads the source and yields plain records (``connectors.records``); the
    shared writer stores them.
    """

    kind: ClassVar[str]
    streams: ClassVar[tuple[str, ...]] = ("products", "orders")
    # The connect form's fields for this platform (besides the address, see ``url_label``).
    connect_fields: ClassVar[tuple[ConnectField, ...]] = ()
    url_label: ClassVar[str | None] = None  # None: the form's default label for the address
    url_help: ClassVar[str | None] = None
    # False: the platform's API has one fixed address and the key names the shop (Squarespace); the
    # address is then optional and ``check`` may fill the source's ``base_url`` in from the API.
    url_required: ClassVar[bool] = True

    def __init__(self, source: DataSource):
        self.source = source

    def address(self) -> str:
        """The host this connector talks to, for messages (the shop's; a platform API's own where fixed)."""
        from .restapi import shop_address

        return shop_address(self.source.base_url)

    @classmethod
    def clean_upload(cls, name: str, content: bytes):
        """The value to store for the upload field ``name`` from the file's bytes; ``ConnectorError``
        (in the active language) when the file is not what the field asks for."""
        raise NotImplementedError

    def check(self) -> None:
        """Raise ``ConnectorError`` if the source cannot be read with its settings and credentials."""
        raise NotImplementedError

    def pages(self, stream: str, cursor: dict | None) -> Iterator[Page]:
        """Yield the stream's pages, starting where ``cursor`` (from the last written page) says."""
        raise NotImplementedError
