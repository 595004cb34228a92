"""The programme dashboard's chart, drawn on the server as SVG (nothing fetched from elsewhere)."""

from __future__ import annotations

from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 260, 40, 50, 10
# An upper bound of a character's width as a share of the font size, to lay the legend out.
CHAR_WIDTH = 0.62
COLOURS = ["#1d4e89", "#c0392b", "#2e7d32", "#8e44ad"]


def enrolment_chart(
    *, months: list[int], series: list[tuple[str, list[int]]], title: str, description: str, month_label: str
) -> SafeString:
    """Cumulative counts per programme month as step lines, one per series, with a table as text alternative."""
    if not months:
        return mark_safe("")
    top = max([1, *(max(values) for _, values in series if values)])
    step = (WIDTH - LEFT - 10) / max(len(months) - 1, 1)

    def x(index):
        return LEFT + index * step

    def y(value):
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="enrol-title enrol-desc" class="chart">',
        f'<title id="enrol-title">{escape(title)}</title><desc id="enrol-desc">{escape(description)}</desc>',
        f'<line x1="{LEFT}" y1="{y(0)}" x2="{WIDTH - 10}" y2="{y(0)}" stroke="#666"/>',
        f'<text x="{LEFT - 6}" y="{y(top) + 4}" text-anchor="end" font-size="11">{top}</text>',
        f'<text x="{LEFT - 6}" y="{y(0) + 4}" text-anchor="end" font-size="11">0</text>',
    ]
    for index, month in enumerate(months):
        if index % 3 == 0 or index == len(months) - 1:
            parts.append(f'<text x="{x(index)}" y="{HEIGHT - 30}" text-anchor="middle" font-size="11">{month}</text>')
    legend_x = float(LEFT)
    for number, (name, values) in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        points = []
        for index, value in enumerate(values):
            if index:
                points.append(f"{x(index):.1f},{y(values[index - 1]):.1f}")
            points.append(f"{x(index):.1f},{y(value):.1f}")
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" points="{" ".join(points)}"/>')
        # The legend on its own line under the months, never over the lines it names.
        parts.append(
            f'<text x="{legend_x:.1f}" y="{HEIGHT - 6}" fill="{colour}" font-size="12">— {escape(name)}</text>'
        )
        legend_x += (len(name) + 2) * 12 * CHAR_WIDTH + 16
    parts.append("</svg>")
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
    return mark_safe("".join(parts) + table)
