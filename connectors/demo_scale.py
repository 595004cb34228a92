"""Order histories for the scale demo's SMEs (``load_demo --scale N``, issue 22).

Every generated SME that has reached data collection gets a file source, a catalogue and
an order history from a little before its data collection began until today. Sizes are
skewed as a real programme's are: most SMEs sell a few thousand lines a year (log-normal,
median 4,000), about one in seventy sells over 100,000. At 1,000 SMEs that makes over five
million order lines. Everything goes through the shared writer (``writer.write_orders``),
which sends new orders and lines to PostgreSQL with COPY, as an import does.

Seeded by the SME's slug: the same SME gets the same history. An SME whose source already
has orders is left as it is, so loading twice duplicates nothing.
"""

from __future__ import annotations

import datetime
import zlib
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from journey.demo_scale import SLUG_PREFIX
from journey.models import SME, Stage, StageChange

from .demo import COUNTRIES, PRODUCT_WORDS, _connected_when_collection_began
from .models import DataSource, Order, SyncRun, SyncStatus, SyncTrigger
from .records import OrderLineRecord, OrderRecord, ProductRecord
from .services import file_source_for
from .writer import check_constraints_per_statement, write_orders, write_products

PAGE = 5000  # orders per write, as an import's pages
MEDIAN_LINES_A_YEAR = 4000
BIG_SHARE = 0.015  # about one SME in seventy sells over 100,000 lines a year
VARIANTS = ["S", "M", "L", "Classic", "Gift set", "Large"]
PRICES = ["6.50", "9.00", "12.00", "18.00", "24.00", "35.00", "49.00", "79.00"]


def _rng(sme: SME, what: str) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(f"{what}:{sme.slug}".encode()))


def _catalogue(sme: SME, rng: np.random.Generator) -> list[ProductRecord]:
    """Six to thirty-six products, variants of the sector's goods; most with a known unit cost."""
    words = PRODUCT_WORDS.get(sme.sector, PRODUCT_WORDS["home_gifts"])
    variants = VARIANTS[: int(rng.integers(1, len(VARIANTS) + 1))]
    products = []
    for index, word in enumerate(words, start=1):
        for position, variant in enumerate(variants, start=1):
            price = Decimal(PRICES[int(rng.integers(len(PRICES)))])
            known_cost = rng.random() < 0.7
            products.append(
                ProductRecord(
                    external_id=f"scale-{index}-{position}",
                    sku=f"{sme.slug.upper()}-{index:02d}{position}",
                    title=f"{word} ({variant})",
                    description=f"{word}, {variant.lower()}, made by {sme.name}." if rng.random() < 0.6 else "",
                    price=price,
                    currency=sme.launchpad.currency,
                    stock_tracked=bool(rng.random() < 0.6),
                    stock_quantity=int(rng.choice([0, 5, 20, 80, 300])),
                    unit_cost=(price * Decimal(str(rng.choice([0.35, 0.45, 0.55])))).quantize(Decimal("0.01"))
                    if known_cost
                    else None,
                )
            )
    return products


def lines_a_year(sme: SME) -> int:
    """The SME's yearly order lines: log-normal around ``MEDIAN_LINES_A_YEAR``, a few over 100,000."""
    rng = _rng(sme, "size")
    if rng.random() < BIG_SHARE:
        return int(rng.integers(100_000, 250_000))
    return max(200, int(MEDIAN_LINES_A_YEAR * rng.lognormal(0, 0.8)))


