"""Charts drawn on the server as SVG: nothing fetched from elsewhere, a text alternative on each."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 720, 260, 56, 36, 16


def monthly_chart(months: list[dict], projection: dict | None, *, title: str, description: str,
                  sales_label: str, profit_label: str, projection_label: str) -> SafeString:  # fmt: skip
    """Monthly sales as bars, profit as a line, the projection as an outlined bar with its range."""
    shown = months[-18:]
    values = [m["sales"] for m in shown] + [m["profit"] for m in shown]
    if projection:
        values += [projection["high"], projection["low"]]
    top = max([v for v in values if v is not None] + [1.0])
    bottom = min([v for v in values if v is not None] + [0.0])
    span = top - bottom or 1.0
    # The projection is drawn over the month in progress when it is that month, else after the last month.
    over_partial = bool(projection and shown and shown[-1]["partial"] and shown[-1]["month"] == projection["month"])
    slots = len(shown) + (1 if projection and not over_partial else 0)
    if not slots:
        return mark_safe("")
    step = (WIDTH - PAD_LEFT - 8) / slots
    plot_height = HEIGHT - PAD_TOP - PAD_BOTTOM

    def y(value: float) -> float:
        return PAD_TOP + plot_height * (top - value) / span

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title><desc id="chart-desc">{escape(description)}</desc>',
        f'<line x1="{PAD_LEFT}" y1="{y(0):.1f}" x2="{WIDTH - 8}" y2="{y(0):.1f}" stroke="#8a959e" stroke-width="1"/>',
        f'<text x="{PAD_LEFT - 6}" y="{y(top) + 4:.1f}" text-anchor="end" font-size="11">{top:,.0f}</text>',
        f'<text x="{PAD_LEFT - 6}" y="{y(0) + 4:.1f}" text-anchor="end" font-size="11">0</text>',
    ]
    points = []
    for index, month in enumerate(shown):
        x = PAD_LEFT + index * step
        bar_top, bar_bottom = sorted((y(month["sales"]), y(0)))
        fill = "#9cc9c9" if month["partial"] else "#0b6e6e"
        parts.append(f'<rect x="{x + 3:.1f}" y="{bar_top:.1f}" width="{max(step - 6, 2):.1f}" '
                     f'height="{max(bar_bottom - bar_top, 0.5):.1f}" fill="{fill}"><title>{escape(month["month"])}: '
                     f'{month["sales"]:,.2f}</title></rect>')  # fmt: skip
        points.append(f"{x + step / 2:.1f},{y(month['profit']):.1f}")
        if index % max(1, -(-len(shown) // 6)) == 0:
            parts.append(f'<text x="{x + step / 2:.1f}" y="{HEIGHT - 14}" text-anchor="middle" font-size="11">'
                         f'{escape(month["month"])}</text>')  # fmt: skip
    if points:
        parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#c2571a" stroke-width="2"/>')
    if projection:
        x = PAD_LEFT + (len(shown) - 1 if over_partial else len(shown)) * step
        parts.append(f'<rect x="{x + 3:.1f}" y="{y(projection["value"]):.1f}" width="{max(step - 6, 2):.1f}" '
                     f'height="{max(y(0) - y(projection["value"]), 0.5):.1f}" fill="none" stroke="#0b6e6e" '
                     f'stroke-dasharray="4 3"/>')  # fmt: skip
        parts.append(f'<line x1="{x + step / 2:.1f}" y1="{y(projection["high"]):.1f}" x2="{x + step / 2:.1f}" '
                     f'y2="{y(projection["low"]):.1f}" stroke="#1d2733" stroke-width="2"/>')  # fmt: skip
        if not over_partial:
            parts.append(f'<text x="{x + step / 2:.1f}" y="{HEIGHT - 14}" text-anchor="middle" font-size="11">'
                         f'{escape(projection["month"])}</text>')  # fmt: skip
    legend_y = HEIGHT - 2
    parts.append(f'<text x="{PAD_LEFT}" y="{legend_y}" font-size="11" fill="#0b6e6e">■ {escape(sales_label)}</text>')
    parts.append(
        f'<text x="{PAD_LEFT + 160}" y="{legend_y}" font-size="11" fill="#c2571a">— {escape(profit_label)}</text>'
    )
    parts.append(f'<text x="{PAD_LEFT + 320}" y="{legend_y}" font-size="11">┆ {escape(projection_label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
