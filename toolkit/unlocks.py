"""What would open a locked tool, for the page that shows it locked.

The toolkit decides which tools are open (``services.tools_open``); apps above it that
open tools (learning: badges) register a hint provider under the ``UNLOCK_HINTS`` hook
(``journey.hooks``) so a locked tool can say what earns it: ``provider(sme, tool)``
returns a short sentence in the active language ("Earn the “Catalogue basics” badge") or
``None``.
"""

from __future__ import annotations

from journey import hooks
from journey.models import SME


def hints(sme: SME, tool: str) -> list[str]:
    """Every registered way to open this tool for this SME, in hook order."""
    return [hint for hint in (provider(sme, tool) for provider in hooks.get(hooks.UNLOCK_HINTS)) if hint]
