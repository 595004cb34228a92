"""Data milestones: figures about an SME's progress that badges (learning) can require.

The toolkit provides its own (inventory score, months of data); apps above it register
theirs (coaching: plan actions done) with ``register(key, label, compute)`` in
``AppConfig.ready``. ``value(sme, key)`` reads one; ``None`` means "not known yet".

Whenever a milestone may have moved, the app that moved it sends ``milestone_changed``
(``sender`` its app label, ``sme`` the SME) — the toolkit after each report refresh,
coaching when a plan action is done — and learning listens to re-check badge criteria.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.dispatch import Signal
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from journey.models import SME

milestone_changed = Signal()  # kwargs: sme


@dataclass(frozen=True)
class Milestone:
    key: str
    label: str | Promise
    compute: Callable[[SME], float | int | None]


_milestones: dict[str, Milestone] = {}


def register(key: str, label: str | Promise, compute: Callable[[SME], float | int | None]) -> None:
    _milestones[key] = Milestone(key, label, compute)


def available() -> dict[str, Milestone]:
    return dict(_milestones)


def value(sme: SME, key: str) -> float | int | None:
    milestone = _milestones.get(key)
    return milestone.compute(sme) if milestone else None


def _report(sme: SME) -> dict | None:
    from .models import ToolkitReport

    stored = ToolkitReport.objects.filter(sme=sme).only("document").first()
    return stored.document if stored else None


def inventory_score(sme: SME) -> float | None:
    document = _report(sme)
    return document["inventory"].get("score") if document else None


def months_of_data(sme: SME) -> float | None:
    document = _report(sme)
    return document["readiness"].get("months") if document else None


register("inventory_score", _("inventory score"), inventory_score)
register("months_of_data", _("months of order data"), months_of_data)
