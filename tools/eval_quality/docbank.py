"""The ``docbank`` suite: olmOCR-bench page checks built mechanically from DocBank's token labels.

DocBank (github.com/doc-analysis/DocBank, Li et al. 2020) recompiled arXiv papers from their LaTeX source with
each structure coloured, and labelled every token of one page per paper by its colour: the label comes from the
authors' source, not from us. Its samples folder holds, per paper, ``{prefix}_black.pdf`` (the whole paper, text
black) and ``{prefix}_{page}.txt`` (the labelled page, 0-based): a TSV of token, x0 y0 x1 y1 (0-1000 of the page
size), R G B, font, label. Token text and boxes are pdfplumber's reading of the text layer; their order in the
file is pdfplumber's, not a reading order.

The page judged is cut out as a one-page PDF (as the ``own`` suite: a system sees only that page), and its
checks are made from the TSV each time the suite is loaded, by these fixed rules (no system's output is looked
at; the checks carry the papers' text, so they stay in the cache, ``checks.jsonl`` beside the pages):

- words: DocBank's drawing placeholders (``##LTLine##``, ``##LTFigure##``) and the words inside a figure's box (a
  graph's own labels, which the colouring leaves ``paragraph``) are none;
- lines: a two-column page's gutter is where the fewest runs of body text cross GUTTER_BAND (``find_gutter``);
  words are grouped into rows by vertical overlap in each column, a row crossing the gutter into a band of its
  own, each row cut into runs of one label (and at gaps wider than ``RUN_GAP``);
- a line is usable when it is not in the page's first or last row holding a page number (a running head or foot
  the colouring did not reach), no word is set in a math font (``MATH_FONTS``: inline math is written in too
  many ways), no character is a spacing accent, a combining mark, a private-use glyph or pdfminer's
  ``(cid:N)``, no word is set above or below the line or carries a glued mark (``2This``, ``matter16,``), and
  it is words (``wordy``); a last word broken at the line end (``exam-``) is left out of the text; ligature
  glyphs are spelled out (``ﬁ`` -> ``fi``), as the own suite writes its checks;
- present: every usable ``section`` line of 4 characters or more (not a heading's tail after a broken word),
  the ``title`` lines of a paper's first page only (MNRAS colours its running title as the title); every ``SAMPLE_EVERY[label]``-th
  usable line, in reading order, of ``MIN_CHARS`` or more, of ``paragraph``, ``abstract``, ``caption``,
  ``list`` and ``footer`` lines in a block of two lines or more (a line alone, e.g. a running head the colouring
  did not reach and left ``paragraph``, is never a check);
- DocBank's ``footer`` is the text of ``\\footnote`` (every footer token of the samples is a footnote at the foot
  of its column): footnotes are kept by the project's rules (the own suite checks them present), so they are
  **present** checks here, and the suite has no absent checks (running heads and page numbers are not coloured:
  they fall back to ``paragraph`` and cannot be told from the body by the labels);
- pairs (added after the four systems' outputs on the development part were seen, before any change to the
  text path): every ``PAIR_EVERY``-th pair of consecutive usable lines of a ``paragraph`` block, in reading
  order, of ``MIN_CHARS`` or more each, the first not ending in a broken word, the second below the first,
  joined by a space (kind ``paragraph-pair``): a page read across its columns keeps each line whole;
- order: consecutive section headings (first line of each) and, per band of a two-column page, the first usable
  line of the left column's first and last paragraph blocks before that of the right column's first block,
  where the reading order is unambiguous by the boxes: two items in one column (the upper first), or in the two
  columns of one band (left first), a row crossing the gutter (a full-width float, a wide equation) after all
  above it and before all below it; no pair is made across bands and columns.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

PDF_SUFFIX = "_black.pdf"
TSV_NAME = re.compile(r"^(?P<prefix>.+)_(?P<page>\d+)\.txt$")
LABELS = ("abstract", "author", "caption", "date", "equation", "figure", "footer", "list", "paragraph",
          "reference", "section", "table", "title")
# which labels give present checks, and every how-many-th usable line of them (1: every line)
SAMPLE_EVERY = {"title": 1, "section": 1, "abstract": 2, "caption": 2, "list": 2, "footer": 2, "paragraph": 4}
KIND_OF_LABEL = {"footer": "footnote"}  # DocBank's footer is the text of \footnote
PAIR_EVERY = 4  # every how-many-th pair of consecutive paragraph lines is a check (as paragraph lines)
MIN_CHARS = 25  # a sampled line shorter than this says too little (and may be a page number)
MIN_HEADING_CHARS = 4
RUN_GAP = 50  # on the 0-1000 scale: wider than a section number's quad, narrower than a table's columns
GUTTER_BAND = (300, 700)  # where a two-column page's gutter lies
WORD_GAP = 15  # wider than a justified line's spaces, narrower than a gutter
TEXT_WIDTH = 250  # a stretch of running text in a column is wider than this (a column is about 400)
BLOCK_LEADING = 0.5  # lines of a block lie at most this many line heights apart (gap between boxes)
PLACEHOLDER = re.compile(r"^##LT\w+##$")
FIGURE = "##LTFigure##"
PAGE_NUMBER = re.compile(r"^(\d{1,4}|[ivxlc]{1,6})$")
MATH_FONTS = re.compile(r"^(CMMI|CMMIB|CMSY|CMBSY|CMEX|MSAM|MSBM|EUFM|EUFB|EUSM|EURM|RSFS|LMMath|LMSy|"
                        r"LMEx|STIXMath|STIXGeneral-Italic|rsfs|txsy|txmi|pxsy|pxmi|MTMI|MTSY|Cambria ?Math)",
                        re.I)
_LIGATURES = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}
_BAD_CATEGORIES = {"Sk", "Mn", "Co", "Cn", "Cs"}


@dataclass(frozen=True)
class Token:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    font: str
    label: str

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 1.0)


@dataclass
class Line:
    """A run of tokens of one label on one row of one column (column: 0 left or whole page, 1 right; wide: it
    crosses a two-column page's gutter). Its band orders it: on a two-column page, band 2k holds the columns'
    lines between the k-th and the (k+1)-th row crossing the gutter, band 2k+1 that row's lines."""

    tokens: list[Token]
    column: int
    wide: bool = False
    band: int = 0
    furniture: bool = False

    @property
    def label(self) -> str:
        return self.tokens[0].label

    @property
    def top(self) -> float:
        return min(t.y0 for t in self.tokens)

    @property
    def bottom(self) -> float:
        return max(t.y1 for t in self.tokens)

    @property
    def height(self) -> float:
        return sorted(t.height for t in self.tokens)[len(self.tokens) // 2]

    @property
    def usable(self) -> bool:
        """Not furniture, no math font, no glyph whose text depends on the reader (accents apart, private use,
        cid), no sub- or superscript (set apart: readers space it differently; glued to a word: a footnote or
        citation mark, ``2This``, ``reports.12``)."""
        return not (self.furniture or any(MATH_FONTS.match(t.font.split("+", 1)[-1]) for t in self.tokens)
                    or any(_unreliable(t.text) for t in self.tokens) or self.scripts or not self.wordy)

    @property
    def wordy(self) -> bool:
        """Words, not a graph's figures or a leader: half the tokens hold a letter, at most two are punctuation
        alone (``. . . .`` leaders are spaced as each reader likes)."""
        letters = sum(any(ch.isalpha() for ch in t.text) for t in self.tokens)
        marks = sum(not any(ch.isalnum() for ch in t.text) for t in self.tokens)
        return 2 * letters >= len(self.tokens) and marks <= 2

    @property
    def scripts(self) -> bool:
        """A token set above or below the line (its top or bottom a quarter of the line's height off)."""
        tops = sorted(t.y0 for t in self.tokens)[len(self.tokens) // 2]
        bottoms = sorted(t.y1 for t in self.tokens)[len(self.tokens) // 2]
        return any(abs(t.y0 - tops) > 0.25 * self.height or abs(t.y1 - bottoms) > 0.25 * self.height
                   for t in self.tokens)

    @property
    def text(self) -> str:
        """The line's words, ligatures spelled out, without a last word broken at the line end."""
        words = [t.text for t in self.tokens]
        if len(words) > 1 and len(words[-1]) > 1 and words[-1].endswith("-"):
            words = words[:-1]
        return spell_ligatures(" ".join(words))


_GLUED_MARK = re.compile(r"^[0-9*†‡§¶]+[^\W\d_]|[^\W\d_][.,;:)\]]?[0-9*†‡][0-9*†‡,–-]*[.,;:]?$")


def _unreliable(text: str) -> bool:
    return ("(cid:" in text or bool(_GLUED_MARK.search(text))
            or any(unicodedata.category(ch) in _BAD_CATEGORIES for ch in text))


def spell_ligatures(text: str) -> str:
    return "".join(_LIGATURES.get(ch, ch) for ch in text)


def read_tokens(text: str) -> list[Token]:
    """The TSV's words (CRLF or LF; a line without its ten fields is none), less DocBank's placeholders for
    drawings (``##LTLine##``, ``##LTFigure##``: no text) and the words inside a figure's box (a graph's own
    labels, overprinted or set sideways: no running text, whatever their label)."""
    tokens = []
    for row in text.splitlines():
        fields = row.rstrip("\r").split("\t")
        if len(fields) != 10 or not fields[0].strip() or fields[9] not in LABELS:
            continue
        x0, y0, x1, y1 = (float(v) for v in fields[1:5])
        tokens.append(Token(fields[0].strip(), x0, y0, x1, y1, fields[8], fields[9]))
    figures = [t for t in tokens if t.text == FIGURE]
    return [t for t in tokens if not PLACEHOLDER.match(t.text) and not any(
        f.x0 <= (t.x0 + t.x1) / 2 <= f.x1 and f.y0 <= (t.y0 + t.y1) / 2 <= f.y1 for f in figures)]


def _text_segments(tokens: list[Token]) -> list[tuple[float, float]]:
    """(x0, x1) of the stretches of running text: paragraph tokens of one row, gaps under WORD_GAP, five tokens
    and TEXT_WIDTH at least (a table's cells or a figure's labels the colouring left ``paragraph`` are not)."""
    segments = []
    for row in _rows([t for t in tokens if t.label == "paragraph"]):
        run = [row[0]]
        for t in [*row[1:], None]:
            if t is not None and t.x0 - run[-1].x1 <= WORD_GAP:
                run.append(t)
                continue
            if len(run) >= 5 and run[-1].x1 - run[0].x0 >= TEXT_WIDTH:
                segments.append((run[0].x0, run[-1].x1))
            run = [t]
    return segments


def find_gutter(tokens: list[Token]) -> float | None:
    """Where a two-column page's columns part: the middle of the stretch of GUTTER_BAND that the fewest
    stretches of running text cross, a fifth of them at most (full-width rows above or below the columns),
    with a fifth at least on each side; None for one column."""
    segments = _text_segments(tokens)
    if len(segments) < 10:
        return None
    lo, hi = GUTTER_BAND
    crossing = [sum(x0 < x < x1 for x0, x1 in segments) for x in range(lo, hi)]
    fewest = min(crossing)
    xs = [lo + i for i, count in enumerate(crossing) if count == fewest]
    run = max(_consecutive(xs), key=len)
    middle = (run[0] + run[-1]) / 2
    left = sum(x1 <= middle for _, x1 in segments)
    right = sum(x0 >= middle for x0, _ in segments)
    if fewest > len(segments) / 5 or min(left, right) < len(segments) / 5:
        return None
    return middle


def _consecutive(xs: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for x in xs:
        if runs and x == runs[-1][-1] + 1:
            runs[-1].append(x)
        else:
            runs.append([x])
    return runs


def _rows(tokens: list[Token]) -> list[list[Token]]:
    """Tokens grouped by vertical overlap (half the smaller height), top to bottom, each row left to right."""
    rows: list[list[Token]] = []
    for t in sorted(tokens, key=lambda t: ((t.y0 + t.y1) / 2, t.x0)):
        for row in reversed(rows[-4:]):
            top, bottom = min(r.y0 for r in row), max(r.y1 for r in row)
            if min(bottom, t.y1) - max(top, t.y0) >= 0.5 * min(t.height, bottom - top):
                row.append(t)
                break
        else:
            rows.append([t])
    return [sorted(row, key=lambda t: t.x0) for row in rows]


def _runs(row: list[Token], column: int) -> list[Line]:
    """A row cut where the label changes or a gap is wider than RUN_GAP."""
    lines: list[Line] = []
    for t in row:
        last = lines[-1].tokens[-1] if lines else None
        if last and last.label == t.label and t.x0 - last.x1 <= RUN_GAP:
            lines[-1].tokens.append(t)
        else:
            lines.append(Line([t], column))
    return lines


@dataclass
class Page:
    """A labelled page as lines in reading order: bands top to bottom, in each the left column, then the
    right (a one-column page: one column, one band)."""

    lines: list[Line]
    two_columns: bool


def furniture_tokens(tokens: list[Token]) -> set[int]:
    """The page's first and last rows where they hold a page number (a paragraph token of digits or roman
    numerals alone): a running head or foot the colouring did not reach (label ``paragraph``), no check."""
    rows = _rows(tokens)
    edges = [row for row in rows[:1] + rows[-1:]
             if any(t.label == "paragraph" and PAGE_NUMBER.match(t.text) for t in row)]
    return {id(t) for row in edges for t in row}


def layout(tokens: list[Token]) -> Page:
    page = _layout(tokens)
    furniture = furniture_tokens(tokens)
    for line in page.lines:
        line.furniture = any(id(t) in furniture for t in line.tokens)
    return page


def _layout(tokens: list[Token]) -> Page:
    gutter = find_gutter(tokens)
    if gutter is None:
        lines = [line for row in _rows(tokens) for line in _runs(row, 0)]
        return Page(sorted(lines, key=lambda line: (line.top, line.tokens[0].x0)), False)
    crossing = [row for row in _rows(tokens) if any(t.x0 < gutter < t.x1 for t in row)]
    cuts = [min(t.y0 for t in row) for row in crossing]
    in_crossing = {id(t) for row in crossing for t in row}
    lines = [Line(line.tokens, 0, wide=True) for row in crossing for line in _runs(row, 0)]
    for column in (0, 1):
        side = [t for t in tokens if id(t) not in in_crossing and ((t.x1 + t.x0) / 2 < gutter) == (column == 0)]
        lines += [line for row in _rows(side) for line in _runs(row, column)]
    for line in lines:
        line.band = 2 * sum(cut <= line.top for cut in cuts) - line.wide
    lines.sort(key=lambda line: (line.band, line.column, line.top, line.tokens[0].x0))
    return Page(lines, True)


def blocks(page: Page, label: str) -> list[list[Line]]:
    """Consecutive lines of one label in one column and band, at most BLOCK_LEADING line heights apart."""
    found: list[list[Line]] = []
    for line in page.lines:
        if line.label != label:
            continue
        last = found[-1][-1] if found else None
        if (last and last.column == line.column and last.band == line.band
                and line.top - last.bottom <= BLOCK_LEADING * max(line.height, last.height)
                and line.top >= last.top):
            found[-1].append(line)
        else:
            found.append([line])
    return found


def _present(doc_id: str, kind: str, n: int, text: str) -> dict:
    return {"pdf": f"{doc_id}.pdf", "page": 1, "id": f"{doc_id}#{kind}#{n:02d}", "type": "present", "text": text}


def _order(doc_id: str, kind: str, n: int, before: str, after: str) -> dict:
    return {"pdf": f"{doc_id}.pdf", "page": 1, "id": f"{doc_id}#{kind}#{n:02d}", "type": "order",
            "before": before, "after": after}


def _first_usable(block: list[Line], min_chars: int) -> Line | None:
    return next((line for line in block if line.usable and len(line.text) >= min_chars), None)


def present_checks(doc_id: str, page: Page, first_page: bool) -> list[dict]:
    checks = []
    for label, every in SAMPLE_EVERY.items():
        if label == "title" and not first_page:
            continue  # a title past the first page is a running head (MNRAS colours it as the title)
        kind = KIND_OF_LABEL.get(label, label)
        heading = every == 1
        lines = [line for block in blocks(page, label) if heading or len(block) >= 2 for line in block
                 if line.usable and len(line.text) >= (MIN_HEADING_CHARS if heading else MIN_CHARS)
                 and not (heading and line.text[0].islower())]  # a heading's tail after its broken word
        checks += [_present(doc_id, kind, n, line.text) for n, line in enumerate(lines[::every])]
    return checks + pair_checks(doc_id, page)


def _joinable(first: Line, second: Line) -> bool:
    """Two consecutive lines of a block whose text any reader joins the same way: both usable and of MIN_CHARS
    or more, the first not ending in a broken word, the second below the first (not beside it on its row)."""
    return (first.usable and second.usable and min(len(first.text), len(second.text)) >= MIN_CHARS
            and not first.tokens[-1].text.endswith("-") and second.top >= first.bottom - first.height / 2)


def pair_checks(doc_id: str, page: Page) -> list[dict]:
    """Every PAIR_EVERY-th pair of consecutive lines of a paragraph block, in reading order, joined by a space
    (kind ``paragraph-pair``): a line-level check cannot see a page read across its columns (each line stays
    whole), a pair can."""
    joined = [f"{a.text} {b.text}" for block in blocks(page, "paragraph") for a, b in pairwise(block)
              if _joinable(a, b)]
    return [_present(doc_id, "paragraph-pair", n, text) for n, text in enumerate(joined[::PAIR_EVERY])]


def _unambiguous(first: Line, second: Line) -> bool:
    """The first comes before the second by the boxes alone: a row crossing the gutter comes after all above it
    and before all below it; in one column the upper first; in one band the left column first."""
    if first.wide or second.wide:
        return first.band < second.band or (first.band == second.band and first.top < second.top)
    if first.column == second.column:
        return first.top < second.top
    return first.band == second.band and first.column < second.column


def order_checks(doc_id: str, page: Page) -> list[dict]:
    checks = []
    headings = [line for line in (_first_usable(b, MIN_HEADING_CHARS) for b in blocks(page, "section")) if line]
    pairs = [(a, b) for a, b in pairwise(headings) if _unambiguous(a, b) and a.text != b.text]
    checks += [_order(doc_id, "section-order", n, a.text, b.text) for n, (a, b) in enumerate(pairs)]
    if page.two_columns:
        paragraphs = [b for b in blocks(page, "paragraph") if len(b) >= 2]
        pairs = []
        for band in sorted({b[0].band for b in paragraphs if not b[0].wide}):
            left = [b for b in paragraphs if b[0].band == band and b[0].column == 0 and not b[0].wide]
            right = [b for b in paragraphs if b[0].band == band and b[0].column == 1]
            if not (left and right):
                continue
            after = _first_usable(right[0], MIN_CHARS)
            for block in dict.fromkeys((id(left[0]), id(left[-1]))):
                before = _first_usable(next(b for b in left if id(b) == block), MIN_CHARS)
                if before and after and before.text != after.text:
                    pairs.append((before, after))
        checks += [_order(doc_id, "column-order", n, a.text, b.text) for n, (a, b) in enumerate(pairs)]
    return checks


def page_checks(doc_id: str, tsv_text: str, first_page: bool) -> list[dict]:
    """Every check of one labelled page (olmOCR-bench's JSONL fields), ids ``{doc_id}#{kind}#{n}``."""
    page = layout(read_tokens(tsv_text))
    return present_checks(doc_id, page, first_page) + order_checks(doc_id, page)


def pairs(folder: Path) -> list[tuple[str, Path, Path]]:
    """(doc id, whole paper's PDF, labelled page's TSV) of every TSV in the folder, the PDF possibly absent."""
    found = []
    for tsv in sorted(folder.glob("*.txt")):
        match = TSV_NAME.match(tsv.name)
        if match:
            found.append((tsv.stem, folder / f"{match['prefix']}{PDF_SUFFIX}", tsv))
    return found


def page_number(tsv: Path) -> int:
    """The labelled page, 1-based (the TSV's name counts from 0)."""
    return int(TSV_NAME.match(tsv.name)["page"]) + 1


def cut_page(pdf: Path, page: int, out: Path) -> Path:
    """The page alone as a PDF, once (named by the source's hash: a new source is cut again)."""
    import pymupdf

    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()[:12]
    target = out / f"{pdf.stem.removesuffix('_black')}_{page - 1}-{digest}.pdf"
    if not target.is_file():
        out.mkdir(parents=True, exist_ok=True)
        with pymupdf.open(pdf) as src, pymupdf.open() as one:
            one.insert_pdf(src, from_page=page - 1, to_page=page - 1)
            one.save(target, garbage=3, deflate=True)
    return target


def write_checks(folder: Path, checks: list[dict]) -> None:
    """The checks as olmOCR-bench JSONL beside the pages, to be read or run by olmOCR's own tools."""
    text = "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in checks)
    path = folder / "checks.jsonl"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def skipped(folder: Path) -> dict[str, str]:
    return {doc_id: f"no {pdf.name} in {folder} (over the fetch snapshot's size limit, SOURCE.txt says; a full "
                    "clone of DocBank, or `prepare --copies` with the file, brings it)"
            for doc_id, pdf, _ in pairs(folder) if not pdf.is_file()}
