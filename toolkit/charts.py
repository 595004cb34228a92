"""Charts drawn on the server as SVG: nothing fetched from elsewhere, a text alternative on each."""

from __future__ import annotations

import datetime
import functools
import math
from collections.abc import Callable

from babel.dates import format_date
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from journey.formatting import babel_locale

WIDTH, HEIGHT, PAD_BOTTOM, PAD_TOP = 720, 280, 56, 16
# Each chart is drawn twice: at WIDTH for wider screens, and at NARROW for a phone, where the wide drawing would
# shrink its text to ~40 %. The CSS shows one of the two by the width of the chart's <figure> (a container
# query, static/css/site.css): drawn at about the width it is shown, the narrow one keeps its text ≥ 11 CSS px.
NARROW = 280
# An upper bound of a character's width as a share of the font size (digits, capitals, currency signs):
# enough room is kept for every label so that none is clipped by the edge of the chart.
CHAR_WIDTH = 0.62


def _labelled(name: str, value: object) -> str:
    """ "November 2026: £120.00" / "novembre 2026 : 120,00 £" (a tooltip; French puts a space before the colon)."""
    return gettext("%(name)s: %(value)s") % {"name": name, "value": value}


def _text_width(text: str, size: int) -> float:
    return len(text) * size * CHAR_WIDTH


def _wrap(text: str, size: int, width: float) -> list[str]:
    """The text cut into lines no wider than ``width``, by whole words (a longer word is cut with an ellipsis)."""
    lines: list[str] = []
    # Cut at ordinary spaces only: a no-break space keeps "représentés :" or "340,00 £" on one line.
    for word in filter(None, text.split(" ")):
        if lines and _text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(_fit(word, size, width))
    return lines


def _fit(label: str, size: int, width: float) -> str:
    """The label cut with an ellipsis to fit ``width`` (charts give the whole label as a tooltip)."""
    fits = max(int(width / (size * CHAR_WIDTH)), 2)
    return label if len(label) <= fits else label[: fits - 1] + "…"


def both_widths(draw: Callable[..., SafeString], *, wide: int = WIDTH) -> Callable[..., SafeString]:
    """The chart drawn ``wide`` and at NARROW, one after the other; the CSS shows the one that fits.

    ``draw`` takes ``uid`` and ``width`` keywords; the narrow drawing's title and description get ids of their own.
    """

    @functools.wraps(draw)
    def drawn(*args, uid: str = "chart", **kwargs) -> SafeString:
        drawn_wide = str(draw(*args, uid=uid, width=wide, **kwargs))
        if not drawn_wide:
            return mark_safe("")
        narrow = str(draw(*args, uid=f"{uid}-narrow", width=NARROW, **kwargs))
        return mark_safe(
            drawn_wide.replace('class="chart"', 'class="chart chart-wide"', 1)
            + narrow.replace('class="chart"', 'class="chart chart-narrow"', 1)
        )

    return drawn


def legend_flow(texts: list[str], size: int, left: float, right: float, gap: float = 16) -> list[tuple[float, int]]:
    """Where each legend entry goes, ``(x, line)``: side by side, on a new line when the next would pass ``right``."""
    placed, x, line = [], left, 0
    for text in texts:
        width = _text_width(text, size)
        if x > left and x + width > right:
            x, line = left, line + 1
        placed.append((x, line))
        x += width + gap
    return placed


def month_short(month: str) -> str:
    """ "2026-11" → "Nov 2026" / "nov. 2026": the reader's short month (CLDR's abbreviations), for axes."""
    year, number = month.split("-")
    return format_date(datetime.date(int(year), int(number), 1), "MMM y", locale=babel_locale())


def _month_long(month: str) -> str:
    """ "2026-11" → "November 2026" / "novembre 2026": for tooltips."""
    year, number = month.split("-")
    return formats.date_format(datetime.date(int(year), int(number), 1), "YEAR_MONTH_FORMAT")


