"""``manage.py journey_graph`` prints the whole machine; the README's rendered diagram is up to date."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from journey.models import SME, Stage
from journey.transitions import TRANSITIONS

SVG = Path(__file__).resolve().parents[2] / "journey" / "static" / "journey" / "journey-graph.svg"


def _dot(language="en"):
    out = StringIO()
    call_command("journey_graph", language=language, stdout=out)
    return out.getvalue()


def test_dot_has_every_stage_and_every_transition():
    dot = _dot()
    assert dot.startswith("digraph journey {")
    for value, label in Stage.choices:
        assert f'{value} [label="{label}"' in dot
    transitions = list(SME._meta.get_field("stage").get_all_transitions(SME))
    for item in transitions:
        target = item.target if isinstance(item.target, str) else "previous"
        assert f"{item.source} -> {target} [" in dot
        assert f'tooltip="{item.name}"' in dot
    assert {item.name for item in transitions} == set(TRANSITIONS)


def test_dot_labels_follow_the_language():
    assert 'label="Data collection"' in _dot("en")
    assert 'label="Data collection"' not in _dot("fr")


def test_rendered_diagram_shows_every_stage():
    svg = SVG.read_text()
    for _value, label in Stage.choices:
        assert f">{label}</text>" in svg, f"{label} missing: re-render with journey_graph | dot -Tsvg"
