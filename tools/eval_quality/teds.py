"""Table structure by tree-edit distance (TEDS, Zhong et al. 2020), with the `apted` library.

A table is a tree ``table -> tr -> td``; a cell's rename cost is the normalized Levenshtein distance of the two
cells' texts, any other change costs 1; TEDS = 1 - distance / max(nodes of either tree). Markdown cannot hold
spanning cells, so a truth table with spans is compared as its grid (the text in the span's first cell, the
cells it covers empty): every Markdown writer is held to the same grid.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

Table = list[list[str]]  # rows of cell texts

_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_DELIMITER = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")  # under the header: one dash is enough
_HTML_TABLE = re.compile(r"<table\b.*?</table>", re.S | re.I)
_HTML_ROW = re.compile(r"<tr\b.*?</tr>", re.S | re.I)
_HTML_CELL = re.compile(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", re.S | re.I)
_TAGS = re.compile(r"<[^>]+>")


def _cell_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("**", "").replace("__", "")
    return " ".join(text.split())


# a cell's own pipe is written escaped (`\|`, as GFM asks): it parts no cells
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_ENDS_UNESCAPED = re.compile(r"(?<!\\)\|$")


def markdown_tables(text: str) -> list[Table]:
    """Every Markdown pipe table (and HTML <table>) in a text, as rows of cell texts (separator rows left out;
    the delimiter row under the header may be one dash a cell, `| - | - |`, as Docling writes it; a cell's escaped
    pipe, `[0\\|1]`, is its text)."""
    tables: list[Table] = []
    for block in _HTML_TABLE.findall(text):
        rows = [[_cell_text(html.unescape(_TAGS.sub(" ", c))) for c in _HTML_CELL.findall(r)]
                for r in _HTML_ROW.findall(block)]
        if any(rows):
            tables.append([r for r in rows if r])
    current: Table = []
    for line in _HTML_TABLE.sub("", text).splitlines() + [""]:
        stripped = line.strip()
        if stripped.startswith("|") and stripped.count("|") >= 2:
            if not (_SEPARATOR.match(stripped) or len(current) == 1 and _DELIMITER.match(stripped)):
                inner = stripped[1:-1] if _ENDS_UNESCAPED.search(stripped) else stripped[1:]
                current.append([_cell_text(c.replace("\\|", "|")) for c in _UNESCAPED_PIPE.split(inner)])
            continue
        if current:
            tables.append(current)
            current = []
    return tables


def grid_from_rows(rows: list[list[str]]) -> Table:
    """Rows of cell texts (no spans) as a truth table, texts normalized as ``grid_from_cells`` does."""
    return grid_from_cells([(r, c, r, c, text) for r, row in enumerate(rows) for c, text in enumerate(row)])


def grid_from_cells(cells: list[tuple[int, int, int, int, str]]) -> Table:
    """Rows of a table given its cells as (start_row, start_col, end_row, end_col, text), spans as a grid."""
    if not cells:
        return []
    rows = max(c[2] for c in cells) + 1
    cols = max(c[3] for c in cells) + 1
    grid = [["" for _ in range(cols)] for _ in range(rows)]
    for r0, c0, _r1, _c1, text in cells:
        grid[r0][c0] = _cell_text(text)
    return grid


@dataclass
class _Node:
    tag: str
    text: str = ""
    children: list[_Node] = field(default_factory=list)


def _tree(table: Table) -> _Node:
    return _Node("table", children=[_Node("tr", children=[_Node("td", cell) for cell in row]) for row in table])


def _size(node: _Node) -> int:
    return 1 + sum(_size(c) for c in node.children)


def teds(truth: Table, predicted: Table) -> float:
    """1 = the same table (structure and cell texts); 0 = nothing in common."""
    from apted import APTED, Config
    from rapidfuzz.distance import Levenshtein

    class _Costs(Config):
        def rename(self, a: _Node, b: _Node) -> float:
            if a.tag != b.tag:
                return 1.0
            if a.tag == "td":
                return Levenshtein.normalized_distance(a.text, b.text)
            return 0.0

        def children(self, node: _Node) -> list[_Node]:
            return node.children

    if not truth and not predicted:
        return 1.0
    t1, t2 = _tree(truth), _tree(predicted)
    distance = APTED(t1, t2, _Costs()).compute_edit_distance()
    return max(0.0, 1.0 - distance / max(_size(t1), _size(t2)))


def _words(table: Table) -> set[str]:
    return {w for row in table for cell in row for w in cell.lower().split()}


def best_teds(truth: Table, candidates: list[Table], keep: int = 2) -> float:
    """The truth table's TEDS against the closest of the predicted tables (0 when there is none). Tree edit
    distance is cubic: only the ``keep`` candidates sharing most words with the truth are scored."""
    words = _words(truth)
    ranked = sorted(candidates, key=lambda c: -len(words & _words(c)))[:keep]
    return max((teds(truth, c) for c in ranked), default=0.0)
