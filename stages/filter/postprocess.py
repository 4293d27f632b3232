"""Post-processing of extracted text, page by page, so that ``page_ends`` stays right after every edit.

Every function here maps a list of page texts to a new list of the same length; the caller re-joins the pages
with ``textkit.pages.join_pages``, which recomputes the offsets. The edits, in order:

1. Unicode: ftfy (mojibake, ligatures, full-width forms, NFC), invisible characters, line breaks, dot leaders,
   blank runs.
2. Failed pages: a run of consecutive failed pages becomes one ``FAILED_PAGE_MARKER`` (or nothing).
3. Page numbers: a first/last line that is a page number ("12", "- 12 -", "Page 12 of 40") whose value follows
   the page index on at least two pages, or that says "page" explicitly.
4. Running headers/footers: lines in the top or bottom few lines of a page that repeat (digits ignored) on many
   pages.

Edits 3 and 4 take furniture from beside a page's body: a page they would leave with less than
``textkit.layout.MIN_BODY_SHARE`` of its letters (a document whose every page is the same line, a form repeated
page after page) has no body beside it, and keeps its text as it was.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from textkit.layout import MIN_BODY_SHARE, NUMBERED_CAPTION, texts_emptied
from textkit.markers import FAILED_PAGE_MARKER


@dataclass(frozen=True)
class PostprocessConfig:
    keep_failed_page_markers: bool  # declared in the filter stage's stage.toml
    edge_lines: int  # how many non-empty lines at a page's top and bottom can be boilerplate
    boilerplate_min_pages: int  # a header must repeat on at least this many pages ...
    boilerplate_min_page_fraction: float  # ... and on at least this fraction of the pages with text
    normalize_unicode: bool


# --- 1. unicode ---------------------------------------------------------------------------------------
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_SPACES = {ord("\u00a0"): " ", ord("\u202f"): " ", ord("\x0b"): "\n", ord("\x0c"): "\n"}
_LEADER = re.compile(r"(?:[ \t]*[.·…_][ \t]*){5,}")  # table-of-contents dot leaders, form blanks
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_BLANK_RUN = re.compile(r"\n{3,}")


def normalize_page(text: str, use_ftfy: bool = True) -> str:
    """ftfy's fixes (no HTML unescaping, quotes kept curly), then invisible characters, dot leaders and form
    blanks (". . . . ." / "_____" become one space), whitespace runs."""
    if use_ftfy and text:
        import ftfy

        text = ftfy.fix_text(text, _ftfy_config())
    text = _LEADER.sub(" ", text.translate(_INVISIBLE).translate(_SPACES))
    text = _TRAILING_SPACE.sub("\n", text)
    return _BLANK_RUN.sub("\n\n", text)


_FTFY_CONFIG = None


def _ftfy_config():
    global _FTFY_CONFIG
    if _FTFY_CONFIG is None:
        import ftfy

        _FTFY_CONFIG = ftfy.TextFixerConfig(unescape_html=False, uncurl_quotes=False, explain=False)
    return _FTFY_CONFIG


# --- 2. failed pages ----------------------------------------------------------------------------------
def is_failed(page: str, index: int, failed_pages: set[int]) -> bool:
    return index in failed_pages or page.strip() == FAILED_PAGE_MARKER


def coalesce_failed_pages(pages: list[str], failed_pages: set[int], keep_marker: bool = True) -> list[str]:
    """One marker for each run of consecutive failed pages (on its first page); the run's other pages empty."""
    out = []
    for i, page in enumerate(pages):
        if not is_failed(page, i, failed_pages):
            out.append(page)
        elif keep_marker and (i == 0 or not is_failed(pages[i - 1], i - 1, failed_pages)):
            out.append(FAILED_PAGE_MARKER)
        else:
            out.append("")
    return out