@both_widths
def monthly_chart(months: list[dict], projection: dict | None, *, title: str, description: str,
                  sales_label: str, profit_label: str, projection_label: str, uid: str = "chart",
                  width: int = WIDTH, value_format: Callable[[float], str] | None = None) -> SafeString:  # fmt: skip
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
    months_y = PAD_TOP + plot_height + 22

    def y(value: float) -> float:
        return PAD_TOP + plot_height * (top - value) / span

    # The axis: the highest value, zero, and the lowest when it is a loss; a label too close to zero is left out.
    ticks = [(top, value_format(top))]
    if bottom < 0:
        ticks.append((bottom, value_format(bottom)))
    ticks = [(value, text) for value, text in ticks if abs(y(value) - y(0)) >= 14]
    ticks.append((0.0, "0"))
    pad_left = max(40, round(max(_text_width(text, 11) for _value, text in ticks) + 12))
    step = (width - pad_left - 8) / slots
    # The legend on its own lines below the months, never over the plot: as many lines as the width needs.
    legend = [(f"■ {sales_label}", "#0b6e6e"), (f"— {profit_label}", "#c2571a"), (f"┆ {projection_label}", "#1d2733")]
    legend_at = legend_flow([text for text, _colour in legend], 11, float(4 if width < WIDTH else pad_left), width - 4)
    height = HEIGHT + 16 * legend_at[-1][1]

    parts = _open(uid, width, height, title, description)
    parts.append(f'<line x1="{pad_left}" y1="{y(0):.1f}" x2="{width - 8}" y2="{y(0):.1f}" stroke="#8a959e" '
                 'stroke-width="1"/>')  # fmt: skip
    for value, text in ticks:
        parts.append(f'<text x="{pad_left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="11">'
                     f"{escape(text)}</text>")  # fmt: skip
    # Month labels far enough apart not to touch: every month on a wide chart of few months, fewer on a phone.
    label_width = max(_text_width(month_short(m["month"]), 11) for m in shown) if shown else 0
    every = max(1, -(-len(shown) // 6), math.ceil((label_width + 10) / step))
    labels: list[tuple[float, str]] = []
    points = []
    for index, month in enumerate(shown):
        x = pad_left + index * step
        bar_top, bar_bottom = sorted((y(month["sales"]), y(0)))
        fill = "#9cc9c9" if month["partial"] else "#0b6e6e"
        parts.append(f'<rect x="{x + 3:.1f}" y="{bar_top:.1f}" width="{max(step - 6, 2):.1f}" '
                     f'height="{max(bar_bottom - bar_top, 0.5):.1f}" fill="{fill}">'
                     f"<title>{escape(_labelled(_month_long(month['month']), value_format(month['sales'])))}"
                     "</title></rect>")  # fmt: skip
        points.append(f"{x + step / 2:.1f},{y(month['profit']):.1f}")
        if index % every == 0:
            labels.append((x + step / 2, month_short(month["month"])))
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
            # The projected month is always named; a month label it would touch gives way.
            labels = [(x, text) for x, text in labels if abs(middle - x) >= label_width + 10]
            labels.append((middle, month_short(projection["month"])))
    for x, text in labels:
        # The last label ends at the right edge, never beyond it.
        label_x = min(x, width - 2 - _text_width(text, 11) / 2)
        parts.append(f'<text x="{label_x:.1f}" y="{months_y}" text-anchor="middle" font-size="11">'
                     f"{escape(text)}</text>")  # fmt: skip
    for (text, colour), (legend_x, line) in zip(legend, legend_at, strict=True):
        parts.append(f'<text x="{legend_x:.1f}" y="{HEIGHT - 8 + 16 * line}" font-size="11" fill="{colour}">'
                     f"{escape(text)}</text>")  # fmt: skip
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


@both_widths
def bar_chart(items: list[tuple[str, float, str]], *, uid: str, title: str, description: str,
              value_format: Callable[[float], str] = _number, width: int = WIDTH) -> SafeString:  # fmt: skip
    """Horizontal bars, one per item ``(label, value, tone)``; tone "" | "loss" | "top" | "muted".

    Negative values extend left of the zero line. The value is written at the end of each bar. On a wide chart
    the label stands left of its bar; on a narrow one, above it, across the whole width.
    """
    if not items:
        return mark_safe("")
    narrow = width < WIDTH
    row, label_width = (42, 0) if narrow else (26, 190)
    value_width = max(60, round(max(_text_width(value_format(value), 12) for _l, value, _t in items) + 14))
    height = row * len(items) + 12
    values = [value for _label, value, _tone in items]
    low, high = min(values + [0.0]), max(values + [0.0])
    span = (high - low) or 1.0
    plot = width - label_width - value_width - (2 if narrow else 0)

    def x(value: float) -> float:
        return label_width + (2 if narrow else 0) + plot * (value - low) / span

    parts = _open(uid, width, height, title, description)
    for index, (label, value, tone) in enumerate(items):
        top = 6 + index * row
        bar_top = top + 17 if narrow else top + 3
        left, right = sorted((x(0), x(value)))
        if narrow:
            parts.append(f'<text x="2" y="{top + 11}" font-size="12"><title>{escape(label)}</title>'
                         f"{escape(_fit(label, 12, width - 4))}</text>")  # fmt: skip
        else:
            short = _fit(label, 12, label_width - 12)
            parts.append(f'<text x="{label_width - 8}" y="{top + 15}" text-anchor="end" font-size="12">'
                         f"<title>{escape(label)}</title>{escape(short)}</text>")  # fmt: skip
        parts.append(f'<rect x="{left:.1f}" y="{bar_top}" width="{max(right - left, 1):.1f}" height="18" '
                     f'fill="{BAR_COLOURS.get(tone, BAR_COLOURS[""])}"/>')  # fmt: skip
        parts.append(f'<text x="{max(right, x(0)) + 6:.1f}" y="{bar_top + 13}" font-size="12">'
                     f"{escape(value_format(value))}</text>")  # fmt: skip
    parts.append(f'<line x1="{x(0):.1f}" y1="4" x2="{x(0):.1f}" y2="{height - 4}" stroke="#8a959e"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


CHECK_COLOURS = ("#2e7d32", "#b3261e", "#b8c2cc")  # passed, failed, unknown


@both_widths
def checks_chart(rows: list[tuple[str, int, int, int]], *, uid: str, title: str, description: str,
                 legend: tuple[str, str, str], width: int = WIDTH) -> SafeString:  # fmt: skip
    """One stacked bar per check: the share of products that pass, fail, or whose data is unknown.

    On a wide chart each check's name stands left of its bar; on a narrow one, above it."""
    if not rows:
        return mark_safe("")
    narrow = width < WIDTH
    row, label_width = (38, 0) if narrow else (24, 300)
    left_edge = 2 if narrow else label_width
    legend_at = legend_flow([f"MM {name}" for name in legend], 12, float(left_edge), width - 4, gap=14)
    height = row * len(rows) + 34 + 18 * legend_at[-1][1]
    plot = width - left_edge - (4 if narrow else 16)
    parts = _open(uid, width, height, title, description)
    for index, (label, *counts) in enumerate(rows):
        top = 6 + index * row
        bar_top = top + 16 if narrow else top + 3
        total = sum(counts) or 1
        if narrow:
            parts.append(f'<text x="2" y="{top + 11}" font-size="12"><title>{escape(label)}</title>'
                         f"{escape(_fit(label, 12, width - 4))}</text>")  # fmt: skip
        else:
            short = _fit(label, 12, label_width - 12)
            parts.append(f'<text x="{label_width - 8}" y="{top + 14}" text-anchor="end" font-size="12">'
                         f"<title>{escape(label)}</title>{escape(short)}</text>")  # fmt: skip
        left = float(left_edge)
        for count, colour, name in zip(counts, CHECK_COLOURS, legend, strict=True):
            share = plot * count / total
            if share:
                parts.append(f'<rect x="{left:.1f}" y="{bar_top}" width="{share:.1f}" height="16" '
                             f'fill="{colour}"><title>{escape(_labelled(name, count))}</title></rect>')  # fmt: skip
            left += share
    first_line = row * len(rows) + 26
    for colour, name, (x, line) in zip(CHECK_COLOURS, legend, legend_at, strict=True):
        legend_y = first_line + 18 * line
        parts.append(f'<rect x="{x:.1f}" y="{legend_y - 10}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{x + 18:.1f}" y="{legend_y}" font-size="12">{escape(name)}</text>')  # fmt: skip
    parts.append("</svg>")
    return mark_safe("".join(parts))


@both_widths
def score_gauge(score: float, *, uid: str, title: str, description: str, mark: float = 80,
                width: int = WIDTH) -> SafeString:  # fmt: skip
    """The score on a 0–100 bar, with the mark to aim for."""
    height, left, right = 56, 16, width - 16
    plot = right - left

    def x(value: float) -> float:
        return left + plot * max(0.0, min(100.0, value)) / 100

    colour = "#2e7d32" if score >= mark else "#c2571a" if score >= 50 else "#b3261e"
    parts = _open(uid, width, height, title, description)
    parts.append(f'<rect x="{left}" y="8" width="{plot}" height="20" fill="#e6ebef"/>')
    parts.append(f'<rect x="{left}" y="8" width="{x(score) - left:.1f}" height="20" fill="{colour}"/>')
    parts.append(f'<line x1="{x(mark):.1f}" y1="4" x2="{x(mark):.1f}" y2="32" stroke="#1d2733" stroke-width="2"/>')
    for tick in (0, 50, 100):
        anchor = "start" if tick == 0 else "end" if tick == 100 else "middle"
        parts.append(f'<text x="{x(tick):.1f}" y="48" text-anchor="{anchor}" font-size="11">{tick}</text>')
    parts.append(f'<text x="{x(mark):.1f}" y="48" text-anchor="middle" font-size="11">{_number(mark)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


@both_widths
def profit_curve_chart(values: list[float], *, uid: str, title: str, description: str, top_share: float = 0.1,
                       value_format: Callable[[float], str] = _number, note: str = "",
                       width: int = WIDTH) -> SafeString:  # fmt: skip
    """Every order's profit as a bar, highest first: the most profitable stand out in green, losses in red.

    ``note``: a line written above the plot (the returns and cancellations, which are not orders at a
    loss and so are not drawn as bars below zero); on a narrow chart it takes as many lines as it needs."""
    if not values and not note:
        return mark_safe("")
    high, low = max(values + [0.0]), min(values + [0.0])
    note_lines = _wrap(note, 11, width - 16) if note else []
    top = 8 + 18 * len(note_lines)
    height = 200 + top - 8
    left = max(40, round(max(_text_width(value_format(v), 11) for v in (high, low)) + 12))
    plot_height = height - 16 - top
    span = (high - low) or 1.0
    step = (width - left - 8) / max(len(values), 1)
    top_count = max(1, round(len(values) * top_share))

    def y(value: float) -> float:
        return top + plot_height * (high - value) / span

    parts = _open(uid, width, height, title, description)
    for number, line in enumerate(note_lines):
        parts.append(f'<text class="chart-note" x="{width - 8}" y="{14 + 16 * number}" text-anchor="end" '
                     f'font-size="11" fill="#4a5560">{escape(line)}</text>')  # fmt: skip
    for index, value in enumerate(values):
        tone = "loss" if value < 0 else "top" if index < top_count and value > 0 else ""
        upper, lower = sorted((y(value), y(0)))
        parts.append(f'<rect x="{left + index * step:.1f}" y="{upper:.1f}" width="{max(step - 1, 0.6):.1f}" '
                     f'height="{max(lower - upper, 0.5):.1f}" fill="{BAR_COLOURS[tone]}"/>')  # fmt: skip
    parts.append(f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - 8}" y2="{y(0):.1f}" stroke="#8a959e"/>')
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
