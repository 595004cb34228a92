"""Building pages ahead: a helper thread reads and groups the file while this one writes the page before.

``from_helper`` runs a producer in a helper thread, one item ahead of the caller;
``built_ahead`` builds pages of records that way; ``PagesAhead`` hands pass 1's orders
to the writer while pass 1 reads on (see ``importer._import_orders``).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from queue import Full, Queue

from django.utils import translation

from . import passes
from .cells import parse_numeric_date as numeric_date
from .passes import OrderBuilder
from .rows import OrderRowReader


class PagesAhead:
    """Pass 1's orders, a page at a time, handed to the writer while pass 1 reads on.

    Pass 1 is this process's work and writing mostly the database's: done one after the other
    they took the sum of both. So while the file is checked, its orders are already written,
    page by page, inside the import's one transaction, each page after a savepoint. What pass 1
    learns later settles whether they stay:

    - a bad row anywhere: everything is rolled back, nothing was written (``_import_orders``);
    - an order met again after its page was handed (a scattered order): the pages from that one
      on are rolled back and written again after pass 1, from the file read again from that
      page's first line, with the scattered orders whole. A page waits until ``lookahead``
      orders of the next one have been read before it is handed, so an order met again
      shortly after simply gets its rows joined;
    - dates that read both day first and month first ("03/04/2026") in a file whose order is
      settled only at its end: pages are written with the order the dates seen so far point to
      (``guess``; up to ``HELD_PAGES`` pages wait for a date that tells), and from the page that
      first used it, rolled back and written again if the file settles otherwise.

    Once writing ahead cannot help any more (a bad row, a scattered order, dates pointing the
    other way), it stops: the rest is written after pass 1 from the file read again from
    ``resume_line``, leaving out the rows of orders already written (``kept``). Nothing is
    spooled: writing ahead rarely stops, and reading again costs less than spooling every row.
    """

    HELD_PAGES = 2

    def __init__(self, reader: OrderRowReader, hand):
        self.reader = reader
        self.hand = hand  # hand((first line, records)) to the writer
        self.stopped = getattr(hand, "stopped", bool)  # the writer left: stop reading
        self.live = True
        self.lookahead = max(1, passes.PAGE_SIZE // 4)
        self.open: dict[str, OrderBuilder] = {}  # orders not handed yet
        self.pending: list[tuple[int, list[OrderBuilder]]] = []  # full pages not handed yet (first line, orders)
        self.page: list[OrderBuilder] = []
        self.page_start = 0
        self.handed: dict[str, int] = {}  # order id → the number of the page that held it
        self.pages = 0  # handed so far
        self.guess: str | None = None  # how the pages handed read ambiguous day/month dates
        self.guessed_from: int | None = None  # the first page that did
        self.redo_from: int | None = None  # the first handed page to roll back, if any
        self.resume_line: int | None = None  # the first line of the file not handed, if any

    def start(self, order_id: str, line: int) -> OrderBuilder | None:
        """A new order begins on the file's ``line``: its builder (None once writing ahead stopped)."""
        if self.stopped():
            raise _Stopped
        if not self.live:
            return None
        if len(self.page) >= passes.PAGE_SIZE:
            self.pending.append((self.page_start, self.page))
            self.page, self.page_start = [], line
        while self.pending and len(self.page) >= self.lookahead and self._hand_first():
            pass
        if not self.live:
            return None
        builder = self.open[order_id] = OrderBuilder(order_id, self.reader.currency)
        self.page.append(builder)
        return builder

    def met_again(self, order_id: str) -> OrderBuilder | None:
        """An order seen before begins again: its builder if not handed yet, else its page is to be redone."""
        builder = self.open.get(order_id)
        if builder is not None:
            return builder if self.live else None
        page = self.handed.get(order_id)
        if page is not None:
            self.redo_from = page if self.redo_from is None else min(self.redo_from, page)
            self._stop()
        return None

    def finish(self) -> None:
        """After pass 1 (date order settled): hand the rest, or settle what is to be rolled back."""
        reader = self.reader
        if self.guess is not None and self.guess != reader.date_order:
            self.redo_from = min(self.guessed_from, self.redo_from if self.redo_from is not None else self.pages)
            self._stop()
        if not self.live or reader.errors.count:
            self._stop()
            return
        if self.page:
            self.pending.append((self.page_start, self.page))
            self.page = []
        self.guess = reader.date_order
        while self.pending:
            self._hand_first(final=True)

    def kept(self, row) -> bool:
        """Whether a row is of an order written ahead and kept (not to be written again)."""
        page = self.handed.get(row[0])
        return page is not None and (self.redo_from is None or page < self.redo_from)

    def _stop(self) -> None:
        if self.live:
            self.live = False
            self.resume_line = self.pending[0][0] if self.pending else self.page_start
            self.pending, self.page, self.open = [], [], {}

    def _hand_first(self, final: bool = False) -> bool:
        reader = self.reader
        if reader.errors.count:
            self._stop()
            return False
        first_line, builders = self.pending[0]
        if not final and reader.date_order == "auto":
            if self.guess is None and any(builder.placed_at.__class__ is str for builder in builders):
                evidence = reader._mdy_only.count or reader._dmy_only.count
                if not evidence and len(self.pending) < self.HELD_PAGES:
                    return False  # wait for a date that only one order fits
                self.guess, self.guessed_from = self._tally(), self.pages
            if self.guess is not None and self._tally() != self.guess:
                self._stop()  # these pages would most likely be rolled back
                return False
        records = [builder.record() for builder in builders]
        for record in records:
            if record.placed_at.__class__ is str:
                parsed = numeric_date(record.placed_at, self.guess)
                record.placed_at = parsed.replace(tzinfo=reader.zone) if parsed.tzinfo is None else parsed
        del self.pending[0]
        page, handed, open_ = self.pages, self.handed, self.open
        for builder in builders:
            del open_[builder.order_id]
            handed[builder.order_id] = page
        self.hand((first_line, records))
        self.pages += 1
        return True

    def _tally(self) -> str:
        """The day/month order the dates read so far point to (``settle_date_order``'s rule)."""
        reader = self.reader
        return "mdy" if reader._mdy_only.count > reader._dmy_only.count else "dmy"


