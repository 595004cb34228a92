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
    """One credential the "Connect a shop" form asks for, as a connector declares it.

    ``name`` is the key in the source's encrypted credentials; ``label`` and ``help_text`` (lazy
    translations) say where to find it in the platform's admin. A ``secret`` field is a password
    input, never rendered back.
    """

    name: str
    label: str
    help_text: str = ""
    secret: bool = True
    required: bool = True


class Connector:
    """Check the connection; fetch each stream page by page from a saved cursor.

    Subclasses set ``kind`` and ``streams`` and implement ``check`` and ``pages``. A
    connector only reads the source and yields plain records (``connectors.records``); the
    shared writer stores them.
    """

    kind: ClassVar[str]
    streams: ClassVar[tuple[str, ...]] = ("products", "orders")
    # What the "Connect a shop" form asks for (``connectors.forms.ShopSourceForm``): the shop's
    # address, labelled ``url_label`` with ``url_help``, then these credentials.
    connect_fields: ClassVar[tuple[ConnectField, ...]] = ()
    url_label: ClassVar[str | None] = None
    url_help: ClassVar[str | None] = None

    def __init__(self, source: DataSource):
        self.source = source

    def check(self) -> None:
        """Raise ``ConnectorError`` if the source cannot be read with its settings and credentials."""
        raise NotImplementedError

    def pages(self, stream: str, cursor: dict | None) -> Iterator[Page]:
        """Yield the stream's pages, starting where ``cursor`` (from the last written page) says."""
        raise NotImplementedError
