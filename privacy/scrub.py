"""Find and replace a person's identifiers in the free text of every model.

Names, e-mail addresses and phone numbers are searched (case-insensitively) in every text and
JSON column of the programme's own models, Wagtail's log entries and revisions, and form
submissions. Pages (their published content) and the published quarterly reviews (frozen
documents) are left alone: the erasure is recorded in the reviews instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

from django.apps import apps
from django.db import models
from django.db.models import Q
from wagtail.models import Page

APPS = ("journey", "connectors", "toolkit", "coaching", "learning", "cms", "wagtailcore", "wagtailforms")
# Frozen or secret: never rewritten.
SKIPPED = {
    ("journey", "user"): {"password"},
    ("coaching", "calendarfeed"): {"token_hash", "token_encrypted"},
    ("learning", "issuerkey"): {"public_key", "private_key_encrypted"},
    ("connectors", "datasource"): {"credentials_token"},
    ("learning", "badgeaward"): {"salt"},
    ("wagtailcore", "pageviewrestriction"): {"password"},
    ("wagtailcore", "collectionviewrestriction"): {"password"},
}
TEXT_TYPES = (models.CharField, models.TextField, models.JSONField)


def text_fields() -> Iterator[tuple[type[models.Model], list[models.Field]]]:
    """Each model whose rows may hold free text about a person, with those columns."""
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label not in APPS or meta.proxy or not meta.managed or issubclass(model, Page):
            continue
        skipped = SKIPPED.get((meta.app_label, meta.model_name), set())
        fields = [
            f
            for f in meta.concrete_fields
            if isinstance(f, TEXT_TYPES) and not f.primary_key and not f.choices and f.name not in skipped
        ]
        if fields:
            yield model, fields


def _variants(needle: str) -> list[str]:
    escaped = json.dumps(needle)[1:-1]
    return [needle] if escaped == needle else [needle, escaped]


def _replace(value, pattern: re.Pattern, replacement: str):
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, list):
        return [_replace(item, pattern, replacement) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, pattern, replacement) for key, item in value.items()}
    return value


def scrub(needles: Iterable[str], replacement: str) -> dict[str, int]:
    """Replace each needle wherever it is found; returns how many rows changed, by model label."""
    needles = [needle for needle in needles if needle]
    if not needles:
        return {}
    pattern = re.compile("|".join(re.escape(needle) for needle in sorted(needles, key=len, reverse=True)), re.I)
    changed: dict[str, int] = {}
    for model, fields in text_fields():
        condition = Q()
        for f in fields:
            for needle in needles:
                for variant in _variants(needle) if isinstance(f, models.JSONField) else [needle]:
                    condition |= Q(**{f"{f.name}__icontains": variant})
        for row in model._base_manager.filter(condition):
            updates = []
            for f in fields:
                old = getattr(row, f.attname)
                new = _replace(old, pattern, replacement)
                if new != old:
                    setattr(row, f.attname, new)
                    updates.append(f.attname)
            if updates:
                model._base_manager.filter(pk=row.pk).update(**{name: getattr(row, name) for name in updates})
                changed[model._meta.label] = changed.get(model._meta.label, 0) + 1
    return changed