class _Failed:
    def __init__(self, error: BaseException):
        self.error = error


_DONE = object()


class _Stopped(Exception):
    """The caller left: the helper's work ends."""


@contextlib.contextmanager
def from_helper(produce):
    """Run ``produce(hand)`` in a helper thread; the items it hands come out here, in order, as they come.

    At most one handed item waits, so the helper runs at most one item ahead of the caller.
    An error in the helper is raised in the caller; leaving early stops the helper (its next
    ``hand`` raises ``_Stopped``). The language active here is active in the helper too
    (its error reasons are translated as they are collected).
    """
    queue: Queue = Queue(maxsize=1)
    stop = threading.Event()
    language = translation.get_language()

    def hand(item) -> None:
        while not stop.is_set():
            with contextlib.suppress(Full):
                queue.put(item, timeout=0.1)
                return
        raise _Stopped

    hand.stopped = stop.is_set  # for a helper that may go long without handing anything

    def work() -> None:
        try:
            with translation.override(language):
                produce(hand)
            hand(_DONE)
        except _Stopped:
            return
        except BaseException as error:  # raised again in the caller
            with contextlib.suppress(_Stopped):
                hand(_Failed(error))

    def handed() -> Iterator:
        while (item := queue.get()) is not _DONE:
            if isinstance(item, _Failed):
                raise item.error
            yield item

    thread = threading.Thread(target=work, name="import-pages", daemon=True)
    thread.start()
    try:
        yield handed()
    finally:
        stop.set()
        thread.join()


def built_ahead(pages: Iterator[list]):
    """``pages`` again, each built in a helper thread while the caller writes the page before.

    Building a page (reading the spool, grouping rows into records) is Python work; writing
    one is mostly the database's (COPY, indexes, foreign key checks), during which this
    process waits with the interpreter free: the thread builds the next page then. At most
    one built page waits, so memory stays bounded by three pages. The thread never touches
    the database.
    """

    def produce(hand) -> None:
        for page in pages:
            hand(page)

    return from_helper(produce)
