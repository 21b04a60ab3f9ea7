"""Charts drawn on the server as inline SVG, from plain Python data.

One drawing serves the web page and the PDF: WeasyPrint renders inline SVG as vectors, so a
chart stays sharp at any zoom. The SVG carries no script, no style attribute and no font of its
own (text inherits the page's font), so the site's Content-Security-Policy (`style-src 'self'`)
allows it; colours are presentation attributes taken from the Europa Component Library palette.

Horizontal positions are percentages of the chart's width and vertical ones are pixels: the
chart fills the width it is given (a phone or an A4 page) while its text keeps its size instead
of shrinking with a scaled `viewBox`.

Every chart has a `<title>` and `<desc>` for assistive technology and keeps its data, so that
`core/fragment_chart.html` can show the same figures as a table.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import count

from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# The site's EC blue, then ECL (EC preset) colours, each with at least 3:1 contrast against
# white (WCAG 1.4.11), in the order series take them: blue, orange, green, light blue, grey, red.
PALETTE = ("#004494", "#c55109", "#037e4e", "#3b62b0", "#505070", "#9e1920")
TEXT_COLOUR = "#1c1c45"
MUTED_COLOUR = "#505070"
GRID_COLOUR = "#d4d4dc"
FONT_SIZE = 14
SMALL_FONT_SIZE = 12
# Bars never reach the right edge: the value printed after the longest bar needs room.
BAR_SPAN = 82.0
# A label longer than this would not fit a phone's width (about 340 px of 14 px text); the
# tooltip and the table keep it whole.
LABEL_MAX_CHARS = 44
# The narrowest width a chart is drawn at (a phone), to space the labels of an axis.
NARROWEST = 330

_ids = count(1)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


@dataclass(frozen=True)
class Chart:
    """A drawn chart and the data behind it (for the table alternative)."""

    title: str
    description: str
    svg: SafeString
    columns: Sequence[str] = ()
    rows: Sequence[tuple[str, Sequence[str]]] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        return not self.rows

    def __str__(self) -> str:
        return self.svg

    def __html__(self) -> str:
        return self.svg


def format_number(value: float) -> str:
    """A count or measure in the active language's notation, grouped by thousands."""
    if float(value).is_integer():
        value = int(value)
    else:
        value = round(value, 1)
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def nice_step(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above `value`; never below 1, since
    the charts draw counts (an axis reading 6.2 pledges would be odd)."""
    if value <= 1:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return 10.0 * magnitude  # pragma: no cover - the loop always returns


def axis_ticks(value: float) -> list[float]:
    """Up to four evenly spaced round values above zero, the last at or above `value`."""
    step = nice_step(value / 4)
    return [step * n for n in range(1, max(1, math.ceil(value / step)) + 1)]


def _check_values(values: Sequence[float]) -> list[float]:
    checked = []
    for value in values:
        number = float(value)
        if math.isnan(number) or number < 0:
            raise ValueError(f"Charts draw counts and measures; {value!r} is not one.")
        checked.append(number)
    return checked


def _pct(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") + "%"


def _short(label: str) -> str:
    label = str(label)
    return label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1] + "…"


def _open_svg(title: str, description: str, height: float) -> tuple[str, list[str]]:
    uid = f"chart-{next(_ids)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="100%" '
        f'height="{height:g}" role="img" aria-labelledby="{uid}-title {uid}-desc" '
        f'font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(description)}</desc>',
    ]
    return uid, parts


def _finish(parts: list[str]) -> SafeString:
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text piece above went through escape()


def _empty_chart(title: str, description: str) -> Chart:
    _uid, parts = _open_svg(title, description or _("No data yet."), 40)
    parts.append(f'<text x="0" y="24" fill="{MUTED_COLOUR}">{escape(_("No data yet."))}</text>')
    return Chart(title=title, description=description, svg=_finish(parts))


def _legend(parts: list[str], names: Sequence[str], top: float) -> float:
    """One legend entry per line (long names and narrow screens never collide); returns the
    height used."""
    line = FONT_SIZE + 8
    for index, name in enumerate(names):
        y = top + index * line
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect class="chart-swatch" x="0" y="{y:g}" width="14" height="14" fill="{colour}"/>'
            f'<text x="22" y="{y + 12:g}">{escape(_short(name))}</text>'
        )
    return len(names) * line + (6 if names else 0)


def _description(description: str, rows: Sequence[tuple[str, Sequence[str]]]) -> str:
    if description:
        return description
    return "; ".join(f"{label}: {', '.join(values)}" for label, values in rows)


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    description: str = "",
    value_label: str = "",
    orientation: str = "horizontal",
) -> Chart:
    """One bar per (label, value), its length proportional to the value."""
    if orientation not in ("horizontal", "vertical"):
        raise ValueError(f"Unknown orientation {orientation!r}.")
    labels = [str(label) for label, _value in items]
    values = _check_values([value for _label, value in items])
    if not items:
        return _empty_chart(title, description)
    column = value_label or _("Value")
    rows = [(label, [format_number(value)]) for label, value in zip(labels, values, strict=True)]
    description = _description(description, rows)
    if orientation == "vertical":
        svg = _columns_svg(title, description, labels, [Series(column, values)], stacked=False)
    else:
        svg = _bars_svg(title, description, labels, [Series(column, values)])
    return Chart(title=title, description=description, svg=svg, columns=[column], rows=rows)


def stacked_bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str = "",
    orientation: str = "horizontal",
) -> Chart:
    """One bar per category, cut into one segment per series (e.g. pledges by status)."""
    if orientation not in ("horizontal", "vertical"):
        raise ValueError(f"Unknown orientation {orientation!r}.")
    categories = [str(category) for category in categories]
    series = [Series(str(s.name), _check_values(s.values)) for s in series]
    for one in series:
        if len(one.values) != len(categories):
            raise ValueError("Every series needs one value per category.")
    if not categories or not series:
        return _empty_chart(title, description)
    rows = [
        (category, [format_number(one.values[index]) for one in series])
        for index, category in enumerate(categories)
    ]
    description = _description(description, rows)
    if orientation == "vertical":
        svg = _columns_svg(title, description, categories, series, stacked=True)
    else:
        svg = _bars_svg(title, description, categories, series)
    return Chart(
        title=title,
        description=description,
        svg=svg,
        columns=[one.name for one in series],
        rows=rows,
    )


def _bars_svg(
    title: str, description: str, labels: Sequence[str], series: Sequence[Series]
) -> SafeString:
    """Horizontal bars: the label on its own line above the bar, the value after it."""
    totals = [sum(one.values[i] for one in series) for i in range(len(labels))]
    maximum = max(totals) or 1.0
    legend = [one.name for one in series] if len(series) > 1 else []
    legend_height = (len(legend) * (FONT_SIZE + 8) + 6) if legend else 0
    row_height = FONT_SIZE + 30
    height = legend_height + row_height * len(labels) + 4
    _uid, parts = _open_svg(title, description, height)
    _legend(parts, legend, 0)
    for index, label in enumerate(labels):
        top = legend_height + index * row_height
        parts.append(
            f'<text x="0" y="{top + FONT_SIZE:g}">{escape(_short(label))}'
            f"<title>{escape(label)}</title></text>"
        )
        x = 0.0
        bar_y = top + FONT_SIZE + 6
        for number, one in enumerate(series):
            value = one.values[index]
            width = BAR_SPAN * value / maximum
            colour = PALETTE[number % len(PALETTE)]
            parts.append(
                f'<rect class="chart-bar" x="{_pct(x)}" y="{bar_y:g}" width="{_pct(width)}" '
                f'height="16" fill="{colour}"><title>{escape(label)}'
                f"{' – ' + escape(one.name) if legend else ''}: "
                f"{escape(format_number(value))}</title></rect>"
            )
            x += width
        parts.append(
            f'<text class="chart-value" x="{_pct(x)}" dx="6" y="{bar_y + 13:g}">'
            f"{escape(format_number(totals[index]))}</text>"
        )
    return _finish(parts)


def _axis(parts: list[str], ticks: Sequence[float], top: float, plot_height: float) -> list[str]:
    """Horizontal grid lines (drawn now) and their values (returned, to be drawn over the
    marks, with a white outline, so that a line crossing one leaves it readable)."""
    maximum = ticks[-1]
    labels = []
    for value in [0.0, *ticks]:
        y = top + plot_height - plot_height * value / maximum
        parts.append(
            f'<line class="chart-grid" x1="0" x2="100%" y1="{y:g}" y2="{y:g}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
        if value:
            labels.append(
                f'<text x="0" y="{y - 4:g}" font-size="{SMALL_FONT_SIZE}" '
                f'fill="{MUTED_COLOUR}" stroke="#fff" stroke-width="3" paint-order="stroke">'
                f"{escape(format_number(value))}</text>"
            )
    return labels


def _x_labels(parts: list[str], labels: Sequence[str], centres: Sequence[float], y: float) -> None:
    """The category labels under the plot: as many as fit side by side on a phone, evenly
    spaced, always the first and the last (the table alternative and each mark's tooltip
    still name every one)."""
    longest = max(len(_short(label)) for label in labels)
    room = max(2, int(NARROWEST // (longest * SMALL_FONT_SIZE * 0.6 + 16)))
    stride = max(1, math.ceil((len(labels) - 1) / max(1, room - 1)))
    last = len(labels) - 1
    shown = list(range(0, last + 1, stride))
    if shown[-1] != last:
        if last - shown[-1] < stride / 2 and len(shown) > 1:
            shown[-1] = last
        else:
            shown.append(last)
    for index in shown:
        if len(labels) == 1:
            anchor = "middle"
        else:
            anchor = "start" if index == 0 else "end" if index == last else "middle"
        x = 0.0 if anchor == "start" else 100.0 if anchor == "end" else centres[index]
        parts.append(
            f'<text class="chart-x-label" x="{_pct(x)}" y="{y:g}" text-anchor="{anchor}" '
            f'font-size="{SMALL_FONT_SIZE}">{escape(_short(labels[index]))}</text>'
        )


PLOT_HEIGHT = 180


def _columns_svg(
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    stacked: bool,
) -> SafeString:
    """Vertical bars (columns), side by side per category or stacked."""
    legend = [one.name for one in series] if len(series) > 1 else []
    legend_height = (len(legend) * (FONT_SIZE + 8) + 6) if legend else 0
    totals = [sum(one.values[i] for one in series) for i in range(len(labels))]
    ticks = axis_ticks(max(totals) if stacked else max(max(s.values) for s in series))
    maximum = ticks[-1]
    top = legend_height + FONT_SIZE + 4
    height = top + PLOT_HEIGHT + FONT_SIZE + 10
    _uid, parts = _open_svg(title, description, height)
    _legend(parts, legend, 0)
    axis_labels = _axis(parts, ticks, top, PLOT_HEIGHT)
    slot = 100.0 / len(labels)
    bar_width = slot * 0.7
    baseline = top + PLOT_HEIGHT
    centres = []
    for index, label in enumerate(labels):
        left = index * slot + (slot - bar_width) / 2
        centres.append(index * slot + slot / 2)
        stack = 0.0
        for number, one in enumerate(series):
            value = one.values[index]
            bar_height = PLOT_HEIGHT * value / maximum
            colour = PALETTE[number % len(PALETTE)]
            if stacked or len(series) == 1:
                x, width = left, bar_width
                y = baseline - stack - bar_height
                stack += bar_height
            else:
                width = bar_width / len(series)
                x = left + number * width
                y = baseline - bar_height
            parts.append(
                f'<rect class="chart-bar" x="{_pct(x)}" y="{y:.2f}" width="{_pct(width)}" '
                f'height="{bar_height:.2f}" fill="{colour}"><title>{escape(label)}'
                f"{' – ' + escape(one.name) if legend else ''}: "
                f"{escape(format_number(value))}</title></rect>"
            )
    _x_labels(parts, labels, centres, baseline + SMALL_FONT_SIZE + 6)
    parts.extend(axis_labels)
    return _finish(parts)


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str = "",
) -> Chart:
    """One line per series over the labels (periods, oldest first), e.g. pledges per month."""
    labels = [str(label) for label in labels]
    series = [Series(str(s.name), _check_values(s.values)) for s in series]
    for one in series:
        if len(one.values) != len(labels):
            raise ValueError("Every series needs one value per period.")
    if not labels or not series:
        return _empty_chart(title, description)
    rows = [
        (label, [format_number(one.values[index]) for one in series])
        for index, label in enumerate(labels)
    ]
    description = _description(description, rows)
    legend = [one.name for one in series] if len(series) > 1 else []
    legend_height = (len(legend) * (FONT_SIZE + 8) + 6) if legend else 0
    ticks = axis_ticks(max(max(one.values) for one in series))
    maximum = ticks[-1]
    top = legend_height + FONT_SIZE + 4
    height = top + PLOT_HEIGHT + FONT_SIZE + 10
    _uid, parts = _open_svg(title, description, height)
    _legend(parts, legend, 0)
    axis_labels = _axis(parts, ticks, top, PLOT_HEIGHT)
    baseline = top + PLOT_HEIGHT
    # Points sit in the middle of equal slots, as columns would: the first and last stay
    # clear of the edges and of the axis labels.
    slot = 100.0 / len(labels)
    xs = [index * slot + slot / 2 for index in range(len(labels))]
    for number, one in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        ys = [baseline - PLOT_HEIGHT * value / maximum for value in one.values]
        for index in range(1, len(labels)):
            parts.append(
                f'<line class="chart-line" x1="{_pct(xs[index - 1])}" y1="{ys[index - 1]:.2f}" '
                f'x2="{_pct(xs[index])}" y2="{ys[index]:.2f}" stroke="{colour}" '
                f'stroke-width="2.5" stroke-linecap="round"/>'
            )
        for index, label in enumerate(labels):
            parts.append(
                f'<circle class="chart-point" cx="{_pct(xs[index])}" cy="{ys[index]:.2f}" r="3.5" '
                f'fill="{colour}"><title>{escape(label)}'
                f"{' – ' + escape(one.name) if legend else ''}: "
                f"{escape(format_number(one.values[index]))}</title></circle>"
            )
    _x_labels(parts, labels, xs, baseline + SMALL_FONT_SIZE + 6)
    parts.extend(axis_labels)
    return Chart(
        title=title,
        description=description,
        svg=_finish(parts),
        columns=[one.name for one in series],
        rows=rows,
    )


# --- periods -------------------------------------------------------------------------------


def recent_months(count: int = 12, *, today: datetime.date | None = None) -> list[datetime.date]:
    """The first day of each of the last `count` months, oldest first, the current one last."""
    today = today or timezone.localdate()
    year, month = today.year, today.month
    months = []
    for _index in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def month_label(day: datetime.date) -> str:
    """A month as an axis shows it, in the active language ("Mar 2026")."""
    return formats.date_format(day, "M Y")


def per_month(rows, months: Sequence[datetime.date]) -> list[int]:
    """Counts from (month, n) rows (a `TruncMonth` query: dates or datetimes), one per month
    of `months`, zero where a month has none."""
    counts: dict[datetime.date, int] = {}
    for moment, n in rows:
        if moment is None:
            continue
        if isinstance(moment, datetime.datetime):
            moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
            moment = moment.date()
        key = moment.replace(day=1)
        counts[key] = counts.get(key, 0) + n
    return [counts.get(month, 0) for month in months]
