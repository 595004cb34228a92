"""Data milestones: figures about an SME's progress that badges (learning) can require.

The toolkit provides its own (inventory score, months of data); apps above it add theirs
(coaching: plan actions done) under the ``MILESTONES`` hook (``journey.hooks``), a function
returning ``Milestone``s. ``value(sme, key)`` reads one; ``None`` means "not known yet".

Whenever a milestone may have moved, the app that moved it calls ``moved(sme, sender=…)``
— the toolkit after each report refresh, coaching when a plan action is done — and the
``MILESTONE_MOVED`` hook's functions run: learning re-checks badge criteria.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from journey import hooks
from journey.models import SME


@dataclass(frozen=True)
class Milestone:
    key: str
    label: str | Promise
    compute: Callable[[SME], float | int | None]


def available() -> dict[str, Milestone]:
    """Every milestone by key (the ``MILESTONES`` hook); a later provider of a key wins."""
    return {milestone.key: milestone for provide in hooks.get(hooks.MILESTONES) for milestone in provide()}


def value(sme: SME, key: str) -> float | int | None:
    milestone = available().get(key)
    return milestone.compute(sme) if milestone else None


def moved(sme: SME, *, sender: str) -> None:
    """Some milestone of this SME may have moved: tell the apps that listen (``MILESTONE_MOVED``)."""
    for listener in hooks.get(hooks.MILESTONE_MOVED):
        listener(sme, sender)


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


def toolkit_milestones() -> list[Milestone]:
    """The toolkit's own milestones, read from the stored report."""
    return [
        Milestone("inventory_score", _("inventory score"), inventory_score),
        Milestone("months_of_data", _("months of order data"), months_of_data),
    ]


hooks.register(hooks.MILESTONES, toolkit_milestones, order=-100)
