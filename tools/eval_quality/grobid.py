"""The ``grobid`` suite: olmOCR-bench checks built from people's labels of whole papers (GROBID's training data).

GROBID's training corpus (github.com/kermitt2/grobid, Apache-2.0) is GROBID's pre-annotation of a paper's text
lines, corrected by its annotators. Eleven of its papers are also GROBID's test PDFs, so their labels and the PDF
are in one commit: three whole papers with segmentation labels (every line of the paper: running head
``<note place="headnote">``, page number ``<page>``, page foot and footnote ``<note place="footnote">``,
``<front>``, ``<body>``, ...) and fulltext labels (``<head>``, ``<p>``, ``<figure>``, ``<formula>``, ...), and
eight more with header labels only (``<titlePart>``, ``<div type="abstract">``, ...). Each TEI was checked to be
the text of the PDF of its name (every line of 12 letters or more found in PyMuPDF's text of the PDF, but for a
few lines whose accents the PDF's text layer spells apart).

The checks are made by fixed rules from the labels alone (no system's output looked at):

- every running-head line (``headnote``) -> absent from its page's text;
- every page number (``<page>``) -> neither the first nor the last token of its page's text (olmOCR's absent
  check on the page's first and last characters: a number kept in the middle of the page, where a column or a
  float ends, is not seen; a bare number anywhere on the page would be a figure's or an equation's too);
- a page foot (a ``footnote`` note whose text the paper labels on two pages or more: the journal line) -> each
  line absent from its page's text; every other footnote -> its first line, less its number, present;
- every heading (``<head>``) -> present; each pair of consecutive headings -> order;
- every ``BODY_EVERY``-th ``prose`` line of the paragraphs (``<p>``) of at least ``MIN_BODY_CHARS`` characters
  -> present (``prose``: no one-character token but a, A, I: the TEI writes sub- and superscripts as tokens of
  their own; this rule came after the first development run, where such lines failed);
- the title (its lines joined) and the abstract's first line of every paper's header labels -> present.

A line is used only if it is ``plain`` (no spacing accents, no math signs but ASCII's, no ligatures, no double
space: the marks of a text layer's or pdfalto's reading that no two extractors write alike); a word broken at a
line end is left out of both lines. A check its own labels fail (an absent line that is also the text of the
paper elsewhere on that page, a present line not in the labelled text) is dropped. Pages come from GROBID's own
feature file of the same reading (``corpus/raw/NAME.training.segmentation``, a ``PAGESTART`` per page), its
lines aligned with the TEI's by their first words.

A check's ``page`` is ``0`` for the whole document (the system's pages joined) and ``n`` for its n-th page.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

GROBID_REPO = "kermitt2/grobid"
GROBID_COMMIT = "b8d6bec302189e29a6c358ea513f8be834004a86"
PDF_FOLDER = "grobid-core/src/test/resources/test"
DATASET = "grobid-trainer/resources/dataset"
# papers with segmentation and fulltext labels (whole documents), and papers with header labels only
FULL_DOCS = ("0807.3577", "1001._0908.0054", "Wang-paperAVE2008")
HEADER_DOCS = ("MullenJSSv18i03", "ZFN-A-054-0304-0272", "submission_161", "submission_355", "submission_363",
               "test_Grobid_1_05452615", "test_Grobid_2_05982691", "two_pages")

MIN_BODY_CHARS = 40
BODY_EVERY = 4
MIN_NOTE_CHARS = 20  # a footnote's first line, its number taken off
WHOLE_DOCUMENT = 0

HEADNOTE, PAGE_NUMBER, FOOTNOTE = "note:headnote", "page", "note:footnote"
NESTED_ELEMENTS = ("page", "note")  # elements the segmentation labels set inside another one (a page break)
_ASCII_MATH = set("+<=>|~^")
_LIGATURES = range(0xFB00, 0xFB50)
_NOT_PLAIN_CATEGORIES = {"Lm", "Sk", "Mn", "Mc", "Me", "Co", "Cn", "Cs"}
_ONE_LETTER_WORDS = ("a", "A", "I")
_FOOTNOTE_MARK = re.compile(r"^(\d{1,3}|[*†‡§¶]+|[a-z])\s+")


def tei_path(kind: str, name: str) -> str:
    return f"{DATASET}/{kind}/corpus/tei/{name}.training.{kind}.tei.xml"


def raw_path(name: str) -> str:
    return f"{DATASET}/segmentation/corpus/raw/{name}.training.segmentation"


def pdf_path(name: str) -> str:
    return f"{PDF_FOLDER}/{name}.pdf"


def suite_files() -> tuple[str, ...]:
    """Every file the suite reads, as paths in GROBID's repository (what ``prepare`` copies)."""
    files = [path for name in FULL_DOCS for path in
             (tei_path("segmentation", name), raw_path(name), tei_path("fulltext", name))]
    return tuple(files + [path for name in FULL_DOCS + HEADER_DOCS for path in
                          (pdf_path(name), tei_path("header", name))])


