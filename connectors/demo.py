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

import pandas as pd
from django.db import transaction
from django.utils import timezone

from journey.models import SME, Stage

from .models import DataSource, SourceKind, SourceStatus, SyncRun, SyncStatus, SyncTrigger
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
# French SMEs sell under French names (same sectors, same order: the seeded histories do not change).
PRODUCT_WORDS_FR = {
    "food_drink": ["Sablés au beurre", "Caramels au sel", "Thé du matin", "Cidre brut", "Miel de fleurs",
                   "Boîte de galettes"],
    "fashion": ["Pull en laine", "Chemise en lin", "Écharpe tricotée", "Bonnet", "Mitaines", "Gilet"],
    "home_gifts": ["Bougie de soja", "Sous-verres en ardoise", "Bateau en bois", "Torchon", "Diffuseur de parfum",
                   "Cadre photo"],
    "health_beauty": ["Savon à la lavande", "Crème pour les mains", "Baume à lèvres", "Sels de bain",
                      "Huile pour le visage", "Shampooing solide"],
    "crafts": ["Tasse en grès", "Saladier", "Soliflore", "Assiette plate", "Pichet", "Carreau"],
    "sports_outdoor": ["Chaussettes de randonnée", "Veste de pluie", "Gourde", "Bâtons de marche", "Porte-carte",
                       "Lampe frontale"],
    "industrial": ["Jeu de ciseaux à bois", "Étau d'établi", "Niveau à bulle", "Rabot", "Serre-joint", "Lame de scie"],
    "electronics": ["Kit de capteurs", "Carte relais", "Kit de soudure", "Lot de câbles", "Module d'alimentation",
                    "Kit de démarrage"],
    "marine": ["Amarre", "Pare-battage", "Chaussures de pont", "Kit réparation voile", "Jeu de manilles",
               "Gaffe"],
    "books_media": ["Atlas des cartes marines", "Jeu de société", "Jeu de cartes", "Puzzle", "Livre de cuisine",
                    "Guide de terrain"],
}  # fmt: skip
COUNTRIES = {"GB": ["GB", "GB", "GB", "FR", "IE", "DE"], "FR": ["FR", "FR", "FR", "BE", "GB", "DE"]}


def _catalogue(sme: SME, rng: random.Random) -> list[ProductRecord]:
    french = sme.country == "FR"
    names = PRODUCT_WORDS_FR if french else PRODUCT_WORDS
    words = names.get(sme.sector, names["home_gifts"])
    made_by, lovely = ("fabriqué par", "Très joli.") if french else ("made by", "Lovely.")
    products = []
    for index, word in enumerate(words, start=1):
        good = rng.random() < 0.6  # some listings are good, some need work: the inventory tool has fixes
        title = f"{word} — {sme.name}" if good else word.upper() if rng.random() < 0.3 else word
        description = (
            f"{word} {made_by} {sme.name}. " * 8 if good else ("" if rng.random() < 0.5 else f"{word}. {lovely}")
        )
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
        # Who ordered: a third come back. A generator of its own, so the orders stay as they were.
        customers, known = random.Random(f"{sme.slug}-customers"), 0  # noqa: S311 — demo data
        while day < now:
            season = 1.8 if day.month in (11, 12) else 0.8 if day.month in (1, 2) else 1.0
            growth = 1 + (day - start).days / 365
            for _ in range(rng.choices([0, 1, 2, 3], weights=[4, 4 * season * growth, 2 * season, 1])[0]):
                n += 1
                product_index = rng.choices(range(len(catalogue)), weights=popularity)[0]
                product = catalogue[product_index]
                quantity = -1 if rng.random() < 0.03 else rng.choice([1, 1, 1, 2, 3])
                if known and customers.random() < 0.33:
                    customer = customers.randrange(known)
                else:
                    customer, known = known, known + 1
                record = OrderRecord(
                    external_id=f"D{n:05d}",
                    placed_at=day + datetime.timedelta(hours=rng.randrange(8, 21)),
                    channel=rng.choice(["web", "web", "web", "marketplace"]),
                    customer_country=rng.choice(COUNTRIES[sme.country]),
                    customer_ref=f"id:{sme.slug}-{customer}",
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
                if record.placed_at <= now:  # today's later hours have not happened yet
                    orders.append(record)
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
        _connected_when_collection_began(source, change.at)
        count += 1
    return count


def load_shop_sources() -> int:
    """Give each demo SME with data a source of the platform its shop runs on, awaiting connection.

    The demo's histories came in as file uploads; the shop itself (PrestaShop, Magento,
    Squarespace, …, as ``journey.demo.SMES`` says) is shown as not connected yet, with no
    address and no key: connecting it from the data page (``source_add``) turns this row into
    the connected shop. Once: an SME with any source of its platform is left as it is.
    Returns how many were created.
    """
    from journey.demo import SMES

    kinds = set(SourceKind.values) - {SourceKind.FILE, SourceKind.GA4}
    created = 0
    smes = SME.objects.filter(slug__in=[item.slug for item in SMES], stage__in=WITH_DATA, shop_platform__in=kinds)
    for sme in smes.order_by("pk"):
        if sme.data_sources.filter(kind=sme.shop_platform).exists():
            continue
        DataSource.objects.create(sme=sme, kind=sme.shop_platform, base_url="", status=SourceStatus.AWAITING)
        created += 1
    return created


# -- the real Online Retail history ------------------------------------------------------------

# The demo SME that carries the UCI Online Retail history: a UK giftware retailer selling to
# consumers and to trade buyers, as the UCI company did.
ONLINE_RETAIL_SME = "welsh-slate-gifts"
ONLINE_RETAIL_COLUMNS = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "Country"]


