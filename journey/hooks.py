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

from collections.abc import Callable

from wagtail import hooks as wagtail_hooks

# --- journey ----------------------------------------------------------------------------------

ATTENTION_REASONS = "echannel_attention_reasons"
"""``fn(smes: QuerySet[SME]) -> Iterable[(sme, since: date, text: str)]``: why some of these SMEs
need attention (coaching: open drift alerts). The journey adds its own: a stage past its due day."""

HOOKS: dict[str, str] = {
    ATTENTION_REASONS: "journey.progress.needs_attention",
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
