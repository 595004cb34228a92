"""How a higher app extends a lower one: Wagtail's hooks, with every hook name documented here.

``journey`` and the other lower apps cannot import the apps above them. When a lower app
needs something from above (a condition's check, a panel on the SME page, a reason an SME
needs attention), it asks for the functions registered under a hook name, and the app
above registers them in its ``wagtail_hooks.py`` — the module Wagtail imports once, at the
first ``get_hooks`` — exactly as it registers its admin screens. So one place per app
says how it plugs in, and ``tests/test_hooks.py`` lists every hook and who fills it.

``register(name, fn, order=…)`` is Wagtail's ``hooks.register`` made harmless to repeat:
registering the same function again under the same name changes nothing. ``get(name)``
returns the functions in ``order`` (then registration order), as ``hooks.get_hooks`` does.

The hooks (name: what each function receives → returns):
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from wagtail import hooks as wagtail_hooks

# --- journey: the SME's journey and pages ---------------------------------------------------

CONDITION_CHECKS = "echannel_condition_checks"
"""``fn() -> dict[str, Callable[[SME], str | None]]``: the checks an app provides for the conditions
declared in ``journey.conditions.CONDITIONS``, by key. A check returns ``None`` when the condition
holds, else why not, in the active language. Filled by journey itself, connectors and coaching."""

SME_PANELS = "echannel_sme_panels"
"""``fn(request, sme) -> str``: a section of the SME page and the portal page (HTML, "" for none),
for an SME already checked visible to ``request.user``. Shown in hook order."""

WORKSPACE_SECTIONS = "echannel_workspace_sections"
"""``fn(request, sme) -> str``: a block of the staff SME workspace (HTML, "" for none), written for
staff (the SME by name, never "your"). Shown in hook order."""

TIMELINE_KINDS = "echannel_timeline_kinds"
"""``fn() -> Iterable[journey.workspace.TimelineKind]``: kinds of event on the workspace timeline,
each with ``events(sme, limit)`` (the newest first) and ``count(sme)``; listed by their own order."""

ATTENTION_REASONS = "echannel_attention_reasons"
"""``fn(smes: QuerySet[SME]) -> Iterable[(sme, since: date, text: str)]``: why some of these SMEs
need attention (coaching: open drift alerts). The journey adds its own: a stage past its due day."""

# --- connectors: syncs ---------------------------------------------------------------------------

SYNC_SUCCEEDED = "echannel_sync_succeeded"
"""``fn(source: DataSource, run: SyncRun) -> None``: called after a sync or import ends well, inside
the sync's task, and after a burst of webhooks (an unsaved run carrying their created and updated
counts) (toolkit: refresh the SME's report when something changed)."""

# --- toolkit: milestones, unlocks, findings ------------------------------------------------------

MILESTONES = "echannel_milestones"
"""``fn() -> Iterable[toolkit.milestones.Milestone]``: figures about an SME's progress that badges
can require, each ``compute(sme) -> number | None`` (None: not known yet). Toolkit and coaching."""

MILESTONE_MOVED = "echannel_milestone_moved"
"""``fn(sme: SME, sender: str) -> None``: a milestone of this SME may have moved (``sender``: the app
that moved it, toolkit after a report refresh, coaching when a plan action is done). Learning
re-checks the badge criteria."""

UNLOCK_HINTS = "echannel_unlock_hints"
"""``fn(sme: SME, tool: str) -> str | None``: what would open this locked tool for this SME, a short
sentence in the active language ("Earn the “Catalogue basics” badge"), or None. Learning."""

PLAN_TARGET = "echannel_plan_target"
"""``fn(request, sme) -> str | None``: where a toolkit finding is added to the SME's plan (a URL),
or None when ``request.user`` may not. The first answer wins. Coaching."""

HOOKS: dict[str, str] = {
    CONDITION_CHECKS: "journey.conditions.failures",
    SME_PANELS: "journey.panels.render",
    WORKSPACE_SECTIONS: "journey.workspace.sections",
    TIMELINE_KINDS: "journey.workspace.timeline_kinds",
    ATTENTION_REASONS: "journey.progress.needs_attention",
    SYNC_SUCCEEDED: "connectors.sync.notify_success",
    MILESTONES: "toolkit.milestones.available",
    MILESTONE_MOVED: "toolkit.milestones.moved",
    UNLOCK_HINTS: "toolkit.unlocks.hints",
    PLAN_TARGET: "toolkit.findings.plan_url",
}
"""Every hook name → the function that reads it."""


def register(name: str, fn: Callable | None = None, *, order: int = 0):
    """Register ``fn`` under a hook ``name`` (usable as a decorator); the same ``fn`` twice is registered once."""
    if name not in HOOKS:
        raise KeyError(f"Unknown hook {name!r}: declare it in journey.hooks first.")
    if fn is None:

        def decorator(fn):
            register(name, fn, order=order)
            return fn

        return decorator
    # Read Wagtail's table directly: ``get`` would import every app's wagtail_hooks module, and
    # journey registers its own functions while its modules are still being imported.
    if all(registered is not fn for registered, _order in wagtail_hooks._hooks.get(name, [])):
        wagtail_hooks.register(name, fn, order=order)
    return fn


def get(name: str) -> list[Callable]:
    """The functions registered under ``name``, in order."""
    return wagtail_hooks.get_hooks(name)


@contextmanager
def override(name: str, *fns: Callable) -> Iterator[None]:
    """For tests: while inside, the hook ``name`` holds only ``fns`` (in this order); then what it held before."""
    if name not in HOOKS:
        raise KeyError(f"Unknown hook {name!r}: declare it in journey.hooks first.")
    wagtail_hooks.search_for_hooks()  # every app's registrations in first, so they come back afterwards
    saved = wagtail_hooks._hooks.get(name)
    wagtail_hooks._hooks[name] = [(fn, 0) for fn in fns]
    try:
        yield
    finally:
        if saved is None:
            wagtail_hooks._hooks.pop(name, None)
        else:
            wagtail_hooks._hooks[name] = saved
