"""The programme dashboard's chart, drawn on the server as SVG (nothing fetched from elsewhere)."""

from __future__ import annotations

import math

from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe

from toolkit.charts import both_widths, legend_flow

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 260, 40, 50, 10
COLOURS = ["#1d4e89", "#c0392b", "#2e7d32", "#8e44ad"]


def enrolment_chart(
    *, months: list[int], series: list[tuple[str, list[int]]], title: str, description: str, month_label: str
) -> SafeString:
    """Cumulative counts per programme month as step lines, one per series, with a table as text alternative.

    Drawn twice, wide and narrow (toolkit.charts.both_widths): the CSS shows the one that fits the screen."""
    if not months:
        return mark_safe("")
    svg = both_widths(_enrolment_svg, wide=WIDTH)(
        months=months, series=series, title=title, description=description, uid="enrol"
    )
    header = format_html_join("", "<th scope='col'>{}</th>", ((name,) for name, _ in series))
    rows = format_html_join(
        "",
        "<tr><th scope='row'>{}</th>{}</tr>",
        (
            (
                month_label % {"number": month},
                format_html_join("", "<td>{}</td>", ((values[index],) for _, values in series)),
            )
            for index, month in enumerate(months)
        ),
    )
    table = (
        f'<details><summary>{escape(title)}</summary><table class="listing">'
        f"<thead><tr><td></td>{header}</tr></thead><tbody>{rows}</tbody></table></details>"
    )
    return mark_safe(svg + table)


def _enrolment_svg(*, months: list[int], series: list[tuple[str, list[int]]], title: str, description: str,
                   uid: str, width: int) -> SafeString:  # fmt: skip
    top = max([1, *(max(values) for _, values in series if values)])
    step = (width - LEFT - 10) / max(len(months) - 1, 1)

    def x(index):
        return LEFT + index * step

    def y(value):
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / top)

    names = [f"— {name}" for name, _values in series]
    legend_at = legend_flow(names, 12, float(LEFT if width >= WIDTH else 4), width - 4) if names else []
    height = HEIGHT + 16 * (legend_at[-1][1] if legend_at else 0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" class="chart">',
        f'<title id="{uid}-title">{escape(title)}</title><desc id="{uid}-desc">{escape(description)}</desc>',
        f'<line x1="{LEFT}" y1="{y(0)}" x2="{width - 10}" y2="{y(0)}" stroke="#666"/>',
        f'<text x="{LEFT - 6}" y="{y(top) + 4}" text-anchor="end" font-size="11">{top}</text>',
        f'<text x="{LEFT - 6}" y="{y(0) + 4}" text-anchor="end" font-size="11">0</text>',
    ]
    # Month numbers far enough apart not to touch (every third, or fewer on a narrow chart), and the last one.
    every = max(3, math.ceil(24 / step))
    for index, month in enumerate(months):
        last = index == len(months) - 1
        if (index % every == 0 and (last or (len(months) - 1 - index) * step >= 24)) or last:
            parts.append(f'<text x="{x(index):.1f}" y="{HEIGHT - 30}" text-anchor="middle" font-size="11">'
                         f"{month}</text>")  # fmt: skip
    for number, (_name, values) in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        points = []
        for index, value in enumerate(values):
            if index:
                points.append(f"{x(index):.1f},{y(values[index - 1]):.1f}")
            points.append(f"{x(index):.1f},{y(value):.1f}")
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" points="{" ".join(points)}"/>')
    # The legend on its own lines under the months, never over the lines it names.
    for number, (text, (legend_x, line)) in enumerate(zip(names, legend_at, strict=True)):
        colour = COLOURS[number % len(COLOURS)]
        parts.append(f'<text x="{legend_x:.1f}" y="{HEIGHT - 6 + 16 * line}" fill="{colour}" font-size="12">'
                     f"{escape(text)}</text>")  # fmt: skip
    parts.append("</svg>")
    return mark_safe("".join(parts))