class DemoDataError(Exception):
    """The demo data file cannot be used; the message says why, in one line."""


def online_retail_table(path) -> pd.DataFrame:
    """The Online Retail file (CSV, plain or compressed, or XLSX) as text cells, its dates parsed."""
    from pathlib import Path

    path = Path(path)
    if not path.is_file():
        raise DemoDataError(f"No Online Retail file at {path}.")
    try:
        if path.suffix.lower() == ".xlsx":
            table = pd.read_excel(path, dtype=str, keep_default_na=False)
        else:
            table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise DemoDataError(f"{path} cannot be read as an Online Retail file: {error}") from error
    missing = [column for column in ONLINE_RETAIL_COLUMNS if column not in table.columns]
    if missing:
        raise DemoDataError(f"{path} is not in the Online Retail layout: no {', '.join(missing)} column.")
    if table.empty:
        raise DemoDataError(f"{path} has no rows.")
    try:
        table["InvoiceDate"] = pd.to_datetime(table["InvoiceDate"], format="ISO8601")
    except ValueError as error:
        raise DemoDataError(f"{path}: InvoiceDate must be YYYY-MM-DD HH:MM:SS ({error}).") from error
    return table


def online_retail_products(table: pd.DataFrame, *, currency: str = "GBP") -> list[ProductRecord]:
    """The catalogue behind an Online Retail table: one product per stock code sold.

    The file has no catalogue, so it is what the lines show: the stock code as SKU, the
    latest description as title (in capitals, as the retailer wrote them: the inventory tool
    flags that), the latest selling price. Stock, images and descriptions are not known.
    Postage, fees and adjustments (``ONLINE_RETAIL_AMOUNTS``) are not products.
    """
    from .files.layouts import ONLINE_RETAIL_AMOUNTS

    codes = table["StockCode"].str.strip()
    quantity = pd.to_numeric(table["Quantity"], errors="coerce")
    price = pd.to_numeric(table["UnitPrice"], errors="coerce")
    sold = table.assign(code=codes, price=price)[
        (quantity > 0) & (price > 0) & (codes != "") & ~codes.str.upper().isin(ONLINE_RETAIL_AMOUNTS)
    ]
    latest = sold.sort_values("InvoiceDate", kind="stable").groupby("code").tail(1)
    return [
        ProductRecord(
            external_id=code,
            sku=code,
            title=title.strip(),
            price=Decimal(str(unit_price)).quantize(Decimal("0.01")),
            currency=currency,
        )
        for code, title, unit_price in sorted(zip(latest["code"], latest["Description"], latest["price"], strict=True))
    ]


def _weeks_to_yesterday(last: datetime.date, today: datetime.date) -> datetime.timedelta:
    return datetime.timedelta(weeks=((today - datetime.timedelta(days=1)) - last).days // 7)


def load_online_retail(path, *, slug: str = ONLINE_RETAIL_SME, today: datetime.date | None = None) -> dict:
    """Give the demo's UK giftware retailer the real Online Retail history, through the normal file import.

    All or nothing, and once: an SME that already has this history is left as it is (nothing
    is created again); a generated demo history it had is replaced. The history is moved
    forward by whole weeks so that it ends in the week before ``today`` (weekdays, order times,
    amounts, products and countries stay as they were): the demo is about now, and the SME's
    data collection began during that year of history, as its journey stage says. The
    catalogue comes from the same file (``online_retail_products``). Raises ``DemoDataError``.
    """
    import tempfile
    from pathlib import Path

    from .files.importer import orders_file_import

    sme = SME.objects.select_related("launchpad").get(slug=slug)
    if sme.orders.exists() and not sme.products.filter(external_id__startswith="demo-").exists():
        return {"sme": sme, "created": 0, "orders": sme.orders.count(), "shift_days": None}
    table = online_retail_table(path)
    today = today or timezone.localdate()
    shift = _weeks_to_yesterday(table["InvoiceDate"].max().date(), today)
    table["InvoiceDate"] = (table["InvoiceDate"] + shift).dt.strftime("%Y-%m-%d %H:%M:%S")
    products = online_retail_products(table, currency=sme.launchpad.currency)
    with tempfile.TemporaryDirectory() as folder:
        shifted = Path(folder) / "online_retail.csv"
        table.to_csv(shifted, index=False)
        with transaction.atomic():
            _generated_history_remove(sme)
            source = file_source_for(sme=sme)
            product_counts = write_products(source, products)
            result = orders_file_import(
                sme=sme, path_or_file=shifted, layout="online-retail", trigger=SyncTrigger.COMMAND
            )
            if not result.ok:
                errors = "; ".join(str(error) for error in result.errors[:3])
                raise DemoDataError(f"{path} was not imported ({result.status}): {result.message or errors}")
            change = sme.stage_changes.filter(to_stage=Stage.DATA_COLLECTION).order_by("at").first()
            if change is not None:
                _connected_when_collection_began(source, change.at)
    return {
        "sme": sme,
        "created": result.counts.created + product_counts.created,
        "orders": result.records,
        "lines": result.lines,
        "products": len(products),
        "shift_days": shift.days,
    }


def _connected_when_collection_began(source: DataSource, at: datetime.datetime) -> None:
    """Date the demo source from the day the SME's data collection began, as a real one would be.

    The quarterly reviews count sources from the day they were connected: without this,
    every past review of the demo would show none.
    """
    DataSource.objects.filter(pk=source.pk).update(created_at=at)


def _generated_history_remove(sme: SME) -> None:
    """Remove a history ``load_histories`` generated for the SME (its products are ``demo-N``)."""
    if sme.products.filter(external_id__startswith="demo-").exists():
        sme.orders.all().delete()
        sme.products.all().delete()
        sme.product_analytics.all().delete()
