"""The sections of a quarterly review, in the order they are read: each app's figures, read directly from it.

A section's ``compute(scope)`` returns its tables (``reporting.programme.Table``) for a
``Scope``. Adding a section is adding it to ``SECTIONS``: reporting sits above every
app, so it imports what it needs and no app registers anything.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .. import programme
from ..programme import Section
from . import coaching, connectors, learning, outcomes, toolkit

SECTIONS = [
    Section("journey", _("The SME journey"), programme.journey_tables, order=10),
    Section("coaching", _("Coaching"), coaching.coaching_tables, order=20),
    Section("outcomes", _("Outcomes"), outcomes.outcome_tables, order=25, on_dashboard=True),
    Section("data", _("Commerce data"), connectors.data_tables, order=30),
    Section("toolkit", _("The DMCP toolkit"), toolkit.toolkit_tables, order=40),
    Section("learning", _("Learning"), learning.learning_tables, order=50),
]


def sections() -> list[Section]:
    return sorted(SECTIONS, key=lambda section: (section.order, section.key))
