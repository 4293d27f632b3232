"""Reading order of OCR line boxes: columns found by recursive XY-cut, text emitted column by column.

A region is cut where a band of empty space runs through it: down (a vertical gutter that no line crosses:
columns, read one after the other) or else across (horizontal gaps wider than a line: title above, body
below, each band cut again). A title over two columns crosses the gutter, so it is cut off first and the
columns next, and the lines of a column are never interleaved with the lines of the next. A vertical cut must leave text on both sides (a few lines, of
column width), so the cells of a table and the gaps between words stay rows, not columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median


@dataclass(frozen=True)
class Line:
    """One OCR text line (or line segment) in page pixels, with the engine's confidence in [0, 1]."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    confidence: float = 1.0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def width(self) -> float:
        return self.x1 - self.x0


def _gaps(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Empty stretches between the union of ``intervals`` (sorted, merged)."""
    gaps, end = [], None
    for start, stop in sorted(intervals):
        if end is not None and start > end:
            gaps.append((end, start))
        end = stop if end is None else max(end, stop)
    return gaps


def _column_cut(lines: list[Line], line_height: float, min_lines: int) -> float | None:
    """x of the widest gutter that leaves column-like text on both sides, or None."""
    best, best_width = None, 0.0
    region_width = max(ln.x1 for ln in lines) - min(ln.x0 for ln in lines)
    for start, stop in _gaps([(ln.x0, ln.x1) for ln in lines]):
        width = stop - start
        if width < 0.8 * line_height or width <= best_width:
            continue
        x = (start + stop) / 2
        left = [ln for ln in lines if ln.x1 <= x]
        right = [ln for ln in lines if ln.x0 >= x]
        if len(left) < min_lines or len(right) < min_lines:
            continue
        # columns of text: lines on each side wide compared with the region (table cells and words are not)
        if median(ln.width for ln in left) < 0.2 * region_width or median(ln.width for ln in right) < 0.2 * region_width:
            continue
        best, best_width = x, width
    return best


def xy_cut(lines: list[Line], min_lines: int = 3, rtl: bool = False) -> list[list[Line]]:
    """Regions (lists of lines) in reading order: top to bottom, and column by column inside a band (right to
    left for ``rtl`` scripts: Arabic, Hebrew)."""
    if len(lines) <= 1:
        return [list(lines)]
    line_height = median(ln.height for ln in lines) or 1.0
    return _cut(lines, line_height, min_lines, rtl)


def _cut(lines: list[Line], line_height: float, min_lines: int, rtl: bool) -> list[list[Line]]:
    if len(lines) <= 1:
        return [lines]
    column = _column_cut(lines, line_height, min_lines)
    if column is not None:  # a gutter no line crosses: the columns, one after the other
        left = [ln for ln in lines if (ln.x0 + ln.x1) / 2 < column]
        right = [ln for ln in lines if (ln.x0 + ln.x1) / 2 >= column]
        first, second = (right, left) if rtl else (left, right)
        return _cut(first, line_height, min_lines, rtl) + _cut(second, line_height, min_lines, rtl)
    row_gaps = [g for g in _gaps([(ln.y0, ln.y1) for ln in lines]) if g[1] - g[0] >= 1.2 * line_height]
    if row_gaps:
        # cut at every wide row gap; bands are cut again (a band may hold columns)
        bands, cuts = [], [(g[0] + g[1]) / 2 for g in row_gaps]
        for top, bottom in zip([float("-inf"), *cuts], [*cuts, float("inf")], strict=True):
            band = [ln for ln in lines if top <= (ln.y0 + ln.y1) / 2 < bottom]
            if band:
                bands.append(band)
        if len(bands) > 1:
            return [region for band in bands for region in _cut(band, line_height, min_lines, rtl)]
    return [lines]


def region_text(lines: list[Line], rtl: bool = False) -> str:
    """Lines of one region: boxes overlapping vertically form a line (left to right), top to bottom; a gap
    larger than 0.8 line heights starts a new paragraph."""
    if not lines:
        return ""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda ln: ((ln.y0 + ln.y1) / 2, ln.x0)):
        center = (line.y0 + line.y1) / 2
        if rows:
            last = rows[-1]
            top, bottom = min(ln.y0 for ln in last), max(ln.y1 for ln in last)
            if top <= center <= bottom:
                last.append(line)
                continue
        rows.append([line])
    height = median(max(ln.y1 for ln in row) - min(ln.y0 for ln in row) for row in rows)
    out, previous_bottom = [], None
    for row in rows:
        top = min(ln.y0 for ln in row)
        if previous_bottom is not None:
            out.append("\n\n" if top - previous_bottom > height * 0.8 else "\n")
        row = sorted(row, key=lambda ln: -ln.x1 if rtl else ln.x0)
        out.append(" ".join(ln.text.strip() for ln in row if ln.text.strip()))
        previous_bottom = max(ln.y1 for ln in row)
    return "".join(out).strip()


def page_text(lines: list[Line], rtl: bool = False) -> str:
    """The page's text in reading order: regions by XY-cut, paragraphs separated by a blank line."""
    regions = [region_text(region, rtl) for region in xy_cut([ln for ln in lines if ln.text.strip()], rtl=rtl)]
    return "\n\n".join(r for r in regions if r)
