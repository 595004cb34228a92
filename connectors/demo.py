"""Plausible order histories for the demo SMEs, so the data page and the toolkit have something to show.

Each enrolled demo SME past onboarding gets a catalogue (of deliberately mixed listing
quality) and orders from the day its data collection began until today, imported as its
"file upload" source. Histories differ in length, seasonality and markets, so every
readiness level and opportunity group shows up. Seeded: the same demo every time.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from journey.models import SME, Stage

from .models import SyncRun, SyncStatus, SyncTrigger
from .records import ImageRecord, OrderLineRecord, OrderRecord, ProductRecord
from .services import file_source_for
from .writer import write_orders, write_products

# Stages at which an SME has been collecting data, and so has a history.
WITH_DATA = {
    Stage.DATA_COLLECTION, Stage.PLANNING, Stage.INTENSIVE, Stage.GROWTH_REVIEW, Stage.AFTERCARE, Stage.PAUSED,
}  # fmt: skip
PRODUCT_WORDS = {
    "food_drink": ["Oat biscuits", "Sea salt caramels", "Breakfast tea", "Apple cider", "Honey", "Shortbread tin"],
    "fashion": ["Wool jumper", "Linen shirt", "Knitted scarf", "Beanie hat", "Fingerless gloves", "Cardigan"],
    "home_gifts": ["Soy candle", "Slate coaster set", "Wooden toy boat", "Tea towel", "Reed diffuser", "Photo frame"],
    "health_beauty": ["Lavender soap", "Hand cream", "Lip balm", "Bath salts", "Face oil", "Shampoo bar"],
    "crafts": ["Stoneware mug", "Serving bowl", "Bud vase", "Dinner plate", "Jug", "Tile"],
    "sports_outdoor": ["Walking socks", "Rain jacket", "Water bottle", "Trekking poles", "Map case", "Head torch"],
    "industrial": ["Chisel set", "Bench vice", "Spirit level", "Hand plane", "Clamp", "Saw blade"],
    "electronics": ["Sensor kit", "Relay board", "Soldering kit", "Cable pack", "Power module", "Starter kit"],
    "marine": ["Mooring line", "Fender", "Deck shoes", "Sail repair kit", "Shackle set", "Boat hook"],
    "books_media": ["Sea charts atlas", "Board game", "Card game", "Puzzle", "Cookbook", "Field guide"],
}
COUNTRIES = {"GB": ["GB", "GB", "GB", "FR", "IE", "DE"], "FR": ["FR", "FR", "FR", "BE", "GB", "DE"]}


def _catalogue(sme: SME, rng: random.Random) -> list[ProductRecord]:
    words = PRODUCT_WORDS.get(sme.sector, PRODUCT_WORDS["home_gifts"])
    products = []
    for index, word in enumerate(words, start=1):
        good = rng.random() < 0.6  # some listings are good, some need work: the inventory tool has fixes
        title = f"{word} — {sme.name}" if good else word.upper() if rng.random() < 0.3 else word
        description = f"{word} made by {sme.name}. " * 8 if good else ("" if rng.random() < 0.5 else f"{word}. Lovely.")
        size = 1200 if good else rng.choice([600, None])
        products.append(
            ProductRecord(
                external_id=f"demo-{index}",
                sku=f"{sme.slug[:6].upper()}-{index:02d}",
                title=title,
                description=description.strip(),
                price=Decimal(rng.choice(["8.50", "12.00", "18.00", "24.00", "35.00", "49.00"])),
                currency=sme.launchpad.currency,
                images=[ImageRecord(url=f"https://img.example/{sme.slug}/{index}.jpg", width=size, height=size)]
                if good or rng.random() < 0.5
                else [],
                gtin=f"50{rng.randrange(10**10, 10**11)}" if good else "",
                stock_tracked=good or rng.random() < 0.5,
                stock_quantity=rng.choice([0, 3, 12, 40, 120]),
            )
        )
    # Most products have a known unit cost; the others are costed from the SME's default margin.
    for product in products:
        if product.price is not None and rng.random() < 0.7:
            product.unit_cost = (product.price * Decimal(rng.choice(["0.35", "0.45", "0.55"]))).quantize(
                Decimal("0.01")
            )
    return products


@transaction.atomic
def load_histories(*, now: datetime.datetime | None = None) -> int:
    """Give every demo SME with data a history (once: an SME with orders is left as it is)."""
    now = now or timezone.now()
    count = 0
    for sme in SME.objects.filter(stage__in=WITH_DATA).select_related("launchpad").order_by("pk"):
        if sme.orders.exists():
            continue
        change = sme.stage_changes.filter(to_stage=Stage.DATA_COLLECTION).order_by("at").first()
        if change is None:
            continue
        rng = random.Random(sme.slug)  # noqa: S311 — demo data, seeded for repeatability
        source = file_source_for(sme=sme)
        catalogue = _catalogue(sme, rng)
        write_products(source, catalogue)
        # Histories start a little before data collection began (the shop existed before), except
        # for SMEs that began collecting lately: their thin history is what readiness warns about.
        recent = (now - change.at).days < 90
        start = change.at - datetime.timedelta(days=10 if recent else rng.choice([60, 200, 420]))
        orders, day, n = [], start, 0
        popularity = [rng.random() ** 2 for _ in catalogue]
        while day < now:
            season = 1.8 if day.month in (11, 12) else 0.8 if day.month in (1, 2) else 1.0
            growth = 1 + (day - start).days / 365
            for _ in range(rng.choices([0, 1, 2, 3], weights=[4, 4 * season * growth, 2 * season, 1])[0]):
                n += 1
                product_index = rng.choices(range(len(catalogue)), weights=popularity)[0]
                product = catalogue[product_index]
                quantity = -1 if rng.random() < 0.03 else rng.choice([1, 1, 1, 2, 3])
                orders.append(
                    OrderRecord(
                        external_id=f"D{n:05d}",
                        placed_at=day + datetime.timedelta(hours=rng.randrange(8, 21)),
                        channel=rng.choice(["web", "web", "web", "marketplace"]),
                        customer_country=rng.choice(COUNTRIES[sme.country]),
                        currency=sme.launchpad.currency,
                        lines=[
                            OrderLineRecord(
                                line_key="1",
                                sku=product.sku,
                                product_external_id=product.external_id,
                                quantity=quantity,
                                unit_price=product.price,
                                unit_cost=product.unit_cost,
                            )
                        ],
                    )
                )
            day += datetime.timedelta(days=1)
        for page in range(0, len(orders), 2000):
            write_orders(source, orders[page : page + 2000])
        SyncRun.objects.create(
            source=source,
            trigger=SyncTrigger.UPLOAD,
            status=SyncStatus.SUCCEEDED,
            started_at=now,
            finished_at=now,
            pages=1,
            created=len(catalogue) + len(orders),
        )
        source.status, source.last_success_at = "ok", now
        source.save(update_fields=["status", "last_success_at"])
        count += 1
    return count
