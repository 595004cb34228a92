"""Which kind of channel an order came from: web shop, marketplace or B2B / wholesale.

Orders carry the platform's own word for where they came from (Shopify's ``source_name``,
WooCommerce's ``created_via``, a file's "channel" column: "web", "Amazon", "Etsy",
"wholesale", …). A target market names a kind of channel, so the words are sorted into
kinds, by the same rule in Python (``classify_channel_text``, for hand-written plans) and
in SQL (``channel_kind``, for aggregates over orders). A word that names no marketplace and
no trade channel is the SME's own web shop, as is an empty one: the shop is where an order
comes from unless something says otherwise.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Case, CharField, Q, Value, When

MARKETPLACE_WORDS = (
    "marketplace", "amazon", "etsy", "ebay", "cdiscount", "fnac", "rakuten", "notonthehighstreet",
    "not on the high street", "zalando", "manomano", "wayfair", "bol.com", "vinted", "onbuy", "tiktok",
    "place de march", "leboncoin", "mirakl", "allegro", "folksy",
)  # fmt: skip
B2B_WORDS = ("wholesale", "b2b", "trade", "grossiste", "gros", "ankorstore", "faire", "professionnel", "distribut")


def classify_channel_text(text: str) -> str:
    """ "web", "marketplace" or "b2b" for a channel's name; "any" when none is named."""
    lowered = (text or "").casefold()
    if not lowered.strip():
        return "any"
    if any(word in lowered for word in MARKETPLACE_WORDS):
        return "marketplace"
    if any(word in lowered for word in B2B_WORDS):
        return "b2b"
    return "web"


def channel_kind(field: str = "channel") -> Case:
    """SQL: the kind of channel ("web", "marketplace", "b2b") of the order whose channel is ``field``."""

    def matches(words):
        return reduce(or_, (Q(**{f"{field}__icontains": word}) for word in words))

    return Case(
        When(matches(MARKETPLACE_WORDS), then=Value("marketplace")),
        When(matches(B2B_WORDS), then=Value("b2b")),
        default=Value("web"),
        output_field=CharField(),
    )
