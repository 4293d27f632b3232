"""Right-to-left text lines of a PDF in reading (logical) order, from their characters' positions.

MuPDF hands out an Arabic or Hebrew line in the order the PDF draws it, which is not the order it is read:
numbers come out reversed ("٩٢" for 29), the punctuation that ends a line comes first, and a lam-alef
ligature mapped to two characters comes out as alef + lam ("إال" for "إلا", "الكالم" for "الكلام"). The
positions are right, so the line is rebuilt from them: characters grouped into glyphs (combining marks with
their letter, the zero-width second character of a two-character glyph with its glyph), glyphs sorted left to
right, and that visual order turned into the logical one with the Unicode bidirectional algorithm's levels
(a simplified UBA: strong letters, numbers, neutrals between two runs of the same direction; no explicit
embeddings, which a PDF does not carry) and reordering (rule L2: its reversal undoes itself); mirrored
brackets inside right-to-left runs are swapped back. Lines without a right-to-left letter are left as drawn.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, ..., and their presentation forms
RTL_LETTERS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
# invisible direction marks (LRM, RLM, ALM, embeddings, isolates): OCR engines write them, a page prints nothing
BIDI_MARKS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
_MIRRORED = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹", strict=True))
_NUMBER_SEPARATORS = ("ES", "CS", "ET")  # + - . , : / % and the like: they join a number to its word
_ZERO_WIDTH = 0.01  # points: a character this narrow shares its glyph with the next one

Char = tuple[float, float, str]  # (x0, x1, character) in the order the PDF draws them


def has_rtl(text: str) -> bool:
    return RTL_LETTERS.search(text) is not None


def mostly_rtl(texts) -> bool:
    """More right-to-left letters than left-to-right ones in these texts (a page: read right to left)."""
    texts = list(texts)
    if not any(has_rtl(text) for text in texts):
        return False  # the common case, at the speed of one regular-expression search per text
    rtl = ltr = 0
    for text in texts:
        for char in text:
            kind = unicodedata.bidirectional(char) if char.isalpha() else ""
            rtl += kind in ("R", "AL")
            ltr += kind == "L"
    return rtl > ltr


def _direction(char: str) -> str:
    """R (right-to-left letter), L (left-to-right letter), N (number) or '' (neutral)."""
    kind = unicodedata.bidirectional(char)
    if kind in ("R", "AL"):
        return "R"
    if kind == "L":
        return "L"
    if kind in ("EN", "AN"):
        return "N"
    return ""


def _glyphs(chars: Sequence[Char]) -> list[tuple[float, float, str]]:
    """(x0, x1, characters) per glyph, in drawing order. Combining marks join the letter before them. A
    zero-width character is the second character of a two-character glyph (a lam-alef ligature): MuPDF puts
    it at that glyph's right edge, just before or just after it in drawing order, and it is read after the
    glyph's own character."""
    items: list[list] = []  # [x0, x1, text]
    zero_width: list[tuple[int, float, str]] = []  # (index of the next glyph, x, character)
    for x0, x1, char in chars:
        if items and (unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me")):
            items[-1][2] += char
        elif x1 - x0 < _ZERO_WIDTH and not char.isspace():
            zero_width.append((len(items), x0, char))
        else:
            items.append([x0, x1, char])
    if not items:
        return [(chars[0][0], chars[0][1], "".join(c for _, _, c in chars))] if chars else []
    for following, x, char in zero_width:
        # the glyph whose right edge it sits on; the nearest in drawing order when several (or none) do
        touching = [k for k, item in enumerate(items) if abs(item[1] - x) < _ZERO_WIDTH * 5 and not item[2].isspace()]
        neighbours = touching or [k for k in (following - 1, following) if 0 <= k < len(items)]
        owner = min(neighbours, key=lambda k: (abs(items[k][1] - x), abs(k - following + 0.5)))
        items[owner][2] += char
    return [(x0, x1, text) for x0, x1, text in items]


def _with_spaces(glyphs: list[tuple[float, float, str]]) -> list[tuple[float, float, str]]:
    """Glyphs in visual order with a space where the PDF leaves a word gap but draws no space character
    (XeTeX moves the pen between a right-to-left word and an embedded left-to-right one)."""
    widths = sorted(x1 - x0 for x0, x1, text in glyphs if not text.isspace())
    if not widths:
        return glyphs
    gap = 0.2 * widths[len(widths) // 2]  # within a word glyphs touch; tight justified lines leave 0.3 of one
    spaced = glyphs[:1]
    for glyph in glyphs[1:]:
        before = spaced[-1]
        if glyph[0] - before[1] > gap and not before[2].isspace() and not glyph[2].isspace():
            spaced.append((before[1], glyph[0], " "))
        spaced.append(glyph)
    return spaced


def _nearest(values: list[str], keep) -> tuple[list[str], list[str]]:
    """For each position, the nearest value to its left and to its right (not itself) for which ``keep`` holds
    ("" where there is none), in two linear passes: a hostile line of many thousand glyphs stays cheap."""
    left, right = [""] * len(values), [""] * len(values)
    seen = ""
    for i, value in enumerate(values):
        left[i] = seen
        if keep(i, value):
            seen = value
    seen = ""
    for i in range(len(values) - 1, -1, -1):
        right[i] = seen
        if keep(i, values[i]):
            seen = values[i]
    return left, right


def _levels(directions: list[str], base: int, separators: list[bool]) -> list[int]:
    """Embedding levels of glyphs in visual order (left to right): R odd, L even, numbers one above the
    right-to-left level around them, neutrals the level of their neighbours when both sides agree, else the
    base level."""
    rtl_level, ltr_level = (base | 1, base) if base % 2 == 0 else (base, base + 1)
    outside = "L" if base % 2 == 0 else "R"  # what the line's ends count as
    # a number is part of a left-to-right word when a letter joins it through digits and separators ("U+0669",
    # "v2.0", UBA W7); it counts as right-to-left for its neighbours (UBA N1) unless it stands among
    # left-to-right letters
    joined_left, joined_right = _nearest(directions, lambda i, d: not (d == "N" or separators[i]))
    letter_left, letter_right = _nearest(directions, lambda i, d: d in ("R", "L"))
    strong = []
    for i, d in enumerate(directions):
        if d != "N":
            strong.append(d)
        elif "L" in (joined_left[i], joined_right[i]) or (letter_left[i] or outside) == (letter_right[i] or outside) == "L":
            strong.append("L")
        else:
            strong.append("R")
    neighbour_left, neighbour_right = _nearest(strong, lambda i, d: bool(d))
    levels = []
    for i, d in enumerate(directions):
        if d == "R":
            levels.append(rtl_level)
        elif d == "L":
            levels.append(ltr_level)
        elif d == "N":
            levels.append(base if strong[i] == "L" and base % 2 == 0 else rtl_level + 1)
        elif neighbour_left[i] and neighbour_left[i] == neighbour_right[i]:
            levels.append(rtl_level if neighbour_left[i] == "R" else ltr_level)
        else:
            levels.append(base)
    return levels


def _reorder(items: list, levels: list[int]) -> tuple[list, list[int]]:
    """UBA rule L2: from the highest level down to the lowest odd one, reverse every run at that level or
    above. The reversal is its own inverse: applied to visual order it gives the logical order."""
    lowest_odd = min((lv for lv in levels if lv % 2), default=None)
    if lowest_odd is None:
        return list(items), list(levels)
    order = list(range(len(items)))
    for level in range(max(levels), lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return [items[k] for k in order], [levels[k] for k in order]


def logical_text(chars: Sequence[Char]) -> str:
    """A line's text in reading order from its characters (x0, x1, character) in drawing order."""
    drawn = "".join(c for _, _, c in chars)
    if not has_rtl(drawn):
        return drawn
    glyphs = _with_spaces(sorted(_glyphs(chars), key=lambda g: g[0] + g[1]))
    directions = [next((d for d in map(_direction, text) if d), "") for _, _, text in glyphs]
    rtl = sum(len(t) for (_, _, t), d in zip(glyphs, directions, strict=True) if d == "R")
    ltr = sum(len(t) for (_, _, t), d in zip(glyphs, directions, strict=True) if d == "L")
    separators = [bool(t) and unicodedata.bidirectional(t[0]) in _NUMBER_SEPARATORS for _, _, t in glyphs]
    levels = _levels(directions, 1 if rtl >= ltr else 0, separators)
    texts, levels = _reorder([t for _, _, t in glyphs], levels)
    return "".join("".join(_MIRRORED.get(c, c) for c in t) if level % 2 else t
                   for t, level in zip(texts, levels, strict=True))
