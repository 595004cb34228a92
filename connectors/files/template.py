"""Our own import templates (orders, products): columns with English and French headers.

The importer recognises either language's headers, or both written as ``English / French``.
The downloadable template is written in the user's language: in English as a `,`-separated
CSV, in French as a `;`-separated one as French Excel writes them (both UTF-8 with a BOM, so
Excel reads the accents). The XLSX version has a second sheet that explains every column
with an example (English: ISO dates and decimal points; French: day-first dates and decimal
commas — the importer reads both either way).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from journey import spreadsheets


@dataclass(frozen=True)
class TemplateColumn:
    field: str
    en: str
    fr: str
    help: str
    example_en: str = ""
    example_fr: str = ""
    required: bool = False
    aliases: tuple[str, ...] = ()

    def header(self, language: str) -> str:
        return self.fr if language == "fr" else self.en

    def example(self, language: str) -> str:
        return self.example_fr if language == "fr" else self.example_en


ORDER_COLUMNS = [
    TemplateColumn(
        "order_id", "Order ID", "N° de commande",
        _("The order's number in your shop or books. Every line of one order repeats it."),
        "1001", "1001", required=True, aliases=("Order number", "No de commande", "Numéro de commande"),
    ),
    TemplateColumn(
        "placed_at", "Order date", "Date de commande",
        _("When the order was placed: YYYY-MM-DD or DD/MM/YYYY, optionally with a time (HH:MM). "
          "Times are your launchpad's local time unless they carry an offset such as +01:00."),
        "2026-04-03 14:30", "03/04/2026 14:30", required=True,
    ),
    TemplateColumn(
        "status", "Status", "Statut",
        _("completed, pending, cancelled or refunded (empty: completed)."), "completed", "terminée",
        aliases=("Order status", "Statut de la commande"),
    ),
    TemplateColumn(
        "currency", "Currency", "Devise", _("Three-letter code such as GBP or EUR (empty: your launchpad's)."),
        "GBP", "EUR",
    ),
    TemplateColumn(
        "customer_country", "Customer country", "Pays du client",
        _("The customer's country, as a name or a two-letter code (GB, FR)."), "France", "Royaume-Uni",
        aliases=("Country", "Pays"),
    ),
    TemplateColumn(
        "channel", "Channel", "Canal", _("Where the order came from: web shop, marketplace, trade fair…"),
        "web", "boutique en ligne",
    ),
    TemplateColumn(
        "sku", "SKU", "Référence", _("The product's SKU, as in your products file."), "MUG-01", "MUG-01",
        aliases=("Reference", "Ref", "Réf"),
    ),
    TemplateColumn(
        "description", "Product", "Produit", _("The product's name."), "Blue mug", "Tasse bleue",
        aliases=("Product name", "Nom du produit", "Désignation"),
    ),
    TemplateColumn(
        "quantity", "Quantity", "Quantité", _("Units sold: a whole number; negative for a return."), "2", "2",
        required=True, aliases=("Qty", "Qté"),
    ),
    TemplateColumn(
        "unit_price", "Unit price", "Prix unitaire",
        _("Price of one unit excluding tax, zero or more, without a currency sign."),
        "12.50", "12,50", required=True, aliases=("Prix unitaire HT",),
    ),
    TemplateColumn(
        "unit_cost", "Unit cost", "Coût unitaire", _("What one unit cost you, when you know it."), "5.10", "5,10",
        aliases=("Cout unitaire",),
    ),
    TemplateColumn(
        "shipping", "Shipping", "Frais de port",
        _("Shipping charged to the customer for the whole order: on one of its lines, or the same on all."),
        "4.95", "4,95", aliases=("Frais de livraison", "Livraison"),
    ),
    TemplateColumn(
        "discounts", "Discounts", "Remises", _("Discounts given on the whole order (as a positive amount)."),
        "", "", aliases=("Discount", "Remise"),
    ),
    TemplateColumn(
        "fees", "Fees", "Frais", _("Fees you paid on the order (payment, marketplace), when you know them."),
        "", "", aliases=("Frais de vente",),
    ),
    TemplateColumn(
        "refunds", "Refunds", "Remboursements",
        _("Money refunded on the order, excluding tax unless prices include tax (as a positive amount)."), "", "",
        aliases=("Refund", "Remboursement"),
    ),
    TemplateColumn(
        "refunded_at", "Refund date", "Date du remboursement",
        _("The day the refund was made: it counts in that month, not the order's."), "", "",
    ),
    TemplateColumn(
        "refund_tax", "Tax refunded", "Taxes remboursées", _("The tax given back with the refund."), "", "",
    ),
    TemplateColumn(
        "tax", "Tax", "Taxes", _("The order's tax (VAT) in all: lines, shipping and fees."), "", "",
        aliases=("VAT", "TVA"),
    ),
    TemplateColumn(
        "shipping_tax", "Tax on shipping", "Taxes sur la livraison", _("The part of the tax on shipping."), "", "",
    ),
    TemplateColumn(
        "customer_fees", "Customer fees", "Frais facturés au client",
        _("Fees the customer paid besides the goods (gift wrap, cash on delivery), excluding tax."), "", "",
    ),
    TemplateColumn(
        "prices_include_tax", "Prices include tax", "Prix TTC",
        _("Yes when the order's prices, discounts, shipping, fees and refunds include tax (as most UK and "
          "French shops show them): the tax is then taken out. Empty or no: they exclude it."), "", "",
        aliases=("Taxes included", "Tax included", "Prices include VAT", "TTC"),
    ),
    TemplateColumn(
        "refund_currency", "Refund currency", "Devise du remboursement",
        _("The currency the refund was paid in, when not the order's (its amounts are then in it): converted "
          "at the rate of the refund's day."), "", "",
    ),
]  # fmt: skip

PRODUCT_COLUMNS = [
    TemplateColumn(
        "external_id", "Product ID", "Identifiant produit",
        _("Your own id for the product, if it has one besides its SKU."), "", "", aliases=("ID", "Identifiant"),
    ),
    TemplateColumn(
        "sku", "SKU", "Référence", _("The product's SKU: required, one line per SKU."), "MUG-01", "MUG-01",
        required=True, aliases=("Reference", "Ref", "Réf"),
    ),
    TemplateColumn("title", "Title", "Titre", _("The product's title."), "Blue mug", "Tasse bleue", required=True,
                   aliases=("Name", "Nom", "Product name", "Nom du produit")),
    TemplateColumn("description", "Description", "Description", _("The product's description."),
                   "A hand-thrown stoneware mug.", "Une tasse en grès tournée à la main."),
    TemplateColumn("price", "Price", "Prix", _("Selling price of one unit, without a currency sign."),
                   "12.50", "12,50", aliases=("Prix de vente",)),
    TemplateColumn("currency", "Currency", "Devise",
                   _("Three-letter code such as GBP or EUR (empty: your launchpad's)."), "GBP", "EUR"),
    TemplateColumn("gtin", "GTIN", "GTIN (EAN)", _("The barcode number (EAN, UPC, ISBN)."), "5012345678900",
                   "3012345678901", aliases=("EAN", "Barcode", "Code-barres")),
    TemplateColumn("brand", "Brand", "Marque", _("The brand."), "Acme Pottery", "Poterie Acme"),
    TemplateColumn("mpn", "MPN", "Référence fabricant", _("The manufacturer's part number."), "", ""),
    TemplateColumn("stock_quantity", "Stock", "Stock",
                   _("Units in stock: a whole number. Leave empty if you do not track stock."), "24", "24",
                   aliases=("Stock quantity", "Quantité en stock")),
    TemplateColumn("status", "Status", "Statut", _("active, draft or archived (empty: active)."), "active", "actif"),
    TemplateColumn("unit_cost", "Unit cost", "Coût unitaire", _("What one unit costs you."), "5.10", "5,10",
                   aliases=("Cout unitaire", "Cost")),
    TemplateColumn("category", "Category", "Catégorie", _("The product's category."), "Kitchen", "Cuisine"),
    TemplateColumn("image_url", "Image URL", "URL de l'image",
                   _("Addresses of the product's images, separated by spaces or commas; the main image first."),
                   "https://shop.example/mug.jpg", "https://boutique.example/tasse.jpg",
                   aliases=("Image", "Images", "URL image")),
]  # fmt: skip

COLUMNS = {"orders": ORDER_COLUMNS, "products": PRODUCT_COLUMNS}


def template_headers(stream: str = "orders", language: str | None = None) -> list[str]:
    language = language or get_language() or "en"
    return [column.header(language) for column in COLUMNS[stream]]


def template_filename(stream: str = "orders", fmt: str = "csv", language: str | None = None) -> str:
    language = language or get_language() or "en"
    stem = {"orders": ("orders-template", "modele-commandes"), "products": ("products-template", "modele-produits")}
    return f"e-channel-{stem[stream][language == 'fr']}.{fmt}"


def template_bytes(stream: str = "orders", fmt: str = "csv", language: str | None = None) -> bytes:
    """The template as a file, in ``language`` (default: the active one): the header row only.

    Examples are on the XLSX's help sheet, never on the data sheet, so that a template sent
    back with its example still in it does not import an order nobody placed.
    """
    language = language or get_language() or "en"
    columns = COLUMNS[stream]
    headers = [column.header(language) for column in columns]
    if fmt == "xlsx":
        return _xlsx(stream, columns, headers, language)
    return spreadsheets.csv_bytes([headers], delimiter=";" if language == "fr" else ",")


def _xlsx(stream, columns, headers, language) -> bytes:
    with translation.override(language):
        workbook = spreadsheets.xlsx_workbook()
        spreadsheets.xlsx_sheet(workbook, str(_("Orders") if stream == "orders" else _("Products")), headers)
        help_sheet = spreadsheets.xlsx_sheet(
            workbook,
            str(_("Help")),
            [str(_("Column")), str(_("Required")), str(_("What to write")), str(_("Example"))],
            widths={"A": 24, "C": 80, "D": 28},
        )
        for column in columns:
            required = str(_("yes")) if column.required else ""
            spreadsheets.xlsx_append(
                help_sheet, [column.header(language), required, str(column.help), column.example(language)]
            )
    return spreadsheets.xlsx_bytes(workbook)
