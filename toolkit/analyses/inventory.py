"""Inventory quality: a score out of 100 for the active catalogue, per check, with a fix list.

The checks follow the Google Merchant Center product data specification (DESIGN.md,
"Inventory"). Each (product, check) pair is passed, failed or unknown — unknown when the
data needed is not known (an image without its size, stock that is not tracked), and an
unknown pair never counts against the SME. Score = 100 × passed ÷ (passed + failed).
A product's points lost = what fixing all its failed checks would add to the score.

Speed (see ``bench/toolkit_report.py``): the checks are worked out as two boolean matrices
(applies, holds), the texts in plain Python (faster than pandas' string methods on a few
thousand short strings), and the fix list names each distinct set of failed checks once.
"""

from __future__ import annotations

import re
from collections import Counter
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


_NOT_LETTER = re.compile(r"[^A-Za-zÀ-ÿ]")
_LETTER = re.compile(r"[A-Za-zÀ-ÿ]")


def _texts(column: pd.Series) -> list[str]:
    """The column's values as stripped text ("" when missing)."""
    return [value.strip() if type(value) is str else str(value).strip() for value in column.fillna("").tolist()]


def _checks(products: pd.DataFrame, thresholds: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Two matrices, one row per product and one column per check (``CHECKS`` order): whether the check
    applies (its data is known) and whether its condition holds. Plain Python over the texts: a few
    thousand short strings go faster so than through pandas' string methods."""
    limits = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
    count = len(products)
    title, description = _texts(products["title"]), _texts(products["description"])
    title_length = np.array([len(text) for text in title], dtype=np.int64)
    description_length = np.array([len(text) for text in description], dtype=np.int64)
    has_title, has_description = title_length > 0, description_length > 0
    always = np.ones(count, dtype=bool)

    images = [value if isinstance(value, list) else [] for value in products["images"].tolist()]
    main = [items[0] if items else {} for items in images]
    width = pd.Series([image.get("width") for image in main], dtype=object)
    height = pd.Series([image.get("height") for image in main], dtype=object)
    size_known = (width.notna() & height.notna()).to_numpy()
    min_px = limits["image_min_px"]
    big_enough = size_known & (width.fillna(0) >= min_px).to_numpy() & (height.fillna(0) >= min_px).to_numpy()

    def text(column):
        return np.array([value != "" for value in _texts(products[column])], dtype=bool)

    identifier = text("gtin") | (text("brand") & text("mpn")) | text("sku")
    price = pd.to_numeric(products["price"], errors="coerce").fillna(0).to_numpy() > 0
    tracked = products["stock_tracked"].fillna(False).astype(bool).to_numpy()
    quantity = pd.to_numeric(products["stock_quantity"], errors="coerce").fillna(0).to_numpy() > 0
    normalised = [" ".join(text.lower().split()) for text in title]
    seen = Counter(normalised)
    duplicated = np.array([seen[text] > 1 for text in normalised], dtype=bool) & has_title
    both = has_title & has_description
    matches = np.array(
        [bool(b) and bool(_terms(t) & _terms(d)) for t, d, b in zip(title, description, both.tolist(), strict=True)],
        dtype=bool,
    )
    caps = []
    for text in title:
        if text == text.upper():  # nothing lowercase: all caps if it has a letter at all
            caps.append(_LETTER.search(text) is not None)
        else:
            letters = _NOT_LETTER.sub("", text)
            caps.append(len(letters) > 0 and letters == letters.upper())

    rules = {
        "title_present": (has_title, always),
        "title_length": ((title_length >= limits["title_min"]) & (title_length <= limits["title_max"]), has_title),
        "title_not_all_caps": (~np.array(caps, dtype=bool), has_title),
        "description_present": (has_description, always),
        "description_length": (
            (description_length >= limits["description_min"]) & (description_length <= limits["description_max"]),
            has_description,
        ),
        "description_matches_title": (matches, both),
        "price_positive": (price, always),
        "has_image": (np.array([len(items) > 0 for items in images], dtype=bool), always),
        "main_image_size": (big_enough, size_known),
        "identifier": (identifier, always),
        "stock_tracked": (tracked, always),
        "in_stock": (quantity, tracked),
        "title_unique": (~duplicated, has_title),
    }
    condition = np.column_stack([rules[key][0] for key in CHECKS]) if count else np.zeros((0, len(CHECKS)), bool)
    applies = np.column_stack([rules[key][1] for key in CHECKS]) if count else np.zeros((0, len(CHECKS)), bool)
    return applies, condition


def check_outcomes(products: pd.DataFrame, thresholds: dict | None = None) -> pd.DataFrame:
    """One row per product, one column per check, each cell passed / failed / unknown."""
    applies, condition = _checks(products, thresholds)
    cells = np.where(applies, np.where(condition, PASSED, FAILED), UNKNOWN).astype(object)
    return pd.DataFrame(cells, index=products.index, columns=CHECKS, dtype=object)


def inventory(products: pd.DataFrame, thresholds: dict | None = None) -> InventoryResult:
    """Score the active catalogue. ``products`` has the columns of ``toolkit.selectors.products_frame``."""
    active = products[products["status"] == "active"] if not products.empty else products
    if active.empty:
        return InventoryResult(score=None, products=0, checks=[CheckSummary(key, 0, 0, 0) for key in CHECKS])
    applies, condition = _checks(active, thresholds)
    is_passed, is_failed = applies & condition, applies & ~condition
    passed, failed = int(is_passed.sum()), int(is_failed.sum())
    applicable = passed + failed
    score = round(100 * passed / applicable, 1) if applicable else None
    passed_per_check, failed_per_check = is_passed.sum(axis=0), is_failed.sum(axis=0)
    unknown_per_check = len(applies) - passed_per_check - failed_per_check
    checks = [
        CheckSummary(key=key, passed=int(p), failed=int(f), unknown=int(u))
        for key, p, f, u in zip(CHECKS, passed_per_check, failed_per_check, unknown_per_check, strict=True)
    ]
    fixes = []
    if applicable:
        # Only the products with a failed check; each distinct set of failed checks listed once.
        failed_per_product = is_failed.sum(axis=1)
        rows = np.flatnonzero(failed_per_product)
        patterns = is_failed[rows] @ (1 << np.arange(len(CHECKS), dtype=np.int64))
        names = {
            int(pattern): [key for bit, key in enumerate(CHECKS) if pattern >> bit & 1]
            for pattern in np.unique(patterns)
        }
        points = {int(n): round(100 * int(n) / applicable, 2) for n in np.unique(failed_per_product[rows])}
        ids, titles = active["id"].to_numpy()[rows].tolist(), active["title"].to_numpy()[rows].tolist()
        fixes = [
            Fix(product_id=int(product_id), title=str(title or ""), points=points[n], failed=list(names[pattern]))
            for product_id, title, n, pattern in zip(
                ids, titles, failed_per_product[rows].tolist(), patterns.tolist(), strict=True
            )
        ]
        fixes.sort(key=lambda fix: (-fix.points, fix.title.lower(), fix.product_id))
    return InventoryResult(score=score, products=len(active), checks=checks, fixes=fixes)