# --- 3. page numbers ----------------------------------------------------------------------------------
_PAGE_WORD = r"(?:page|pg\.?|p\.|seite|s\.|página|pág\.?|pagina|strona|стр\.?|страница|сторінка)"
_PAGE_NUMBER = re.compile(
    rf"^\s*(?P<word>{_PAGE_WORD})?\s*[-–—(\[|]?\s*(?P<n>\d{{1,4}})\s*[-–—)\]|]?"
    r"\s*(?P<total>(?:/|of|de|von|из|з|sur|di)\s*\d{1,4})?\s*$",
    re.IGNORECASE,
)


def _edge_line_indices(lines: list[str], k: int) -> tuple[list[int], list[int]]:
    """Indices of the first and last ``k`` non-empty lines."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return filled[:k], filled[-k:] if k else []


def remove_page_numbers(pages: list[str]) -> list[str]:
    """Drop a page's first or last line when it is its page number.

    A bare number only counts when (number - page index) is the same on at least two pages, so a lone
    "3" closing a list is left alone; "Page 3" / "3 of 12" count on any page.
    """
    candidates = []  # (page, line index, offset or None when explicit)
    split = [page.split("\n") for page in pages]
    for p, lines in enumerate(split):
        top, bottom = _edge_line_indices(lines, 1)
        for li in dict.fromkeys(top + bottom):
            match = _PAGE_NUMBER.match(lines[li])
            if match:
                explicit = bool(match["word"] or match["total"])
                candidates.append((p, li, None if explicit else int(match["n"]) - p))
    offsets = Counter(off for _, _, off in candidates if off is not None)
    drop: dict[int, set[int]] = {}
    for p, li, off in candidates:
        if off is None or offsets[off] >= 2:
            drop.setdefault(p, set()).add(li)
    if not drop:
        return pages
    return [
        "\n".join(line for li, line in enumerate(lines) if li not in drop.get(p, ())) if p in drop else pages[p]
        for p, lines in enumerate(split)
    ]


# --- 4. running headers and footers -------------------------------------------------------------------
_DECORATION = re.compile(r"^[\s#>*_|=-]+|[\s*_|=-]+$")
_DIGITS = re.compile(r"\d+")
_SPACE_RUN = re.compile(r"\s+")


_MAX_BOILERPLATE_WORDS = 25  # a running head or foot is a line; a paragraph this long is text, repeated or not


_WITNESS_LINES = 3  # a page that counts a running head: a head, a body line, a foot
_PAGE_STEPS = (0, 1, 2)  # a figure of a running head: fixed, the page number, two printed pages a scanned spread
_CONSISTENT_SHARE = 0.9  # a running head's figures agree on this share of its pages (an OCR slip may spoil one)


def boilerplate_key(line: str) -> str:
    """What two header lines have in common: lowercase, digits as '#', no markdown decoration; nothing ("") for
    a paragraph of more than ``_MAX_BOILERPLATE_WORDS`` words (a document whose pages open with the same text),
    for a Markdown table's row (a table at the top of every page: its rows differ only in their figures) and for
    a numbered caption (a table continued over pages repeats "Table 14." at its top)."""
    stripped = line.strip()
    if len(stripped.split()) > _MAX_BOILERPLATE_WORDS or (stripped.startswith("|") and stripped.endswith("|")):
        return ""
    if NUMBERED_CAPTION.match(stripped):
        return ""
    key = _DECORATION.sub("", line.lower())
    return _SPACE_RUN.sub(" ", _DIGITS.sub("#", key)).strip()


def _numbers(line: str) -> tuple[int, ...]:
    return tuple(int(run[:9]) for run in _DIGITS.findall(line))


def consistent_pages(occurrences: list[tuple[int, str]]) -> set[int]:
    """The pages (of ``occurrences``: page index, line, all of one key) whose figures behave as a running head's:
    each figure is the same on every page ("Report 2023") or follows the page index ("page 7", or two printed
    pages to a scanned spread's page). Figures that go their own way are numbered body lines ("2 Bar", "5 Bar", "8 Bar": sections;
    "Gamma [ 1.8 ]", "Gamma [ 5.0 ]": a test's parameters): no page of the key is returned unless
    ``_CONSISTENT_SHARE`` of them agree."""
    numbers = {page: _numbers(line) for page, line in occurrences}
    agreeing = set(numbers)
    for position in range(min((len(n) for n in numbers.values()), default=0)):
        best: set[int] = set()
        for step in _PAGE_STEPS:  # the figure minus step x page index is the same
            by_rest: dict[int, set[int]] = {}
            for page, n in numbers.items():
                by_rest.setdefault(n[position] - step * page, set()).add(page)
            best = max(best, *by_rest.values(), key=len)
        agreeing &= best
    return agreeing if len(agreeing) >= _CONSISTENT_SHARE * len(numbers) else set()


def _from_the_edge(lines: list[str], indices: list[int], counted: set[int]) -> set[int]:
    """The counted lines of ``indices`` (a zone, edge first) up to the first that is not: a running head sits
    at the page's edge, so a repeated line under the page's own title ("[In thousands]" under each table's
    caption) or over its own footnotes is body text. A counted page number goes wherever it is in the zone
    (under a left-hand head that repeats on too few pages to count, as in ICDAR eu-021)."""
    out, at_edge = set(), True
    for index in indices:
        at_edge = at_edge and index in counted
        if at_edge or (index in counted and _PAGE_NUMBER.match(lines[index])):
            out.add(index)
    return out


_CARRIED_ON = 2  # lines repeated from a page's edge this many zones deep are what each page carries on: no head


def _edge_run(indices: list[int], counted: set[int]) -> int:
    """How many lines of ``indices`` (a zone, edge first) repeat from the edge on. A running head is a line or
    a few: lines that repeat on and on, ``_CARRIED_ON`` zones deep, are the top of what each page carries on, a
    long table's header cells read as plain text one to a line (tabula's Publication_of_award: "Serial", "No.",
    "Contract Description", ... at the top of its every page), and are body."""
    run = 0
    while run < len(indices) and indices[run] in counted:
        run += 1
    return run


def _zone_occurrences(split: list[list[str]], zones: dict[int, list[int]]) -> dict[str, list[tuple[int, int]]]:
    """Each key's (page, line index) in the zones; a key that a zone holds more than once is an item of a list
    or a grid there ("A, B, C = 0.00, 0.00, 0.55" under each of pdf.js calrgb's swatches), no head."""
    occurrences: dict[str, list[tuple[int, int]]] = {}
    for p, zone in zones.items():
        keys = Counter(boilerplate_key(split[p][li]) for li in zone)
        for li in zone:
            key = boilerplate_key(split[p][li])
            if key and keys[key] == 1:
                occurrences.setdefault(key, []).append((p, li))
    return occurrences


def _counted_lines(split: list[list[str]], zones: dict[int, list[int]], threshold: int, witnesses: set[int]
                   ) -> dict[int, set[int]]:
    """Per page, the zone's lines whose key repeats on ``threshold`` witness pages with figures that agree."""
    counted: dict[int, set[int]] = {p: set() for p in zones}
    for places in _zone_occurrences(split, zones).values():
        if len(places) < threshold:
            continue
        agreeing = consistent_pages([(p, split[p][li]) for p, li in places])
        if len(agreeing & witnesses) >= threshold:
            for p, li in places:
                if p in agreeing:
                    counted[p].add(li)
    return counted


def remove_repeated_edge_lines(
    pages: list[str], edge_lines: int = 3, min_pages: int = 3, min_fraction: float = 0.5
) -> list[str]:
    """Drop lines at a page's top or bottom that repeat at the same edge on many pages.

    Counted separately for the top and the bottom zone, once per page; digits are ignored, so "Annual report
    2023 - page 7" matches itself on every page, but its figures must agree from page to page
    (``consistent_pages``). Body text is untouched: only the ``edge_lines`` first and last non-empty lines of a
    page can go, only when their key repeats on max(min_pages, min_fraction * pages with text) pages (once in
    the zone), only from the edge inwards (``_from_the_edge``), and not from a run of repeated lines that goes on
    ``_CARRIED_ON`` zones deep (``_edge_run``: a long table's header at every page's top). A page of fewer than ``_WITNESS_LINES``
    lines has no body between a head and a foot (PDFBox's with_outline.pdf: "Content" under a heading on some
    of its pages): it loses a running head that longer pages repeat, but does not count as one of them.
    """
    split = [page.split("\n") for page in pages]
    with_text = [p for p, page in enumerate(pages) if page.strip() and page.strip() != FAILED_PAGE_MARKER]
    threshold = max(min_pages, math.ceil(min_fraction * len(with_text)))
    if len(with_text) < threshold or edge_lines <= 0:
        return pages
    witnesses = {p for p in with_text if sum(1 for line in split[p] if line.strip()) >= _WITNESS_LINES}
    drop: dict[int, set[int]] = {p: set() for p in with_text}
    for edge in (0, 1):  # the top zone, then the bottom zone, each edge first
        zones = {p: _edge_line_indices(split[p], edge_lines)[edge][::-1 if edge else 1] for p in with_text}
        counted = _counted_lines(split, zones, threshold, witnesses)
        deeper = {p: _edge_line_indices(split[p], _CARRIED_ON * edge_lines)[edge][::-1 if edge else 1]
                  for p in with_text}
        counted_deeper = _counted_lines(split, deeper, threshold, witnesses)
        for p, zone in zones.items():
            if _edge_run(deeper[p], counted_deeper[p]) < _CARRIED_ON * edge_lines:
                drop[p] |= _from_the_edge(split[p], zone, counted[p])
    out = list(pages)
    for p, lines in drop.items():
        if lines:
            out[p] = "\n".join(line for li, line in enumerate(split[p]) if li not in lines)
    return out


def unless_emptied(before: list[str], after: list[str], min_share: float = MIN_BODY_SHARE) -> tuple[list[str], int]:
    """``after``, except that a page the furniture edits left with less than ``min_share`` of its letters is
    ``before``'s (a page of a lone page number still loses it); and how many pages were kept so."""
    out, kept = [], 0
    for old, new in zip(before, after, strict=True):
        emptied = texts_emptied(new.split("\n"), old.split("\n"), min_share)
        out.append(old if emptied else new)
        kept += emptied
    return out, kept


def postprocess_pages(pages: list[str], failed_pages: set[int], config: PostprocessConfig) -> list[str]:
    """All edits in order; returns as many pages as it was given."""
    return postprocess_pages_counted(pages, failed_pages, config)[0]


def postprocess_pages_counted(pages: list[str], failed_pages: set[int], config: PostprocessConfig
                              ) -> tuple[list[str], int, int]:
    """``postprocess_pages``, the characters its furniture edits (page numbers, running headers and footers)
    removed, and the pages those edits would have emptied (kept as they were)."""
    pages = [normalize_page(page, config.normalize_unicode) for page in pages]
    pages = coalesce_failed_pages(pages, failed_pages, config.keep_failed_page_markers)
    before = pages
    pages, kept_numbered = unless_emptied(pages, remove_page_numbers(pages))
    pages, kept = unless_emptied(pages, remove_repeated_edge_lines(
        pages, config.edge_lines, config.boilerplate_min_pages, config.boilerplate_min_page_fraction
    ))
    return pages, sum(len(p) for p in before) - sum(len(p) for p in pages), kept_numbered + kept


def content_text(text: str) -> str:
    """The text without failed-page markers: what language ID and the quality filters should judge."""
    return text.replace(FAILED_PAGE_MARKER, "") if FAILED_PAGE_MARKER in text else text