@dataclass(frozen=True)
class Line:
    """One ``<lb/>``-delimited line of a TEI: the label of the element it is in, its text, its page (0: unknown)."""

    label: str
    text: str
    page: int = 0
    element: int = 0  # the index of its top element: the lines of one paragraph, note or heading share it


def element_lines(element: ET.Element) -> list[str]:
    """An element's text cut at its ``<lb/>``s (inline markup's text kept), stripped, empty lines left out."""
    lines = [""]

    def walk(node: ET.Element) -> None:
        if node.tag == "lb":
            lines.append("")
            return
        lines[-1] += node.text or ""
        for child in node:
            walk(child)
            lines[-1] += child.tail or ""

    walk(element)
    return [line.strip() for line in lines if line.strip()]


def label_of(element: ET.Element) -> str:
    kind = element.get("place") or element.get("type")
    return f"{element.tag}:{kind}" if kind else element.tag


def tei_lines(path: Path) -> list[Line]:
    """The lines of a segmentation or fulltext TEI in order, each with the label of its top element; a page
    number or a note inside another element (a page break in the body) is its own element with its own label."""
    lines: list[Line] = []
    current = {"label": "", "text": "", "element": -1}
    count = iter(range(1_000_000))

    def cut() -> None:
        if current["text"].strip():
            lines.append(Line(current["label"], current["text"].strip(), 0, current["element"]))
        current["text"] = ""

    def walk(node: ET.Element) -> None:
        if node.tag == "lb":
            cut()
            return
        current["text"] += node.text or ""
        for child in node:
            if child.tag in NESTED_ELEMENTS:
                cut()
                outer = current["label"], current["element"]
                current["label"], current["element"] = label_of(child), next(count)
                walk(child)
                cut()
                current["label"], current["element"] = outer
            else:
                walk(child)
            current["text"] += child.tail or ""

    for child in ET.parse(path).getroot().find("text"):
        current.update(label=label_of(child), text="", element=next(count))
        walk(child)
        cut()
    return lines


