"""The table layouts we recognise by their headers, and what each column means to us.

A layout maps header aliases to our fields (``connectors.records``), says how its dates are
written and how its rows become orders. Recognised: the UCI "Online Retail" layout, Shopify's
and WooCommerce's order exports, Shopify's and WooCommerce's product exports, and our own
template (English, French or bilingual headers, ``connectors.files.template``). Any other
table can be imported with a mapping ``{our field: their header}``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from django.utils.translation import gettext_lazy as _

from .template import ORDER_COLUMNS, PRODUCT_COLUMNS

ORDERS = "orders"
PRODUCTS = "products"


@dataclass(frozen=True)
class FieldSpec:
    """One of our fields a column can fill; ``level`` says whether it belongs to the order or its line."""

    name: str
    label: str
    required: bool = False
    level: str = "order"  # order | line  (orders); product (products)


ORDER_FIELDS = [
    FieldSpec("order_id", _("Order id"), required=True),
    FieldSpec("placed_at", _("Order date"), required=True),
    FieldSpec("status", _("Order status")),
    FieldSpec("currency", _("Currency")),
    FieldSpec("customer_country", _("Customer country")),
    FieldSpec("customer", _("Customer id or e-mail")),
    FieldSpec("channel", _("Sales channel")),
    FieldSpec("shipping", _("Shipping charged")),
    FieldSpec("discounts", _("Discounts")),
    FieldSpec("fees", _("Fees")),
    FieldSpec("refunds", _("Refunds")),
    FieldSpec("refunded_at", _("Refund date")),
    FieldSpec("refund_tax", _("Tax refunded")),
    FieldSpec("tax", _("Tax")),
    FieldSpec("shipping_tax", _("Tax on shipping")),
    FieldSpec("customer_fees", _("Fees charged to the customer")),
    FieldSpec("prices_include_tax", _("Prices include tax")),
    FieldSpec("refund_currency", _("Refund currency")),
    FieldSpec("sku", _("SKU"), level="line"),
    FieldSpec("description", _("Product name"), level="line"),
    FieldSpec("quantity", _("Quantity"), required=True, level="line"),
    FieldSpec("unit_price", _("Unit price"), required=True, level="line"),
    FieldSpec("unit_cost", _("Unit cost"), level="line"),
]

PRODUCT_FIELDS = [
    FieldSpec("external_id", _("Product id"), level="product"),
    FieldSpec("sku", _("SKU"), level="product"),
    FieldSpec("title", _("Title"), level="product"),
    FieldSpec("description", _("Description"), level="product"),
    FieldSpec("price", _("Price"), level="product"),
    FieldSpec("currency", _("Currency"), level="product"),
    FieldSpec("gtin", _("GTIN (barcode)"), level="product"),
    FieldSpec("brand", _("Brand"), level="product"),
    FieldSpec("mpn", _("MPN"), level="product"),
    FieldSpec("stock_quantity", _("Stock"), level="product"),
    FieldSpec("status", _("Product status"), level="product"),
    FieldSpec("unit_cost", _("Unit cost"), level="product"),
    FieldSpec("category", _("Category"), level="product"),
    FieldSpec("image_url", _("Image address"), level="product"),
    FieldSpec("group", _("Product group (variants of one product)"), level="product"),
]

FIELDS = {ORDERS: ORDER_FIELDS, PRODUCTS: PRODUCT_FIELDS}


def fields_for(stream: str) -> list[FieldSpec]:
    return FIELDS[stream]


# -- statuses --------------------------------------------------------------------------------

ORDER_STATUSES = {
    "completed": (
        "completed", "complete", "paid", "processing", "fulfilled", "shipped", "delivered", "closed",
        "partially_refunded", "partially refunded", "terminee", "termine", "payee", "paye", "expediee",
        "livree", "en cours", "en cours de traitement", "validee",
    ),
    "pending": (
        "pending", "pending payment", "authorized", "authorised", "partially_paid", "partially paid",
        "on-hold", "on hold", "unpaid", "draft", "checkout-draft", "en attente", "en attente de paiement",
        "attente paiement",
    ),
    "cancelled": (
        "cancelled", "canceled", "voided", "void", "failed", "expired", "trash", "annulee", "annule", "echouee",
        "echec",
    ),
    "refunded": ("refunded", "remboursee", "rembourse"),
}  # fmt: skip
PRODUCT_STATUSES = {
    "active": ("active", "publish", "published", "true", "yes", "1", "actif", "active", "publie", "en ligne", "oui"),
    "draft": ("draft", "pending", "private", "false", "no", "0", "brouillon", "prive", "hors ligne", "non"),
    "archived": ("archived", "trash", "archive", "corbeille"),
}


def normalise(text: str) -> str:
    """Case, accents, punctuation and spacing do not matter in headers and coded values."""
    text = unicodedata.normalize("NFKD", str(text).replace("\ufeff", "")).casefold()
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w#%]+", " ", text).split())


def _status_table(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    lookup = {}
    for status, words in table.items():
        for word in words:
            lookup[normalise(word)] = status
            lookup[normalise(word.removeprefix("wc-"))] = status
    return lookup


ORDER_STATUS_LOOKUP = _status_table(ORDER_STATUSES)
PRODUCT_STATUS_LOOKUP = _status_table(PRODUCT_STATUSES)


def order_status(text: str) -> str | None:
    """Our order status for a status as shops and people write it (``wc-processing``, ``Payée``); None if unknown."""
    key = normalise(text)
    return ORDER_STATUS_LOOKUP.get(key) or ORDER_STATUS_LOOKUP.get(key.removeprefix("wc "))


def product_status(text: str) -> str | None:
    """Our product status (``publish`` → active; WooCommerce's Published column: 1, 0 or -1 for a draft)."""
    if text.strip() == "-1":
        return "draft"
    return PRODUCT_STATUS_LOOKUP.get(normalise(text))


# -- countries -------------------------------------------------------------------------------

# The 38 "countries" of the UCI Online Retail file, then common names and abbreviations in
# English and French. Names that are not one country (Channel Islands: Jersey or Guernsey;
# European Community; Unspecified) map to "" (unknown), which is not an error.
COUNTRIES = {
    "United Kingdom": "GB", "Germany": "DE", "France": "FR", "EIRE": "IE", "Spain": "ES", "Netherlands": "NL",
    "Belgium": "BE", "Switzerland": "CH", "Portugal": "PT", "Australia": "AU", "Norway": "NO", "Italy": "IT",
    "Channel Islands": "", "Finland": "FI", "Cyprus": "CY", "Sweden": "SE", "Unspecified": "", "Austria": "AT",
    "Denmark": "DK", "Japan": "JP", "Poland": "PL", "Israel": "IL", "USA": "US", "Hong Kong": "HK",
    "Singapore": "SG", "Iceland": "IS", "Canada": "CA", "Greece": "GR", "Malta": "MT",
    "United Arab Emirates": "AE", "European Community": "", "RSA": "ZA", "Lebanon": "LB", "Lithuania": "LT",
    "Brazil": "BR", "Czech Republic": "CZ", "Bahrain": "BH", "Saudi Arabia": "SA",
    # Common others.
    "UK": "GB", "U.K.": "GB", "Great Britain": "GB", "Britain": "GB", "England": "GB", "Scotland": "GB",
    "Wales": "GB", "Northern Ireland": "GB", "Ireland": "IE", "Republic of Ireland": "IE",
    "United States": "US", "United States of America": "US", "U.S.A.": "US", "Holland": "NL",
    "The Netherlands": "NL", "Czechia": "CZ", "South Africa": "ZA", "Luxembourg": "LU", "Monaco": "MC",
    "Jersey": "JE", "Guernsey": "GG", "Isle of Man": "IM", "Gibraltar": "GI", "New Zealand": "NZ",
    "China": "CN", "India": "IN", "South Korea": "KR", "Korea": "KR", "Russia": "RU", "Turkey": "TR",
    "Mexico": "MX", "UAE": "AE", "Slovakia": "SK", "Hungary": "HU", "Romania": "RO", "Bulgaria": "BG",
    "Croatia": "HR", "Slovenia": "SI", "Estonia": "EE", "Latvia": "LV", "Deutschland": "DE", "Espana": "ES",
    "Italia": "IT", "Schweiz": "CH", "Nederland": "NL", "Belgique": "BE", "Royaume-Uni": "GB",
    "Grande-Bretagne": "GB", "Angleterre": "GB", "Ecosse": "GB", "Pays de Galles": "GB", "Irlande": "IE",
    "Allemagne": "DE", "Espagne": "ES", "Italie": "IT", "Suisse": "CH", "Pays-Bas": "NL", "Autriche": "AT",
    "Danemark": "DK", "Suede": "SE", "Norvege": "NO", "Finlande": "FI", "Pologne": "PL", "Grece": "GR",
    "Etats-Unis": "US", "Japon": "JP", "Chine": "CN", "Australie": "AU", "Bresil": "BR",
    "Republique tcheque": "CZ", "Chypre": "CY", "Malte": "MT", "Islande": "IS", "Lituanie": "LT",
    "Emirats arabes unis": "AE", "Arabie saoudite": "SA", "Afrique du Sud": "ZA", "Liban": "LB",
    "Nouvelle-Zelande": "NZ", "Inde": "IN", "Mexique": "MX", "Turquie": "TR", "Russie": "RU",
}  # fmt: skip


@cache
def _country_lookup() -> dict[str, str]:
    """Every English and French country name Babel knows, then our table on top, normalised."""
    from babel import Locale

    lookup: dict[str, str] = {}
    for language in ("fr", "en"):
        for code, name in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha():
                lookup[normalise(name)] = code
                lookup[normalise(code)] = code
    for name, code in COUNTRIES.items():
        lookup[normalise(name)] = code
    return lookup


def country_code(text: str) -> str:
    """ISO 3166 alpha-2 code for a country name or code in English or French; "" when unknown."""
    if not text:
        return ""
    return _country_lookup().get(normalise(text), "")


CURRENCY_SYMBOLS = {"£": "GBP", "€": "EUR", "$": "USD", "us$": "USD", "chf": "CHF"}


def currency_code(text: str) -> str | None:
    """A three-letter currency code (``gbp`` → GBP, ``€`` → EUR); None if it is not one."""
    text = text.strip()
    symbol = CURRENCY_SYMBOLS.get(text.casefold())
    if symbol:
        return symbol
    return text.upper() if re.fullmatch(r"[A-Za-z]{3}", text) else None


# -- the Online Retail layout's lines that are not products ----------------------------------

# The UCI file books postage, fees, discounts and adjustments as invoice lines with a
# stock code of their own. A line amount is quantity × unit price, signed like revenue (a
# cancellation's lines have negative quantities). We keep it simple:
# - postage and carriage are the shipping charged to the customer: shipping += amount;
# - "Discount" lines (only on cancellation invoices, quantity -1) are discounts given:
#   discounts += -amount, so a discount of 27.50 is stored as 27.50;
# - bank charges, Amazon fees, the CRUK charity commission and bad-debt adjustments ("B",
#   with a negative price on "A" invoices) are costs of the sale, not revenue: fees += -amount;
# - manual adjustments ("M"), samples ("S") and padding ("PADS") are price adjustments, not
#   product sales: discounts += -amount (a manual charge is a negative discount), so the
#   invoice total is kept while no product is credited with them;
# - everything else (gift vouchers included) stays an order line.
ONLINE_RETAIL_AMOUNTS = {
    "POST": "shipping",
    "DOT": "shipping",
    "C2": "shipping",
    "D": "discounts",
    "BANK CHARGES": "fees",
    "AMAZONFEE": "fees",
    "CRUK": "fees",
    "B": "fees",
    "M": "discounts",
    "S": "discounts",
    "PADS": "discounts",
}


# -- layouts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """How one kind of table maps to our fields.

    ``columns`` gives, per field, the headers that may hold it: every one present in the
    file is tried in turn and the first non-blank cell of a row wins (Shopify: the billing
    country, else the shipping country). ``required`` fields must all be found for the
    layout to be recognised. ``date_order`` reads ``03/04/2026`` as "dmy" (3 April), "mdy",
    or "auto": day-first unless the file's dates only make sense month-first.
    """

    name: str
    label: str
    stream: str
    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    date_order: str = "auto"
    # SKUs (upper case) of rows that are not order lines but add to an order amount:
    # "shipping", "discounts" or "fees" (see ONLINE_RETAIL_AMOUNTS).
    amount_codes: dict[str, str] = field(default_factory=dict)
    # Order status from the row's raw status text and the other columns it read.
    status_from: Callable[[dict], str | None] | None = None
    # Rows of one product grouped by this field (Shopify product exports: the handle).
    group_by: str = ""
    extra: dict = field(default_factory=dict)


def _template_aliases(columns) -> dict[str, tuple[str, ...]]:
    aliases = {}
    for column in columns:
        names = (column.en, column.fr, f"{column.en} / {column.fr}", *column.aliases)
        aliases[column.field] = names
    return aliases


def _shopify_status(values: dict) -> str | None:
    if values.get("cancelled_at"):
        return "cancelled"
    text = values.get("status") or ""
    return order_status(text) if text else None


ONLINE_RETAIL = Layout(
    name="online-retail",
    label=_("Online Retail (UCI)"),
    stream=ORDERS,
    columns={
        "order_id": ("InvoiceNo", "Invoice"),
        "sku": ("StockCode",),
        "description": ("Description",),
        "quantity": ("Quantity",),
        "placed_at": ("InvoiceDate",),
        "unit_price": ("UnitPrice", "Price"),
        "customer_country": ("Country",),
        "customer": ("CustomerID", "Customer ID"),
    },
    required=("order_id", "sku", "quantity", "placed_at", "unit_price"),
    amount_codes=ONLINE_RETAIL_AMOUNTS,
    extra={"cancellation_prefix": "C"},
)

SHOPIFY_ORDERS = Layout(
    name="shopify",
    label=_("Shopify orders export"),
    stream=ORDERS,
    columns={
        "order_id": ("Name",),
        "placed_at": ("Created at",),
        "status": ("Financial Status",),
        "cancelled_at": ("Cancelled at",),
        "currency": ("Currency",),
        "customer_country": ("Billing Country", "Shipping Country"),
        "customer": ("Email",),
        "channel": ("Source",),
        "shipping": ("Shipping",),
        "discounts": ("Discount Amount",),
        "refunds": ("Refunded Amount",),
        "sku": ("Lineitem sku",),
        "description": ("Lineitem name",),
        "quantity": ("Lineitem quantity",),
        "unit_price": ("Lineitem price",),
    },
    required=("order_id", "placed_at", "quantity", "unit_price"),
    status_from=_shopify_status,
)

WOOCOMMERCE_ORDERS = Layout(
    name="woocommerce",
    label=_("WooCommerce orders export"),
    stream=ORDERS,
    columns={
        "order_id": ("Order Number", "Order ID", "order_number", "order_id"),
        "placed_at": ("Order Date", "order_date", "Date"),
        "status": ("Order Status", "status"),
        "currency": ("Order Currency", "Currency", "order_currency"),
        "customer_country": (
            "Billing Country",
            "Country Code (Billing)",
            "billing_country",
            "Shipping Country",
            "Country Code (Shipping)",
            "shipping_country",
        ),
        "customer": ("Customer User", "Customer ID", "customer_id", "Billing Email Address", "Customer Email"),
        "shipping": ("Order Shipping Amount", "Shipping Total", "shipping_total"),
        "discounts": ("Cart Discount Amount", "Discount Total", "Order Discount Amount", "discount_total"),
        "refunds": ("Order Refund Amount", "Refund Total", "refund_total"),
        "sku": ("SKU", "Item SKU", "item_sku"),
        "description": ("Item Name", "item_name", "Product Name"),
        "quantity": ("Quantity", "Item Quantity", "Qty", "item_quantity"),
        "unit_price": ("Item Cost", "Item Price", "item_cost", "item_price"),
    },
    required=("order_id", "placed_at", "quantity", "unit_price"),
)

TEMPLATE_ORDERS = Layout(
    name="template",
    label=_("E-Channel orders template"),
    stream=ORDERS,
    columns=_template_aliases(ORDER_COLUMNS),
    required=("order_id", "placed_at", "quantity", "unit_price"),
    # The template documents dates as YYYY-MM-DD or DD/MM/YYYY (day first, in the UK and France).
    date_order="dmy",
)

SHOPIFY_PRODUCTS = Layout(
    name="shopify",
    label=_("Shopify products export"),
    stream=PRODUCTS,
    columns={
        "group": ("Handle",),
        "title": ("Title",),
        "description": ("Body (HTML)",),
        "brand": ("Vendor",),
        "category": ("Product Category", "Type"),
        "option": ("Option1 Value",),
        "option2": ("Option2 Value",),
        "option3": ("Option3 Value",),
        "sku": ("Variant SKU",),
        "stock_tracker": ("Variant Inventory Tracker",),
        "stock_quantity": ("Variant Inventory Qty",),
        "price": ("Variant Price",),
        "gtin": ("Variant Barcode",),
        "image_url": ("Variant Image", "Image Src"),
        "unit_cost": ("Cost per item",),
        "status": ("Status",),
        "published": ("Published",),
    },
    required=("group", "title", "price"),
    group_by="group",
)

WOOCOMMERCE_PRODUCTS = Layout(
    name="woocommerce",
    label=_("WooCommerce products export"),
    stream=PRODUCTS,
    columns={
        "external_id": ("ID",),
        "sku": ("SKU",),
        "title": ("Name",),
        "description": ("Description", "Short description"),
        "price": ("Sale price", "Regular price"),
        "stock_quantity": ("Stock",),
        "manage_stock": ("Manage stock?",),
        "status": ("Published",),
        "category": ("Categories",),
        "image_url": ("Images",),
        "brand": ("Brands",),
        "gtin": ("GTIN, UPC, EAN, or ISBN",),
    },
    required=("external_id", "title", "price"),
)

TEMPLATE_PRODUCTS = Layout(
    name="template",
    label=_("E-Channel products template"),
    stream=PRODUCTS,
    columns=_template_aliases(PRODUCT_COLUMNS),
    required=("sku", "title"),
)

LAYOUTS = {
    ORDERS: [ONLINE_RETAIL, SHOPIFY_ORDERS, WOOCOMMERCE_ORDERS, TEMPLATE_ORDERS],
    PRODUCTS: [SHOPIFY_PRODUCTS, WOOCOMMERCE_PRODUCTS, TEMPLATE_PRODUCTS],
}
LAYOUT_NAMES = ["online-retail", "shopify", "woocommerce", "template"]


def layout_named(stream: str, name: str) -> Layout | None:
    return next((layout for layout in LAYOUTS[stream] if layout.name == name), None)


def resolve(layout: Layout, headers: list[str]) -> dict[str, list[int]]:
    """Per field of ``layout``, the indexes of the file's columns that may hold it (in alias order)."""
    positions: dict[str, int] = {}
    for index, header in enumerate(headers):
        positions.setdefault(normalise(header), index)
    found: dict[str, list[int]] = {}
    for name, aliases in layout.columns.items():
        indexes = []
        for alias in aliases:
            index = positions.get(normalise(alias))
            if index is not None and index not in indexes:
                indexes.append(index)
        if indexes:
            found[name] = indexes
    return found


def detect(stream: str, headers: list[str]) -> tuple[Layout, dict[str, list[int]]] | None:
    """The recognised layout whose required columns are all present (the one matching most columns)."""
    best = None
    for layout in LAYOUTS[stream]:
        found = resolve(layout, headers)
        if all(name in found for name in layout.required):
            score = sum(len(indexes) for indexes in found.values())
            if best is None or score > best[2]:
                best = (layout, found, score)
    return (best[0], best[1]) if best else None


def mapped_layout(stream: str, mapping: dict[str, str]) -> Layout:
    """A layout from the user's choice of column for each of our fields."""
    return Layout(
        name="mapping",
        label=_("Your column mapping"),
        stream=stream,
        columns={name: (header,) for name, header in mapping.items() if header},
        required=(),
    )
