"""Prices that include tax, in an imported orders file: the tax taken out, as Shopify's mapping does.

The file says so per order ("Prices include tax": yes / no, oui / non, TTC / HT). Then the unit
prices, the discounts, the shipping, the fees charged to the customer and the refunds include
tax, and the "Tax" column is the order's tax in all ("Tax on shipping" its part on shipping,
"Tax refunded" the refund's). What the tables store excludes tax (the README's "Net sales"):

* shipping − its tax;
* the goods and customer fees share the rest of the tax in proportion to what was paid for
  them after the discount, so each unit price, the discount and the customer fees are scaled by
  ``(paid − tax) / paid`` (paid = lines + customer fees − discount): the order's net total is
  then exactly what was paid less its tax;
* a refund − the tax refunded.
"""

from __future__ import annotations

from decimal import Decimal

from ..records import OrderRecord

CENT = Decimal("0.01")
PRICE_PLACES = Decimal("0.0001")  # OrderLine.unit_price

YES = frozenset({"yes", "y", "true", "1", "oui", "o", "vrai", "ttc", "incl", "included", "inclus", "tax included"})
NO = frozenset({"no", "n", "false", "0", "non", "faux", "ht", "excl", "excluded", "exclus", "tax excluded"})


def yes_no(text: str) -> bool | None:
    """A yes/no cell (English or French, TTC/HT): True, False, or None when it is neither."""
    word = " ".join(str(text).strip().casefold().replace(".", "").split())
    if word in YES:
        return True
    if word in NO:
        return False
    return None


def exclude_tax(record: OrderRecord, *, refund_tax: Decimal = Decimal(0)) -> None:
    """Take the tax out of an order whose amounts include it (``record.prices_include_tax``);
    ``refund_tax``: the tax of its undated refund total, when it has one."""
    if not record.prices_include_tax:
        return
    record.shipping = record.shipping - record.shipping_tax
    goods_tax = record.tax - record.shipping_tax
    paid = sum((line.unit_price * line.quantity for line in record.lines), Decimal(0))
    paid += record.customer_fees - record.discounts
    if goods_tax and paid:
        factor = (paid - goods_tax) / paid
        for line in record.lines:
            line.unit_price = (line.unit_price * factor).quantize(PRICE_PLACES)
        record.discounts = (record.discounts * factor).quantize(CENT)
        record.customer_fees = (record.customer_fees * factor).quantize(CENT)
    for refund in record.refund_records:
        refund.amount = refund.amount - refund.tax
    if record.refund_records:
        record.refunds = sum((refund.amount for refund in record.refund_records), Decimal(0))
    elif record.refunds:
        record.refunds = record.refunds - refund_tax
