"""The ``lawreview`` suite: US law-review articles as PDF beside the journal's own web version of the article.

Source: github.com/donaldbraman/docling-testing (the ``arxiv`` suite's commit), ``data/v3_data``: the article's
PDF as the journal publishes it (``raw_pdf/NAME.pdf``) and the paragraphs its author extracted from the
journal's HTML page of the same article (``processed_html/NAME.json``: each paragraph's text, labelled
``body-text`` or ``footnote-text``). Many producers: the journals' own typesetting (Harvard, Michigan, Texas,
California, USC, BU, Virginia, Wisconsin, UCLA law reviews, the Supreme Court Review, ...). No PDF was involved
in making the truth: it is the web page's text, in the web page's order.

What the truth is not: the web page has text the PDF lacks (a "PDF" link, a citation line, "Table of Contents"),
and its extraction glues words at inline markup (``inMuñozis``: an italic case name without its spaces) and
writes footnote marks as ``[12]`` (the PDF's are superscripts, glued to the word). So the checks use only
what is on the PDF's text layer, word for word:

- a **token** is a whitespace-delimited word, NFKC-normalised; the layer's tokens are PyMuPDF's words of every
  page, plus the two joins of a word broken at a line end (``consti-`` / ``tution``: ``constitution`` and
  ``consti-tution``; order-free otherwise);
- a paragraph is **eligible** when it has ``MIN_WORDS`` words or more and ``LAYER_SHARE`` of its tokens or more
  are the layer's (the page's text has the paragraph: not the web page's own text);
- its check text is the first run of ``MIN_WORDS`` or more consecutive layer tokens, cut at ``MAX_WORDS``
  (footnote marks ``[n]`` taken out first; a glued word or a word carrying a superscript mark ends a run, so no
  check asks for a mark or a space the PDF does not have). A word broken at a line end is kept in the check
  (written whole, as the web page has it): a system that leaves it split fails, up to the edit budget;
- ``body`` and ``footnote``: present, on the whole document (olmOCR-bench's TextPresenceTest), with an edit
  budget of one per ``CHARS_PER_DIFF`` characters (none below that: the run is the layer's own words);
- ``body_order``: each pair of consecutive eligible body paragraphs, their check texts in that order
  (olmOCR-bench's TextOrderTest: it fails as well when either text is not found, so read it beside ``body``).

Cost bound, fixed before any system ran: only articles of ``MAX_PAGES`` pages or fewer (33 of the 66 distinct
articles with both files, 780 pages). Byte-identical PDFs under two names (the same article filed twice) are
one document, the first name in sorted order; the others are skipped with the reason, as are articles whose
PDF the snapshot lacks, or with no JSON.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from itertools import pairwise
from pathlib import Path

REPO = "donaldbraman/docling-testing"
FOLDER = "data/v3_data"
PDF_DIR, JSON_DIR = "raw_pdf", "processed_html"
MAX_PAGES = 40
MIN_WORDS = 8
MAX_WORDS = 24
LAYER_SHARE = 0.9
CHARS_PER_DIFF = 200
WHOLE_DOCUMENT = 0
MARK_TOKEN = "\u2063"  # where a footnote mark was (an invisible separator: never a word of a text layer)
BODY, FOOTNOTE = "body-text", "footnote-text"
_MARK = re.compile(r"\[\d{1,4}\]")
_LEADING_MARK = re.compile(r"^\s*(\[\d{1,4}\]\.?|[*†‡]+)\s*")
_EMPHASIS = ("*", "_")
_NOTE_MARK = re.compile(r"^\s*[*†‡]")


def keep(name: str) -> bool:
    """The files ``prepare`` copies (paths under ``data/v3_data``)."""
    return (name.startswith(f"{PDF_DIR}/") and name.endswith(".pdf") or
            name.startswith(f"{JSON_DIR}/") and name.endswith(".json"))


def tokens(text: str) -> list[str]:
    return unicodedata.normalize("NFKC", text).split()


def page_words(found: list[tuple]) -> list[str]:
    """A page's words (PyMuPDF's ``get_text("words")``), a word broken at a line end written whole (its hyphen
    dropped)."""
    words, ends = [w[4] for w in found], [(w[5], w[6]) for w in found]
    out: list[str] = []
    for i, word in enumerate(words):
        if out and out[-1].endswith("-") and ends[i - 1] != ends[i]:
            out[-1] = out[-1][:-1] + word
        else:
            out.append(word)
    return tokens(" ".join(out))


def layer(pdf: Path) -> tuple[set[str], list[str]]:
    """Every token of the PDF's text layer, with both joins of a word broken at a line end (``consti-`` /
    ``tution``: ``constitution`` and ``consti-tution``), order-free; and each page's tokens joined by spaces
    (a broken word joined without its hyphen), to tell on which page a check's text is."""
    import pymupdf

    found: set[str] = set()
    pages = []
    with pymupdf.open(pdf) as doc:
        for page in doc:
            words = page.get_text("words")
            for word in words:
                found.update(tokens(word[4]))
            for a, b in pairwise(words):
                if a[4].endswith("-") and (a[5], a[6]) != (b[5], b[6]):  # the last word of its line
                    found.update(tokens(a[4][:-1] + b[4]) + tokens(a[4] + b[4]))
            pages.append(" ".join(page_words(words)))
    return found, pages


def page_of(text: str, pages: list[str]) -> int | None:
    """The first page (1-based) whose text layer has the text, its tokens in a row (hyphens aside: a compound
    broken at a line end is joined without its hyphen there); None when no page has it whole."""
    return next((n for n, page in enumerate(pages, 1) if text.replace("-", "") in page.replace("-", "")), None)


