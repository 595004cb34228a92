"""Charts drawn on the server as SVG: nothing fetched from elsewhere, a text alternative on each."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from babel.dates import format_date
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from journey.formatting import babel_locale

WIDTH, HEIGHT, PAD_BOTTOM, PAD_TOP = 720, 280, 56, 16
# An upper bound of a character's width as a share of the font size (digits, capitals, currency signs):
# enough room is kept for every label so that none is clipped by the edge of the chart.
CHAR_WIDTH = 0.62


def _text_width(text: str, size: int) -> float:
    return len(text) * size * CHAR_WIDTH


def month_short(month: str) -> str:
    """ "2026-11" → "Nov 2026" / "nov. 2026": the reader's short month (CLDR's abbreviations), for axes."""
    year, number = month.split("-")
    return format_date(datetime.date(int(year), int(number), 1), "MMM y", locale=babel_locale())


def _month_long(month: str) -> str:
    """ "2026-11" → "November 2026" / "novembre 2026": for tooltips."""
    year, number = month.split("-")
    return formats.date_format(datetime.date(int(year), int(number), 1), "YEAR_MONTH_FORMAT")


def monthly_chart(months: list[dict], projection: dict | None, *, title: str, description: str,
                  sales_label: str, profit_label: str, projection_label: str,
                  uid: str = "chart", value_format: Callable[[float], str] | None = None) -> SafeString:  # fmt: skip
    """Monthly sales as bars, profit as a line, the projection as an outlined bar with its range.

    ``uid`` keeps the ids of the title and description unique when a page shows several charts;
    ``value_format`` writes the axis and tooltip amounts (money with its currency, in the reader's locale).
    """
    value_format = value_format or (lambda value: _number(value, 2))
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
    plot_height = HEIGHT - PAD_TOP - PAD_BOTTOM

    def y(value: float) -> float:
        return PAD_TOP + plot_height * (top - value) / span

    # The axis: the highest value, zero, and the lowest when it is a loss; a label too close to zero is left out.
    ticks = [(top, value_format(top))]
    if bottom < 0:
        ticks.append((bottom, value_format(bottom)))
    ticks = [(value, text) for value, text in ticks if abs(y(value) - y(0)) >= 14]
    ticks.append((0.0, "0"))
    pad_left = max(40, round(max(_text_width(text, 11) for _value, text in ticks) + 12))
    step = (WIDTH - pad_left - 8) / slots

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{uid}-title {uid}-desc" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-title">{escape(title)}</title><desc id="{uid}-desc">{escape(description)}</desc>',
        f'<line x1="{pad_left}" y1="{y(0):.1f}" x2="{WIDTH - 8}" y2="{y(0):.1f}" stroke="#8a959e" stroke-width="1"/>',
    ]
    for value, text in ticks:
        parts.append(f'<text x="{pad_left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="11">'
                     f"{escape(text)}</text>")  # fmt: skip
    points = []
    for index, month in enumerate(shown):
        x = pad_left + index * step
        bar_top, bar_bottom = sorted((y(month["sales"]), y(0)))
        fill = "#9cc9c9" if month["partial"] else "#0b6e6e"
        parts.append(f'<rect x="{x + 3:.1f}" y="{bar_top:.1f}" width="{max(step - 6, 2):.1f}" '
                     f'height="{max(bar_bottom - bar_top, 0.5):.1f}" fill="{fill}">'
                     f"<title>{escape(_month_long(month['month']))}: "
                     f"{escape(value_format(month['sales']))}</title></rect>")  # fmt: skip
        points.append(f"{x + step / 2:.1f},{y(month['profit']):.1f}")
        if index % max(1, -(-len(shown) // 6)) == 0:
            parts.append(f'<text x="{x + step / 2:.1f}" y="{HEIGHT - 34}" text-anchor="middle" font-size="11">'
                         f'{escape(month_short(month["month"]))}</text>')  # fmt: skip
    if points:
        parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#c2571a" stroke-width="2"/>')
    if projection:
        x = pad_left + (len(shown) - 1 if over_partial else len(shown)) * step
        parts.append(f'<rect x="{x + 3:.1f}" y="{y(projection["value"]):.1f}" width="{max(step - 6, 2):.1f}" '
                     f'height="{max(y(0) - y(projection["value"]), 0.5):.1f}" fill="none" stroke="#0b6e6e" '
                     f'stroke-dasharray="4 3"/>')  # fmt: skip
        # The range stays inside the plot, and its ends are marked with short caps.
        high = min(max(y(projection["high"]), PAD_TOP), PAD_TOP + plot_height)
        low = min(max(y(projection["low"]), PAD_TOP), PAD_TOP + plot_height)
        middle, cap = x + step / 2, min(6.0, step / 4)
        parts.append(f'<line x1="{middle:.1f}" y1="{high:.1f}" x2="{middle:.1f}" y2="{low:.1f}" stroke="#1d2733" '
                     f'stroke-width="2"/>')  # fmt: skip
        for end in (high, low):
            parts.append(f'<line x1="{middle - cap:.1f}" y1="{end:.1f}" x2="{middle + cap:.1f}" y2="{end:.1f}" '
                         f'stroke="#1d2733" stroke-width="2"/>')  # fmt: skip
        if not over_partial:
            # The last slot's label ends at the right edge, never beyond it.
            text = month_short(projection["month"])
            label_x = min(middle, WIDTH - 2 - _text_width(text, 11) / 2)
            parts.append(f'<text x="{label_x:.1f}" y="{HEIGHT - 34}" text-anchor="middle" font-size="11">'
                         f"{escape(text)}</text>")  # fmt: skip
    # The legend sits on its own line below the months, never over the plot.
    legend_y, legend_x = HEIGHT - 8, float(pad_left)
    for text, colour in ((f"■ {sales_label}", "#0b6e6e"), (f"— {profit_label}", "#c2571a"),
                         (f"┆ {projection_label}", "#1d2733")):  # fmt: skip
        parts.append(f'<text x="{legend_x:.1f}" y="{legend_y}" font-size="11" fill="{colour}">{escape(text)}</text>')
        legend_x += _text_width(text, 11) + 16
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _number(value: float, places: int = 0) -> str:
    """A number in the reader's locale (1 234 in French, 1,234 in English)."""
    return formats.number_format(round(value, places), places, force_grouping=True)


def _open(uid: str, width: int, height: int, title: str, description: str) -> list[str]:
    return [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{uid}-title {uid}-desc" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-title">{escape(title)}</title><desc id="{uid}-desc">{escape(description)}</desc>',
    ]


BAR_COLOURS = {"": "#0b6e6e", "loss": "#b3261e", "top": "#2e7d32", "muted": "#9cc9c9"}


def bar_chart(items: list[tuple[str, float, str]], *, uid: str, title: str, description: str,
              value_format: Callable[[float], str] = _number) -> SafeString:  # fmt: skip
    """Horizontal bars, one per item ``(label, value, tone)``; tone "" | "loss" | "top" | "muted".

    Negative values extend left of the zero line. The value is written at the end of each bar.
    """
    if not items:
        return mark_safe("")
    row, label_width = 26, 190
    value_width = max(60, round(max(_text_width(value_format(value), 12) for _l, value, _t in items) + 14))
    height = row * len(items) + 12
    values = [value for _label, value, _tone in items]
    low, high = min(values + [0.0]), max(values + [0.0])
    span = (high - low) or 1.0
    plot = WIDTH - label_width - value_width

    def x(value: float) -> float:
        return label_width + plot * (value - low) / span

    parts = _open(uid, WIDTH, height, title, description)
    for index, (label, value, tone) in enumerate(items):
        top = 6 + index * row
        left, right = sorted((x(0), x(value)))
        fits = int((label_width - 12) / (12 * CHAR_WIDTH))
        short = label if len(label) <= fits else label[: fits - 1] + "…"
        parts.append(f'<text x="{label_width - 8}" y="{top + 15}" text-anchor="end" font-size="12">'
                     f"<title>{escape(label)}</title>{escape(short)}</text>")  # fmt: skip
        parts.append(f'<rect x="{left:.1f}" y="{top + 3}" width="{max(right - left, 1):.1f}" height="{row - 8}" '
                     f'fill="{BAR_COLOURS.get(tone, BAR_COLOURS[""])}"/>')  # fmt: skip
        parts.append(f'<text x="{max(right, x(0)) + 6:.1f}" y="{top + 15}" font-size="12">'
                     f"{escape(value_format(value))}</text>")  # fmt: skip
    parts.append(f'<line x1="{x(0):.1f}" y1="4" x2="{x(0):.1f}" y2="{height - 4}" stroke="#8a959e"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


CHECK_COLOURS = ("#2e7d32", "#b3261e", "#b8c2cc")  # passed, failed, unknown


def checks_chart(rows: list[tuple[str, int, int, int]], *, uid: str, title: str, description: str,
                 legend: tuple[str, str, str]) -> SafeString:  # fmt: skip
    """One stacked bar per check: the share of products that pass, fail, or whose data is unknown."""
    if not rows:
        return mark_safe("")
    row, label_width = 24, 300
    height = row * len(rows) + 34
    plot = WIDTH - label_width - 16
    parts = _open(uid, WIDTH, height, title, description)
    for index, (label, *counts) in enumerate(rows):
        top = 6 + index * row
        total = sum(counts) or 1
        fits = int((label_width - 12) / (12 * CHAR_WIDTH))
        short = label if len(label) <= fits else label[: fits - 1] + "…"
        parts.append(f'<text x="{label_width - 8}" y="{top + 14}" text-anchor="end" font-size="12">'
                     f"<title>{escape(label)}</title>{escape(short)}</text>")  # fmt: skip
        left = float(label_width)
        for count, colour, name in zip(counts, CHECK_COLOURS, legend, strict=True):
            width = plot * count / total
            if width:
                parts.append(f'<rect x="{left:.1f}" y="{top + 3}" width="{width:.1f}" height="{row - 8}" '
                             f'fill="{colour}"><title>{escape(name)}: {count}</title></rect>')  # fmt: skip
            left += width
    legend_y = height - 8
    for position, (colour, name) in enumerate(zip(CHECK_COLOURS, legend, strict=True)):
        parts.append(f'<rect x="{label_width + position * 150}" y="{legend_y - 10}" width="12" height="12" '
                     f'fill="{colour}"/><text x="{label_width + position * 150 + 18}" y="{legend_y}" '
                     f'font-size="12">{escape(name)}</text>')  # fmt: skip
    parts.append("</svg>")
    return mark_safe("".join(parts))


def score_gauge(score: float, *, uid: str, title: str, description: str, mark: float = 80) -> SafeString:
    """The score on a 0–100 bar, with the mark to aim for."""
    height, left, right = 56, 16, WIDTH - 16
    plot = right - left

    def x(value: float) -> float:
        return left + plot * max(0.0, min(100.0, value)) / 100

    colour = "#2e7d32" if score >= mark else "#c2571a" if score >= 50 else "#b3261e"
    parts = _open(uid, WIDTH, height, title, description)
    parts.append(f'<rect x="{left}" y="8" width="{plot}" height="20" fill="#e6ebef"/>')
    parts.append(f'<rect x="{left}" y="8" width="{x(score) - left:.1f}" height="20" fill="{colour}"/>')
    parts.append(f'<line x1="{x(mark):.1f}" y1="4" x2="{x(mark):.1f}" y2="32" stroke="#1d2733" stroke-width="2"/>')
    for tick in (0, 50, 100):
        anchor = "start" if tick == 0 else "end" if tick == 100 else "middle"
        parts.append(f'<text x="{x(tick):.1f}" y="48" text-anchor="{anchor}" font-size="11">{tick}</text>')
    parts.append(f'<text x="{x(mark):.1f}" y="48" text-anchor="middle" font-size="11">{_number(mark)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def profit_curve_chart(values: list[float], *, uid: str, title: str, description: str, top_share: float = 0.1,
                       value_format: Callable[[float], str] = _number, note: str = "") -> SafeString:  # fmt: skip
    """Every order's profit as a bar, highest first: the most profitable stand out in green, losses in red.

    ``note``: a line written above the plot (the returns and cancellations, which are not orders at a
    loss and so are not drawn as bars below zero)."""
    if not values and not note:
        return mark_safe("")
    high, low = max(values + [0.0]), min(values + [0.0])
    top = 26 if note else 8
    height = 200 + top - 8
    left = max(40, round(max(_text_width(value_format(v), 11) for v in (high, low)) + 12))
    plot_height = height - 16 - top
    span = (high - low) or 1.0
    step = (WIDTH - left - 8) / max(len(values), 1)
    top_count = max(1, round(len(values) * top_share))

    def y(value: float) -> float:
        return top + plot_height * (high - value) / span

    parts = _open(uid, WIDTH, height, title, description)
    if note:
        parts.append(f'<text class="chart-note" x="{WIDTH - 8}" y="14" text-anchor="end" font-size="11" '
                     f'fill="#4a5560">{escape(note)}</text>')  # fmt: skip
    for index, value in enumerate(values):
        tone = "loss" if value < 0 else "top" if index < top_count and value > 0 else ""
        upper, lower = sorted((y(value), y(0)))
        parts.append(f'<rect x="{left + index * step:.1f}" y="{upper:.1f}" width="{max(step - 1, 0.6):.1f}" '
                     f'height="{max(lower - upper, 0.5):.1f}" fill="{BAR_COLOURS[tone]}"/>')  # fmt: skip
    parts.append(f'<line x1="{left}" y1="{y(0):.1f}" x2="{WIDTH - 8}" y2="{y(0):.1f}" stroke="#8a959e"/>')
    parts.append(f'<text x="{left - 6}" y="{y(high) + 4:.1f}" text-anchor="end" font-size="11">'
                 f"{escape(value_format(high))}</text>")  # fmt: skip
    if low < 0:
        # The lowest value under the plot's bottom edge; zero beside its line unless the two would overlap.
        parts.append(f'<text x="{left - 6}" y="{y(low):.1f}" text-anchor="end" font-size="11">'
                     f"{escape(value_format(low))}</text>")  # fmt: skip
    if low >= 0 or y(low) - y(0) >= 16:
        parts.append(f'<text x="{left - 6}" y="{y(0) + 4:.1f}" text-anchor="end" font-size="11">0</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
