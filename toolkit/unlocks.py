"""What would open a locked tool, for the page that shows it locked.

The toolkit decides which tools are open (``services.tools_open``); apps above it that
open tools (learning: badges) register a hint provider in ``AppConfig.ready`` so a
locked tool can say what earns it: ``register_hint(provider)``, where ``provider(sme,
tool)`` returns a short sentence in the active language ("Earn the “Catalogue basics”
badge") or ``None``.
"""

from __future__ import annotations

from collections.abc import Callable

from journey.models import SME

HintProvider = Callable[[SME, str], "str | None"]

_providers: list[HintProvider] = []


def register_hint(provider: HintProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def unregister_hint(provider: HintProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def hints(sme: SME, tool: str) -> list[str]:
    """Every registered way to open this tool for this SME, in registration order."""
    return [hint for hint in (provider(sme, tool) for provider in _providers) if hint]
