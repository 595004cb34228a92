"""``python manage.py journey_graph``: the SME journey as a Graphviz DOT graph.

Render it with ``python manage.py journey_graph | dot -Tsvg -o journey.svg``; the README's
diagram is ``journey/static/journey/journey-graph.svg``, made that way.
"""

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext

from journey.models import ACTIVE_STAGES, FINAL_STAGES, SME, Stage
from journey.transitions import TRANSITIONS

PREVIOUS = "previous"


def _quote(text) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def journey_dot() -> str:
    """The stage machine as DOT: every stage, every transition (labelled), in the active language."""
    lines = [
        "digraph journey {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fillcolor="#eef5f5", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for value, label in Stage.choices:
        extra = ""
        if value in FINAL_STAGES:
            extra = ', fillcolor="#f3e9e9", peripheries=2'
        elif value == Stage.PAUSED:
            extra = ', fillcolor="#fdf6e3"'
        lines.append(f"  {value} [label={_quote(label)}{extra}];")
    lines.append(f'  {PREVIOUS} [label={_quote(gettext("the stage it left"))}, shape=note, fillcolor="#ffffff"];')
    edges = set()
    for item in SME._meta.get_field("stage").get_all_transitions(SME):
        spec = TRANSITIONS[item.name]
        target = item.target if isinstance(item.target, str) else PREVIOUS
        edges.add((str(item.source), str(target), item.name, str(spec.label)))
    for source, target, name, label in sorted(edges):
        style = ""
        if name in ("pause", "withdraw"):
            style = ", style=dotted"
        elif target == PREVIOUS:
            style = ", style=dashed"
        # Pause and withdraw leave every active stage: label them once, on the first edge.
        show = label if (name not in ("pause", "withdraw") or source == ACTIVE_STAGES[0]) else ""
        lines.append(f"  {source} -> {target} [label={_quote(show)}, tooltip={_quote(name)}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Print the SME journey (states and transitions) as Graphviz DOT."

    def add_arguments(self, parser):
        parser.add_argument("--language", default="en", choices=["en", "fr"], help="language of the labels")

    def handle(self, *args, language="en", **options):
        with translation.override(language):
            self.stdout.write(journey_dot(), ending="")