def raw_pages(path: Path) -> list[tuple[str, int]]:
    """(first word, page) of each line of GROBID's feature file: a page starts at each ``PAGESTART``."""
    rows, page = [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        page += "PAGESTART" in line.split()
        rows.append((line.split()[0], page))
    return rows


def with_pages(lines: list[Line], raw: list[tuple[str, int]]) -> list[Line]:
    """Each line with the page of the feature file's line its first word is aligned with; a line left out of
    the alignment takes the page of the line before it (the first lines: of the line after them)."""
    matcher = difflib.SequenceMatcher(None, [line.text.split()[0] for line in lines], [w for w, _ in raw],
                                      autojunk=False)
    page_of: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            page_of[block.a + k] = raw[block.b + k][1]
    pages, last = [], None
    for i in range(len(lines)):
        last = page_of.get(i, last)
        pages.append(last)
    first = next((p for p in pages if p is not None), 1)
    return [Line(line.label, line.text, page if page is not None else first, line.element)
            for line, page in zip(lines, pages, strict=True)]


def plain(text: str) -> bool:
    """Whether a line reads the same in any extractor: no spacing accent or modifier letter (``Lema^ tre``), no
    combining mark, no private-use glyph, no ligature, no math sign but ASCII's, no double space (pdfalto's
    mark of a sub- or superscript)."""
    if "  " in text:
        return False
    for char in text:
        category = unicodedata.category(char)
        if category in _NOT_PLAIN_CATEGORIES or ord(char) in _LIGATURES:
            return False
        if category == "Sm" and char not in _ASCII_MATH:
            return False
    return True


def prose(text: str) -> bool:
    """Whether a line reads as words: ``plain``, and no one-character token but ``a``, ``A``, ``I`` (the TEI
    writes a sub- or superscript as a token of its own, ``H 0 = 75.0km s -1``, which extractors glue or not)."""
    return plain(text) and all(len(token) > 1 or token in _ONE_LETTER_WORDS for token in text.split())


def unbroken(lines: list[str]) -> list[str]:
    """Lines in reading order without the halves of a word broken at a line end (``named-`` / ``entity``):
    extractors join them or not. Given the lines of all paragraphs at once: a paragraph cut by a page break
    is two elements."""
    out = []
    for i, line in enumerate(lines):
        words = line.split()
        if i + 1 < len(lines) and line.endswith("-"):
            words = words[:-1]
        if i > 0 and lines[i - 1].endswith("-"):
            words = words[1:]
        out.append(" ".join(words))
    return out


def _check(doc: str, kind: str, n: int, page: int, **fields) -> dict:
    return {"pdf": f"{doc}.pdf", "page": page, "id": f"{doc}#{kind}#{n:03d}", "max_diffs": 0, **fields}


def paragraphs(lines: list[Line], label: str) -> list[list[str]]:
    """The lines of each element under that label (a paragraph, a heading, a note), in order."""
    runs: dict[int, list[str]] = {}
    for line in lines:
        if line.label == label:
            runs.setdefault(line.element, []).append(line.text)
    return list(runs.values())


def furniture_checks(doc: str, segmentation: list[Line]) -> list[dict]:
    """Absent checks on each page: running heads, page numbers, page feet (a footnote repeated on pages)."""
    page_feet = _page_feet(segmentation)
    checks, seen = [], set()
    for line in segmentation:
        if line.label == HEADNOTE or line.text in page_feet.get(line.page, ()):
            key = (line.page, line.text)
            if key not in seen and plain(line.text):
                seen.add(key)
                kind = "running_head" if line.label == HEADNOTE else "page_foot"
                checks.append(_check(doc, kind, len(checks), line.page, type="absent", text=line.text))
        elif line.label == PAGE_NUMBER:
            token = f" {line.text} "
            checks.append(_check(doc, "page_number", len(checks), line.page, type="absent", text=token,
                                 first_n=len(token), last_n=len(token)))
    return checks


def _page_feet(segmentation: list[Line]) -> dict[int, set[str]]:
    """Per page, the footnote lines whose text the paper has on two pages or more: a journal's page foot."""
    by_page: dict[int, list[Line]] = {}
    for line in segmentation:
        if line.label == FOOTNOTE:
            by_page.setdefault(line.page, []).append(line)
    pages_of: dict[str, set[int]] = {}
    for page, lines in by_page.items():
        for line in lines:
            pages_of.setdefault(line.text, set()).add(page)
    return {page: {line.text for line in lines if len(pages_of[line.text]) > 1} for page, lines in by_page.items()}


def footnote_checks(doc: str, segmentation: list[Line]) -> list[dict]:
    """Present checks: the first line of every footnote that is not a page foot, its number taken off."""
    repeated = _page_feet(segmentation)
    checks = []
    for note in paragraphs(segmentation, FOOTNOTE):
        if any(note[0] in texts for texts in repeated.values()):
            continue
        first = _FOOTNOTE_MARK.sub("", unbroken(note)[0])
        if len(first) >= MIN_NOTE_CHARS and prose(first):
            checks.append(_check(doc, "footnote", len(checks), WHOLE_DOCUMENT, type="present", text=first))
    return checks


def body_checks(doc: str, fulltext: list[Line]) -> list[dict]:
    """Headings present and in order; every ``BODY_EVERY``-th plain paragraph line of ``MIN_BODY_CHARS`` present."""
    headings = [" ".join(unbroken(run)) for run in paragraphs(fulltext, "head")]
    headings = [h for h in headings if plain(h)]
    checks = [_check(doc, "heading", i, WHOLE_DOCUMENT, type="present", text=h) for i, h in enumerate(headings)]
    checks += [_check(doc, "heading_order", i, WHOLE_DOCUMENT, type="order", before=a, after=b)
               for i, (a, b) in enumerate(zip(headings, headings[1:], strict=False))]
    eligible = [line for line in unbroken([line for run in paragraphs(fulltext, "p") for line in run])
                if len(line) >= MIN_BODY_CHARS and prose(line)]
    checks += [_check(doc, "body", i, WHOLE_DOCUMENT, type="present", text=line)
               for i, line in enumerate(eligible[::BODY_EVERY])]
    return checks


def header_checks(doc: str, header: Path) -> list[dict]:
    """The title (its lines joined, none ending in a hyphen) and the abstract's first line, present."""
    root = ET.parse(header).getroot()
    texts = []
    title = root.find(".//titlePart")
    if title is not None:
        lines = element_lines(title)
        if lines and not any(line.endswith("-") for line in lines):
            texts.append(("title", " ".join(lines)))
    abstract = root.find(".//div[@type='abstract']")
    if abstract is not None and element_lines(abstract):
        texts.append(("abstract", unbroken(element_lines(abstract))[0]))
    return [_check(doc, kind, 0, WHOLE_DOCUMENT, type="present", text=text) for kind, text in texts
            if (plain(text) if kind == "title" else len(text) >= MIN_NOTE_CHARS and prose(text))]


def labelled_texts(segmentation: list[Line]) -> dict[int, str]:
    """What a perfect reading gives: per page (and for the whole document, page 0), the text of every line
    that is not furniture by the labels."""
    feet = _page_feet(segmentation)
    kept = [line for line in segmentation if line.label not in (HEADNOTE, PAGE_NUMBER)
            and line.text not in feet.get(line.page, ())]
    texts = {page: "\n".join(line.text for line in kept if line.page == page) for page in {ln.page for ln in kept}}
    texts[WHOLE_DOCUMENT] = "\n".join(line.text for line in kept)
    return texts


def consistent(checks: list[dict], texts: dict[int, str]) -> list[dict]:
    """The checks that the labels' own text passes (run with olmOCR-bench's classes, as a system is)."""
    from tools.eval_quality.score import run_doc_checks

    kept = []
    for check in checks:
        text = texts.get(check["page"], "")
        pages = [text] if check["page"] == WHOLE_DOCUMENT else [""] * (check["page"] - 1) + [text]
        if run_doc_checks([check], pages)[0]["passed"]:
            kept.append(check)
    return kept


def document_checks(folder: Path, name: str) -> list[dict]:
    """Every check of one paper, from the labels in the suite's folder (a copy of GROBID's repository paths)."""
    header = folder / tei_path("header", name)
    if not (folder / tei_path("segmentation", name)).is_file():  # a paper with header labels only
        texts = {WHOLE_DOCUMENT: "\n".join(element_lines(ET.parse(header).getroot()))}
        return consistent(header_checks(name, header), texts)
    segmentation = with_pages(tei_lines(folder / tei_path("segmentation", name)), raw_pages(folder / raw_path(name)))
    fulltext = tei_lines(folder / tei_path("fulltext", name))
    checks = (furniture_checks(name, segmentation) + footnote_checks(name, segmentation) +
              body_checks(name, fulltext) + (header_checks(name, header) if header.is_file() else []))
    return consistent(checks, labelled_texts(segmentation))


def read(folder: Path) -> dict[str, tuple[Path, list[dict]]]:
    """Every paper whose PDF is in the folder: its PDF and its checks."""
    return {name: (folder / pdf_path(name), document_checks(folder, name))
            for name in FULL_DOCS + HEADER_DOCS if (folder / pdf_path(name)).is_file()}