def clean(text: str, label: str) -> str:
    """The paragraph's text, each footnote mark a token of its own that no layer has (a run of words ends
    there: the PDF glues its superscript to the word); a footnote's own number or mark (``*``, an author's
    note) at its start taken off."""
    if label == FOOTNOTE:
        text = _LEADING_MARK.sub("", text)
    return _MARK.sub(f" {MARK_TOKEN} ", text)


def eligible(words: list[str], layer: set[str]) -> bool:
    """Long enough to be specific, and the PDF's text layer has (nearly) every word of it."""
    return len(words) >= MIN_WORDS and sum(w in layer for w in words) >= LAYER_SHARE * len(words)


def usable(word: str | None, layer: set[str], start: bool) -> bool:
    """A word a check may ask for: the layer's, with no ``*`` or ``_`` (olmOCR-bench's scorer reads a pair of
    them anywhere in a system's text, across the whole document, as Markdown emphasis and takes them out:
    ``at *6 n.8`` is not found in any text with another asterisk after it), and a run starts at a word with a
    letter or digit (not a stray ``.`` the web page left of a footnote's number)."""
    if word is None or word not in layer or any(mark in word for mark in _EMPHASIS):
        return False
    return not start or any(char.isalnum() for char in word)


def check_text(words: list[str], layer: set[str]) -> str | None:
    """The first run of ``MIN_WORDS`` or more consecutive usable layer tokens, at most ``MAX_WORDS`` long."""
    run: list[str] = []
    for word in [*words, None]:
        if usable(word, layer, start=not run):
            run.append(word)
            if len(run) == MAX_WORDS:
                break
        elif len(run) >= MIN_WORDS:
            break
        else:
            run = []
    return " ".join(run) if len(run) >= MIN_WORDS else None


def budget(text: str) -> int:
    return len(text) // CHARS_PER_DIFF


def _check(doc: str, kind: str, n: int, **fields) -> dict:
    return {"pdf": f"{doc}.pdf", "page": WHOLE_DOCUMENT, "id": f"{doc}#{kind}#{n:03d}", **fields}


def label_of(paragraph: dict) -> str | None:
    """The paragraph's label; a "body" paragraph that starts with a note mark (``* Professor of Law``: the
    author's note, which the web page sets after the article and the PDF as a footnote of its first page) is a
    footnote."""
    label = paragraph.get("label")
    if label == BODY and _NOTE_MARK.match(paragraph.get("text", "")):
        return FOOTNOTE
    return label


def in_order(a: str, b: str, pages: list[str]) -> bool:
    """Whether the PDF's text layer has ``a`` on a page before ``b``'s or on the same page (the web page's
    order is the PDF's but where the web page moves a block: then no order check is made)."""
    first, second = page_of(a, pages), page_of(b, pages)
    return first is not None and second is not None and first <= second


def checks(doc: str, paragraphs: list[dict], layer_words: set[str], pages: list[str]) -> list[dict]:
    """Present checks of every eligible paragraph whose check text one page's text layer has whole (not one
    cut by a page break: footnotes and running heads come between there for any reading); order checks of
    consecutive ones of the body whose pages are in that order."""
    texts: dict[str, list[str]] = {BODY: [], FOOTNOTE: []}
    for paragraph in paragraphs:
        label = label_of(paragraph)
        words = tokens(clean(paragraph.get("text", ""), label))
        text = check_text(words, layer_words) if label in texts and eligible(words, layer_words) else None
        if text and text not in texts[label] and page_of(text, pages):
            texts[label].append(text)
    out = [_check(doc, kind, i, type="present", text=text, max_diffs=budget(text))
           for label, kind in ((BODY, "body"), (FOOTNOTE, "footnote")) for i, text in enumerate(texts[label])]
    ordered = [(a, b) for a, b in pairwise(texts[BODY]) if in_order(a, b, pages)]
    out += [_check(doc, "body_order", i, type="order", before=a, after=b, max_diffs=min(budget(a), budget(b)))
            for i, (a, b) in enumerate(ordered)]
    return out


def read_checks(doc: str, pdf: Path, truth: Path) -> list[dict]:
    return checks(doc, json.loads(truth.read_text(encoding="utf-8"))["paragraphs"], *layer(pdf))


def page_count(pdf: Path) -> int:
    import pymupdf

    with pymupdf.open(pdf) as doc:
        return doc.page_count


def pairs(folder: Path) -> list[tuple[str, Path, Path, str | None]]:
    """(name, PDF, JSON, why it is skipped or None) of every article with a PDF or a JSON in the folder."""
    names = sorted({p.stem for p in (folder / PDF_DIR).glob("*.pdf")} |
                   {p.stem for p in (folder / JSON_DIR).glob("*.json")})
    first_of: dict[str, str] = {}
    found = []
    for name in names:
        pdf, truth = folder / PDF_DIR / f"{name}.pdf", folder / JSON_DIR / f"{name}.json"
        why = None
        if not pdf.is_file():
            why = f"no PDF {PDF_DIR}/{name}.pdf in {folder} (the snapshot it was prepared from lacked it)"
        elif not truth.is_file():
            why = f"no {JSON_DIR}/{name}.json (the source has the PDF only)"
        else:
            digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
            if digest in first_of:
                why = f"the same PDF (byte for byte) as {first_of[digest]}"
            else:
                first_of[digest] = name
                pages = page_count(pdf)
                if pages > MAX_PAGES:
                    why = f"{pages} pages, over the suite's cost bound of {MAX_PAGES}"
        found.append((name, pdf, truth, why))
    return found


def skipped(folder: Path) -> dict[str, str]:
    return {name: why for name, _, _, why in pairs(folder) if why}
