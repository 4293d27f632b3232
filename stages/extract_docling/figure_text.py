"""Text drawn inside a chart or diagram: tick labels, axis labels, legends and a diagram's box labels, set as
text over vector drawings. Docling writes a figure as a picture without its inner text, and so does arXiv's
HTML; read as text, the labels come out as runs of numbers, as false tables, or mixed into paragraphs.

A figure's drawn area is a cluster of drawings (paths that touch) holding curves or slanted strokes (plot
lines, markers, arrows): a table's rules and shadings are all level or upright, so no grid is a figure (nor a
bar chart drawn of rectangles alone: its labels stay). A line inside that area, or a label's margin around it,
is a label when it is a number (a tick's) or a few words set smaller than the page's body type, and no
caption ("Figure 3: ..." stays). An area's labels are left out, and counted, when there are three or more and
lines of prose inside the area do not outweigh them (a page frame drawn with curves holds a page of prose)."""

from __future__ import annotations

import re
from collections.abc import Callable

from textkit.layout import NUMBERED_CAPTION, Box, body_text_size

CELL = 24.0  # the grid (points) drawings are bucketed in to find those that touch
TOUCH = 2.0  # drawings this close are one cluster
# the latest drawings of a grid cell a new one is compared with: in a cell dense with a plot's markers the
# earlier ones are one cluster already (comparing with all of them made the step cost a tenth of the page's time)
CELL_MEMBERS = 12
MIN_SLANTED = 12  # a figure's curves and slanted strokes: a table's rounded frame has four curves at most
MIN_FIGURE_SIDE = 72.0  # a cluster smaller than this each way is a symbol, an icon or a logo, not a figure
MIN_LABELS = 3  # a chart labels its axes with two ticks each at least; a logo has a heading line beside it
LABEL_MARGIN = 3.0  # label sizes around the cluster: tick labels left of the y axis, an axis title under it
MAX_LABEL_WORDS = 4  # a legend entry or an axis title; a sentence is longer
SMALLER = 0.92  # a label's type is under this share of the body type's
_WORD = re.compile(r"\S+")
_TICK = re.compile(r"^[-+−–]?[$€£]?\d[\d.,]*%?$")  # a tick's number ("450", "0.25", "−5", "4,000", "20%")


def _slanted(items: list) -> int:
    """Curves and strokes that are neither level nor upright (a plot's line, a marker's round, an arrowhead)."""
    count = 0
    for item in items:
        if item[0] == "c":
            count += 1
        elif item[0] == "l":
            (ax, ay), (bx, by) = item[1], item[2]
            count += abs(ax - bx) > 0.5 and abs(ay - by) > 0.5
    return count


def _clusters(drawings: list[dict], page_area: float) -> list[tuple[list[float], int]]:
    """The drawings that touch, as (bounds [x0, y0, x1, y1], curves and slanted strokes); a drawing over much
    of the page (a background, a page frame) joins nothing."""
    rects = [d["rect"] for d in drawings]
    parent = list(range(len(drawings)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    cells: dict[tuple[int, int], list[int]] = {}
    for i, (x0, y0, x1, y1) in enumerate(rects):
        if (x1 - x0) * (y1 - y0) > 0.3 * page_area:
            continue
        for cx in range(int((x0 - TOUCH) // CELL), int((x1 + TOUCH) // CELL) + 1):
            for cy in range(int((y0 - TOUCH) // CELL), int((y1 + TOUCH) // CELL) + 1):
                members = cells.setdefault((cx, cy), [])
                mine = root(i)
                for other in members[-CELL_MEMBERS:]:
                    if parent[other] != mine and _touch(rects[other], rects[i]) and (theirs := root(other)) != mine:
                        parent[mine] = theirs
                        mine = theirs
                members.append(i)
    groups: dict[int, tuple[list[float], int]] = {}
    for i, (x0, y0, x1, y1) in enumerate(rects):
        if (x1 - x0) * (y1 - y0) > 0.3 * page_area:
            continue
        bounds, slanted = groups.get(root(i), ([x0, y0, x1, y1], 0))
        bounds = [min(bounds[0], x0), min(bounds[1], y0), max(bounds[2], x1), max(bounds[3], y1)]
        groups[root(i)] = (bounds, slanted + _slanted(drawings[i].get("items", ())))
    return list(groups.values())


def _touch(a, b) -> bool:
    return a[0] - TOUCH <= b[2] and b[0] - TOUCH <= a[2] and a[1] - TOUCH <= b[3] and b[1] - TOUCH <= a[3]


def figure_areas(drawings: list[dict], page_area: float) -> list[list[float]]:
    """The bounds of the clusters of drawings that are figures: large enough, with curves or slanted strokes."""
    return [bounds for bounds, slanted in _clusters(drawings, page_area)
            if slanted >= MIN_SLANTED and bounds[2] - bounds[0] >= MIN_FIGURE_SIDE
            and bounds[3] - bounds[1] >= MIN_FIGURE_SIDE]


def is_label(line: Box, body: float) -> bool:
    """A figure's label: a number (a tick's, in any type), or a word or a few set smaller than the body
    type; no caption."""
    if _TICK.match(line.text):
        return True
    return (0 < line.size < SMALLER * body and len(_WORD.findall(line.text)) <= MAX_LABEL_WORDS
            and not NUMBERED_CAPTION.match(line.text))


def _inside(line: Box, area: list[float], margin: float = LABEL_MARGIN) -> bool:
    """The line's middle is in the area or in ``margin`` label sizes around it (a label's size by its drawn
    height: a chart scaled down has its labels' font sizes scaled, not their boxes)."""
    margin *= (line.height if line.horizontal else line.width) / 1.2
    cx, cy = (line.x0 + line.x1) / 2, (line.y0 + line.y1) / 2
    return area[0] - margin <= cx <= area[2] + margin and area[1] - margin <= cy <= area[3] + margin


def drop_figure_text(lines: list[Box], drawings: Callable[[], list[dict]], page_area: float) -> tuple[list[Box], int]:
    """The page's lines without the labels drawn inside its figures, and how many characters those held. The
    page's drawings (``drawings()``, PyMuPDF's ``get_cdrawings``) are read only where it has lines enough that
    may be labels."""
    body = body_text_size(lines)
    if sum(not line.kind and is_label(line, body) for line in lines) < MIN_LABELS:
        return lines, 0
    return without_labels(lines, drawings(), page_area, body)


def without_labels(lines: list[Box], drawings: list[dict], page_area: float, body: float) -> tuple[list[Box], int]:
    """The lines without the labels of the figures among ``drawings``, and the characters those held."""
    areas = figure_areas(drawings, page_area)
    labels: set[int] = set()
    for area in areas:
        labels |= _area_labels(lines, area, body)
    kept = [line for i, line in enumerate(lines) if i not in labels]
    return kept, sum(len(lines[i].text) for i in labels)


def _area_labels(lines: list[Box], area: list[float], body: float) -> set[int]:
    """The indexes of the lines that are the area's labels; none where they are too few to be a chart's, or
    where lines of prose inside the area outweigh them (text set in a frame drawn with curves is no figure)."""
    near = [i for i, line in enumerate(lines) if not line.kind and _inside(line, area)]
    labels = {i for i in near if is_label(lines[i], body)}
    prose = sum(len(lines[i].text) for i in near
                if len(_WORD.findall(lines[i].text)) > MAX_LABEL_WORDS and _inside(lines[i], area, margin=0))
    if len(labels) < MIN_LABELS or prose > sum(len(lines[i].text) for i in labels):
        return set()
    return labels
