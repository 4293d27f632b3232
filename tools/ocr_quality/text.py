"""True text of a page from its PDF text layer, the Unicode script of a text, and the similarity measure.

Similarity (the score of the set) = max(0, 1 - CER), CER = Levenshtein distance (rapidfuzz) between the
normalised OCR text and the normalised true text, divided by the true text's length. Normalisation: Unicode
NFKC (ligatures, full-width forms), soft hyphens and bidi marks dropped, a zero-width non-joiner (Persian's
half space, which a text layer cannot tell from a space) read as a space, a hyphen at the end of a line joined to the next
word (the true text keeps the page's line breaks, OCR output may have rejoined the word), every run of
whitespace collapsed to one space; on pages of scripts written without spaces (Han, Japanese) all whitespace
is removed, since line breaks there are layout, not characters. Reading order counts: columns read
interleaved cost their whole text.

True text = the page's text layer in the PDF's own order, without its furniture: the running head, running
foot and page number that textkit/layout.py's split_furniture finds on the text layer's exact line boxes (the
text path leaves them out, and so does OCR).
"""

from __future__ import annotations

import re
import unicodedata

from textkit.bidi import BIDI_MARKS
from textkit.languages import char_script as script_code
from textkit.languages import script_name

_SPACES = re.compile(r"\s+")
_LINE_END_HYPHEN = re.compile(r"(?<=[^\W\d_])[-\u2010]\s*\n\s*(?=[^\W\d_])")
NO_SPACE_SCRIPTS = ("Han", "Japanese", "Thai")

KANA = ("Hira", "Kana")  # written as "Japanese", the name Tesseract's OSD gives a page of kana and kanji


def char_script(char: str) -> str | None:
    """The script of a letter by the names Tesseract's OSD and script packs use (textkit's rule, with kana as
    Japanese), or None for anything that is not a letter of a known script."""
    code = script_code(char) if char.isalpha() else None
    if code is None:
        return None
    return "Japanese" if code in KANA else script_name(code)


def script_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for char in text:
        script = char_script(char)
        if script:
            counts[script] = counts.get(script, 0) + 1
    return counts


def dominant_script(text: str) -> str | None:
    """The script most letters are in; Japanese when kana make up at least a fifth of the Han + kana letters
    (Japanese text is mostly kanji, i.e. Han letters, written between kana)."""
    counts = script_counts(text)
    if not counts:
        return None
    cjk = counts.get("Han", 0) + counts.get("Japanese", 0)
    if cjk and counts.get("Japanese", 0) >= 0.2 * cjk and cjk >= max(counts.values()):
        return "Japanese"
    if cjk and cjk >= max(counts.values()):
        return "Han"
    return max(counts, key=counts.get)


def normalize(text: str, script: str | None = None) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = BIDI_MARKS.sub("", text).replace("\u200c", " ")
    text = _LINE_END_HYPHEN.sub("", text)
    if script in NO_SPACE_SCRIPTS:
        return _SPACES.sub("", text)
    return _SPACES.sub(" ", text).strip()


def similarity(truth: str, ocr: str, script: str | None = None) -> float:
    """max(0, 1 - CER) of ``ocr`` against ``truth``, both normalised (see the module's docstring)."""
    from rapidfuzz.distance import Levenshtein

    reference, hypothesis = normalize(truth, script), normalize(ocr, script)
    if not reference:
        return 1.0 if not hypothesis else 0.0
    return max(0.0, 1.0 - Levenshtein.distance(reference, hypothesis) / len(reference))


def page_truth(page, furniture: bool = False) -> str:
    """A PyMuPDF page's text layer in the order the PDF writes it (for TeX output: column by column, the
    author's reading order), lines joined by newlines, furniture left out (``furniture``: kept). Invisible
    text (render mode 3) is not printed on the page and is left out; so is text outside the page, and U+FFFD
    (a glyph the PDF maps to no character). Right-to-left lines are read in their logical order (textkit/bidi.py):
the order a PDF draws them in reverses numbers and lam-alef ligatures."""
    from textkit import bidi, layout

    boxes = []
    for block in page.get_text("rawdict", flags=0)["blocks"]:
        for line in block.get("lines", []):
            spans = [span for span in line["spans"] if not _invisible(span)]
            text = bidi.logical_text([(char["bbox"][0], char["bbox"][2], char["c"]) for span in spans
                                      for char in span["chars"] if _inside(char["bbox"], page.rect)])
            if not text.strip():
                continue
            dx, dy = line.get("dir", (1, 0))
            rotation = 0 if abs(dy) < 1e-3 and dx > 0 else 90
            boxes.append(layout.Box(*line["bbox"], text, size=max(s["size"] for s in spans), rotation=rotation,
                                    bold=all(s["flags"] & 16 for s in spans), italic=all(s["flags"] & 2 for s in spans)))
    if not furniture and boxes:
        body, _ = layout.split_furniture(boxes, page.rect.width, page.rect.height)
        kept = {id(b) for b in body}
        boxes = [b for b in boxes if id(b) in kept]
    return "\n".join(b.text for b in boxes).replace("\ufffd", "")


def _invisible(span) -> bool:
    return bool(span.get("alpha") == 0)


def _inside(bbox, rect) -> bool:
    x0, y0, x1, y1 = bbox
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return rect.x0 <= cx <= rect.x1 and rect.y0 <= cy <= rect.y1