def _history(sme: SME, catalogue, start: datetime.datetime, now: datetime.datetime, factor: float):
    """The SME's orders as records, oldest first, in pages of ``PAGE``."""
    rng = _rng(sme, "orders")
    days = max(1, (now - start).days)
    lines = max(1, int(lines_a_year(sme) * days / 365 * factor))
    lines_per_order = rng.choice([1, 2, 3, 4], size=lines, p=[0.55, 0.25, 0.12, 0.08])
    order_count = max(1, int(np.searchsorted(np.cumsum(lines_per_order), lines)) + 1)
    lines_per_order = lines_per_order[:order_count]
    # Busier before Christmas, quieter in January and February, growing over the years.
    offsets = np.arange(days)
    months = np.array([(start + datetime.timedelta(days=int(d))).month for d in offsets])
    weight = np.where(np.isin(months, [11, 12]), 1.8, np.where(np.isin(months, [1, 2]), 0.8, 1.0))
    weight = weight * (1 + offsets / 365)
    order_days = np.sort(rng.choice(offsets, size=order_count, p=weight / weight.sum()))
    seconds = rng.integers(8 * 3600, 21 * 3600, size=order_count)
    popularity = rng.random(len(catalogue)) ** 3
    products = rng.choice(len(catalogue), size=int(lines_per_order.sum()), p=popularity / popularity.sum())
    quantities = rng.choice([1, 1, 1, 2, 3, 6], size=len(products))
    quantities[rng.random(len(products)) < 0.03] = -1  # returns
    channels = rng.choice(["web", "web", "web", "marketplace"], size=order_count)
    countries = rng.choice(COUNTRIES[sme.country], size=order_count)
    currency = sme.launchpad.currency
    page, line = [], 0
    for number in range(order_count):
        placed_at = start + datetime.timedelta(days=int(order_days[number]), seconds=int(seconds[number]))
        if placed_at > now:
            break
        record_lines = []
        for key in range(1, int(lines_per_order[number]) + 1):
            product = catalogue[products[line]]
            record_lines.append(
                OrderLineRecord(
                    line_key=str(key),
                    sku=product.sku,
                    product_external_id=product.external_id,
                    quantity=int(quantities[line]),
                    unit_price=product.price,
                    unit_cost=product.unit_cost,
                )
            )
            line += 1
        page.append(
            OrderRecord(
                external_id=f"S{number + 1:07d}",
                placed_at=placed_at,
                channel=str(channels[number]),
                customer_country=str(countries[number]),
                currency=currency,
                lines=record_lines,
            )
        )
        if len(page) == PAGE:
            yield page
            page = []
    if page:
        yield page


WITH_DATA = {
    Stage.DATA_COLLECTION, Stage.PLANNING, Stage.INTENSIVE, Stage.GROWTH_REVIEW, Stage.AFTERCARE, Stage.COMPLETED,
}  # fmt: skip


def load(*, now: datetime.datetime | None = None, factor: float = 1.0, progress=None) -> dict[str, int]:
    """Give every generated SME that reached data collection its source, catalogue and orders (once).

    ``factor`` scales the histories (a CI or test run uses a small one). One transaction per
    SME: an interrupted load resumes where it stopped. Returns the SMEs, orders and lines
    created this time.
    """
    now = now or timezone.now()
    totals = {"smes": 0, "orders": 0, "lines": 0}
    # Paused and withdrawn SMEs keep the history of the stage they left (their resume stage).
    smes = (
        SME.objects.filter(slug__startswith=SLUG_PREFIX)
        .filter(Q(stage__in=WITH_DATA) | Q(resume_stage__in=WITH_DATA))
        .select_related("launchpad")
        .order_by("slug")
    )
    with_orders = set(
        Order.objects.filter(sme__slug__startswith=SLUG_PREFIX).values_list("sme_id", flat=True).distinct()
    )
    collection = dict(
        StageChange.objects.filter(sme__slug__startswith=SLUG_PREFIX, to_stage=Stage.DATA_COLLECTION).values_list(
            "sme_id", "at"
        )
    )
    for sme in smes:
        if sme.pk in with_orders or sme.pk not in collection:
            continue
        began = collection[sme.pk]
        start = began - datetime.timedelta(days=int(_rng(sme, "start").integers(30, 400)))
        with transaction.atomic():
            check_constraints_per_statement()
            source = file_source_for(sme=sme)
            catalogue = _catalogue(sme, _rng(sme, "catalogue"))
            write_products(source, catalogue)
            orders = lines = 0
            for page in _history(sme, catalogue, start, now, factor):
                write_orders(source, page)
                orders += len(page)
                lines += sum(len(record.lines) for record in page)
            SyncRun.objects.create(
                source=source,
                trigger=SyncTrigger.COMMAND,
                status=SyncStatus.SUCCEEDED,
                started_at=now,
                heartbeat_at=now,
                finished_at=now,
                pages=1,
                created=len(catalogue) + orders,
            )
            DataSource.objects.filter(pk=source.pk).update(status="ok", last_success_at=now)
            _connected_when_collection_began(source, began)
        totals["smes"] += 1
        totals["orders"] += orders
        totals["lines"] += lines
        if progress:
            progress(sme, orders, lines)
    return totals
