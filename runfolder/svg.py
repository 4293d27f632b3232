"""Small hand-written SVG charts for the run report: no plotting library, no script, no network.

Each chart is one ``<svg class="plot" data-plot=NAME>`` with a ``<title>`` and one ``class="mark"`` element per
bar (with its own ``<title>`` tooltip), so a reader can hover for exact numbers and a test can count the marks.
"""

from __future__ import annotations

from html import escape

PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"]
FATE_COLORS = {"out": "#59a14f", "dropped": "#edc948", "failed": "#e15759"}
MAX_LABEL = 36
FONT = "font-family:system-ui,-apple-system,'DejaVu Sans',sans-serif;font-size:12px"


def _num(value: float) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"
    return f"{int(value):,}"


def _label_width(labels) -> int:
    """Room for the longest label (about 7 px a character at 12 px), between 60 and 260 px."""
    return max(60, min(260, 12 + 7 * max((len(str(label)[:MAX_LABEL]) for label in labels), default=0)))


def _open(name: str, title: str, width: int, height: int) -> list[str]:
    return [
        f'<svg class="plot" data-plot="{escape(name)}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" style="{FONT}">',
        f"<title>{escape(title)}</title>",
    ]


def bar_chart(name: str, title: str, items: list[tuple[str, float]], unit: str = "", width: int = 560,
              color: str = PALETTE[0]) -> str:
    """Horizontal bars, one per (label, value), longest first as given; the value is printed after the bar."""
    label_w, value_w, row_h = _label_width(label for label, _ in items), 100, 24
    height = max(1, len(items)) * row_h + 10
    top = max((v for _, v in items), default=0) or 1
    span = width - label_w - value_w
    out = _open(name, title, width, height)
    for i, (label, value) in enumerate(items):
        y = 5 + i * row_h
        w = max(1.0, span * value / top) if value else 0
        text = f"{_num(value)}{(' ' + unit) if unit else ''}"
        out += [
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{escape(label[:MAX_LABEL])}</text>',
            f'<rect class="mark" x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{color}">'
            f"<title>{escape(label)}: {escape(text)}</title></rect>",
            f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" fill="#333">{escape(text)}</text>',
        ]
    out.append("</svg>")
    return "\n".join(out)


def stacked_bars(name: str, title: str, rows: list[tuple[str, dict[str, float]]], colors: dict[str, str],
                 width: int = 560) -> str:
    """One horizontal bar per row, split into segments (e.g. out / dropped / failed), with a legend."""
    label_w, value_w, row_h, legend_h = _label_width(label for label, _ in rows), 70, 24, 22
    height = legend_h + max(1, len(rows)) * row_h + 10
    top = max((sum(seg.values()) for _, seg in rows), default=0) or 1
    span = width - label_w - value_w
    out = _open(name, title, width, height)
    x = label_w
    for key, color in colors.items():
        out += [f'<rect x="{x}" y="4" width="12" height="12" fill="{color}"/>',
                f'<text x="{x + 16}" y="14">{escape(key)}</text>']
        x += 24 + 8 * len(key)
    for i, (label, segments) in enumerate(rows):
        y = legend_h + 5 + i * row_h
        out.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{escape(label[:MAX_LABEL])}</text>')
        x = float(label_w)
        for key, color in colors.items():
            value = segments.get(key, 0)
            if not value:
                continue
            w = max(1.0, span * value / top)
            out.append(f'<rect class="mark" x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                       f'fill="{color}"><title>{escape(label)} {escape(key)}: {_num(value)}</title></rect>')
            x += w
        out.append(f'<text x="{x + 6:.1f}" y="{y + 16}" fill="#333">{_num(sum(segments.values()))}</text>')
    out.append("</svg>")
    return "\n".join(out)


def histogram(name: str, title: str, values: list[float], bins: int = 20, lo: float = 0.0, hi: float = 1.0,
              marker: float | None = None, marker_label: str = "", width: int = 560, height: int = 200,
              color: str = PALETTE[1]) -> str:
    """Counts of ``values`` in ``bins`` equal bins over [lo, hi], with an optional vertical marker (threshold)."""
    counts = [0] * bins
    for v in values:
        if v is None:
            continue
        k = int((v - lo) / (hi - lo) * bins)
        counts[min(bins - 1, max(0, k))] += 1
    left, right, top_pad, bottom = 40, 10, 12, 30
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    top = max(counts) or 1
    bar_w = plot_w / bins
    out = _open(name, title, width, height)
    out += [f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{left + plot_w}" y2="{top_pad + plot_h}" stroke="#999"/>',
            f'<text x="{left - 6}" y="{top_pad + 10}" text-anchor="end">{top}</text>',
            f'<text x="{left - 6}" y="{top_pad + plot_h}" text-anchor="end">0</text>']
    for k, count in enumerate(counts):
        h = plot_h * count / top
        x = left + k * bar_w
        a, b = lo + (hi - lo) * k / bins, lo + (hi - lo) * (k + 1) / bins
        out.append(f'<rect class="mark" x="{x + 1:.1f}" y="{top_pad + plot_h - h:.1f}" width="{bar_w - 2:.1f}" '
                   f'height="{h:.1f}" fill="{color}"><title>{a:.2f}-{b:.2f}: {count}</title></rect>')
    for t in range(0, 11, 2):
        v = lo + (hi - lo) * t / 10
        x = left + plot_w * t / 10
        out.append(f'<text x="{x:.1f}" y="{height - 12}" text-anchor="middle">{v:g}</text>')
    if marker is not None:
        x = left + plot_w * (marker - lo) / (hi - lo)
        out += [f'<line x1="{x:.1f}" y1="{top_pad}" x2="{x:.1f}" y2="{top_pad + plot_h}" stroke="#e15759" '
                f'stroke-dasharray="4 3"/>',
                f'<text x="{x + 4:.1f}" y="{top_pad + 10}" fill="#e15759">{escape(marker_label)}</text>']
    out.append("</svg>")
    return "\n".join(out)
