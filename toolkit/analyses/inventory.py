"""Inventory quality: a score out of 100 for the active catalogue, per check, with a fix list.

The checks follow the Google Merchant Center product data specification (DESIGN.md,
"Inventory"). Each (product, check) pair is passed, failed or unknown — unknown when the
data needed is not known (an image without its size, stock that is not tracked), and an
unknown pair never counts against the SME. Score = 100 × passed ÷ (passed + failed).
A product's points lost = what fixing all its failed checks would add to the score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

PASSED, FAILED, UNKNOWN = "passed", "failed", "unknown"

DEFAULT_THRESHOLDS = {
    "title_min": 25,
    "title_max": 150,
    "description_min": 200,
    "description_max": 5000,
    "image_min_px": 800,
}

CHECKS = [
    "title_present",
    "title_length",
    "title_not_all_caps",
    "description_present",
    "description_length",
    "description_matches_title",
    "price_positive",
    "has_image",
    "main_image_size",
    "identifier",
    "stock_tracked",
    "in_stock",
    "title_unique",
]

# Words too common to show that a description is about the product in its title.
_STOPWORDS = {
    "with", "from", "this", "that", "your", "pour", "avec", "dans", "sans", "plus", "pack", "lot", "set",
    "the", "and", "les", "des", "une", "aux",
}  # fmt: skip
_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)


@dataclass(frozen=True)
class CheckSummary:
    key: str
    passed: int
    failed: int
    unknown: int


@dataclass(frozen=True)
class Fix:
    product_id: int
    title: str
    points: float  # score points gained if every failed check of this product were fixed
    failed: list[str]


@dataclass(frozen=True)
class InventoryResult:
    score: float | None  # None when no product has an applicable check (no active product)
    products: int
    checks: list[CheckSummary]
    fixes: list[Fix] = field(default_factory=list)


def _terms(text: str) -> set[str]:
    return {word for word in _WORD.findall(text.lower()) if word not in _STOPWORDS}


def _outcome(condition: pd.Series, known: pd.Series) -> pd.Series:
    passed = condition.to_numpy(dtype=bool)
    cells = np.where(known.to_numpy(dtype=bool), np.where(passed, PASSED, FAILED), UNKNOWN).astype(object)
    return pd.Series(cells, index=condition.index, dtype=object)


def check_outcomes(products: pd.DataFrame, thresholds: dict | None = None) -> pd.DataFrame:
    """One row per product, one column per check, each cell passed / failed / unknown."""
    limits = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
    title = products["title"].fillna("").astype(str).str.strip()
    description = products["description"].fillna("").astype(str).str.strip()
    has_title = title.str.len() > 0
    has_description = description.str.len() > 0
    always = pd.Series(True, index=products.index)

    images = products["images"].apply(lambda value: value if isinstance(value, list) else [])
    main = images.apply(lambda items: items[0] if items else {})
    width = main.apply(lambda image: image.get("width"))
    height = main.apply(lambda image: image.get("height"))
    size_known = width.notna() & height.notna()
    min_px = limits["image_min_px"]
    big_enough = size_known & (width.fillna(0) >= min_px) & (height.fillna(0) >= min_px)

    def text(column):
        return products[column].fillna("").astype(str).str.strip() != ""

    identifier = text("gtin") | (text("brand") & text("mpn")) | text("sku")
    price = pd.to_numeric(products["price"], errors="coerce")
    tracked = products["stock_tracked"].fillna(False).astype(bool)
    quantity = pd.to_numeric(products["stock_quantity"], errors="coerce")
    normalised = title.str.lower().str.split().str.join(" ")
    duplicated = normalised.duplicated(keep=False) & has_title
    matches = pd.Series(
        [bool(_terms(t) & _terms(d)) for t, d in zip(title, description, strict=True)], index=products.index
    )
    letters = title.str.replace(r"[^A-Za-zÀ-ÿ]", "", regex=True)

    outcomes = {
        "title_present": _outcome(has_title, always),
        "title_length": _outcome(title.str.len().between(limits["title_min"], limits["title_max"]), has_title),
        "title_not_all_caps": _outcome(~(letters.str.len().gt(0) & (letters == letters.str.upper())), has_title),
        "description_present": _outcome(has_description, always),
        "description_length": _outcome(
            description.str.len().between(limits["description_min"], limits["description_max"]), has_description
        ),
        "description_matches_title": _outcome(matches, has_title & has_description),
        "price_positive": _outcome(price.fillna(0) > 0, always),
        "has_image": _outcome(images.str.len() > 0, always),
        "main_image_size": _outcome(big_enough, size_known),
        "identifier": _outcome(identifier, always),
        "stock_tracked": _outcome(tracked, always),
        "in_stock": _outcome(quantity.fillna(0) > 0, tracked),
        "title_unique": _outcome(~duplicated, has_title),
    }
    return pd.DataFrame(outcomes, index=products.index, columns=CHECKS)


def inventory(products: pd.DataFrame, thresholds: dict | None = None) -> InventoryResult:
    """Score the active catalogue. ``products`` has the columns of ``toolkit.selectors.products_frame``."""
    active = products[products["status"] == "active"] if not products.empty else products
    if active.empty:
        return InventoryResult(score=None, products=0, checks=[CheckSummary(key, 0, 0, 0) for key in CHECKS])
    outcomes = check_outcomes(active, thresholds)
    cells = outcomes.to_numpy()
    is_passed, is_failed = cells == PASSED, cells == FAILED
    passed, failed = int(is_passed.sum()), int(is_failed.sum())
    applicable = passed + failed
    score = round(100 * passed / applicable, 1) if applicable else None
    passed_per_check, failed_per_check = is_passed.sum(axis=0), is_failed.sum(axis=0)
    unknown_per_check = len(cells) - passed_per_check - failed_per_check
    checks = [
        CheckSummary(key=key, passed=int(p), failed=int(f), unknown=int(u))
        for key, p, f, u in zip(CHECKS, passed_per_check, failed_per_check, unknown_per_check, strict=True)
    ]
    fixes = []
    if applicable:
        # Row by row over plain arrays: only the products with a failed check, no pandas lookups.
        failed_per_product = is_failed.sum(axis=1)
        rows = np.flatnonzero(failed_per_product)
        ids, titles = active["id"].to_numpy()[rows], active["title"].to_numpy()[rows]
        fixes = [
            Fix(
                product_id=int(product_id),
                title=str(title or ""),
                points=round(100 * int(failed_per_product[row]) / applicable, 2),
                failed=[key for key, bad in zip(CHECKS, is_failed[row], strict=True) if bad],
            )
            for row, product_id, title in zip(rows, ids, titles, strict=True)
        ]
        fixes.sort(key=lambda fix: (-fix.points, fix.title.lower(), fix.product_id))
    return InventoryResult(score=score, products=len(active), checks=checks, fixes=fixes)
