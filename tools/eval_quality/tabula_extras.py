"""The ``tabula-extras`` suite: the tables the old tests of tabula-extractor and tabula-py expect, on their own PDFs.

Two more repositories of the tabula family keep test PDFs that tabula-java does not (git blob ids compared with
every version of tabula-java's files: none is there) with the whole table each test expects:

- tabulapdf/tabula-extractor (the Ruby tabula, MIT): ``test/tests.rb`` writes the expected rows inline, as Ruby
  arrays of strings, for an *area* of page 1 (top, left, bottom, right in points); ``french1.tsv`` holds one
  test's rows. They are read out of the pinned snapshot's ``tests.rb`` at prepare time by a small, strict
  reader (``ruby_rows``: arrays of double-quoted strings only, nothing else), which fails loudly when the
  file is not as expected (``expected_rows``: the test, its area and its ``expected =`` must be found).
- chezou/tabula-py (MIT): ``data_1.csv`` is page 1 of ``data.pdf``, R's ``mtcars`` printed as a table (the known
  data set, row names in a first column under an empty header); ``data_dtype_template_expected.csv`` the rows
  of an electricity bill's item table in the first area of ``data_dtype.tabula-template.json``.

The truth is tabula's output for the test's area that its maintainers accepted (or the known data set, for
mtcars); where it is only a part of the page's table (the GRE table's first 17 rows, three rows of a long list)
or leaves the header or a row label out, it is still what the page shows *in that area*. So a document is the
test's page cut out alone (``pages/``) with its crop box set to the test's area (``crop_box``: grown to hold
whole the text lines the truth holds that the area's edge cuts, shrunk to leave out those it does not): the
page then shows just what the truth describes. Systems read the crop box as the page (PyMuPDF, Docling,
ours); pdftotext reads the media box (its default), but writes no tables anyway. A test without an area
(mtcars) keeps its whole page.

Left out: ``monospaced_ascii_sep`` (its truth keeps tabula's quirks: ``66.811.0`` for two numbers),
``mineria`` (the truth is the first 2 rows of the area's table of 21 records, and the test's ``assert expected, ...``
never compares it), the single-cell and single-row asserts (``nyc_2013fiscalreporttables``, ``wc2012``,
``indecago10``, ``47008204D_USA.page4``), and every PDF that is tabula-java's too (``strongschools``,
``argentina_diputados_voting_record``, ``campaign_donors``, ``frx_2012_disclosure``, ``spanning_cells``;
tabula-py's ``12s0324``, ``MultiColumn``, ``campaign_donors``); tabula-py's ``data_2-3.csv`` (its iris rows
keep tabula's quirks, ``5.1,3.5,1.4,0.2 setosa``) and ``data_dtype_expected.csv`` (a fragment with an
empty-header row of quirks).
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from tools.eval_quality.teds import grid_from_rows
from tools.git_clones import repo_folder

EXTRACTOR = ("tabulapdf/tabula-extractor", "cf6d1982b94314b1effcc578547d178316ac4524")
TABULA_PY = ("chezou/tabula-py", "d7a233b31b4cac99c9a2a01f014fc8493e9df69d")
_RB = "test/tests.rb"
_PY = "tests/resources/"


@dataclass(frozen=True)
class Expected:
    """One expected table: its repository, PDF, page, the area (its literal text in the test, top/left/bottom/
    right in points; "" = the whole page), and where its rows are: ``rb:TEST`` (the ``expected =`` array of
    that test in tests.rb) or a CSV/TSV file of the repository."""

    doc_id: str
    repo: str
    pdf: str
    page: int
    area: str
    rows: str


TESTS = (
    Expected("gre-p1", EXTRACTOR[0], "test/data/gre.pdf", 1, "[107.1, 57.9214, 394.5214, 290.7]",
         "rb:test_table_extraction_1"),
    Expected("bo_page24", EXTRACTOR[0], "test/data/bo_page24.pdf", 1, "[425.625, 53.125, 575.714, 810.535]",
         "rb:test_bo_page24"),
    Expected("vertical_rulings_bug", EXTRACTOR[0], "test/data/vertical_rulings_bug.pdf", 1, "[250, 0, 325, 1700]",
         "rb:test_vertical_rulings_splitting_words"),
    Expected("monospaced1", EXTRACTOR[0], "test/data/monospaced1.pdf", 1,
         "149.9142857142857, 89.10000000000001, 243.25714285714287, 721.2857142857143", "rb:test_monospaced_table"),
    Expected("french1", EXTRACTOR[0], "test/data/french1.pdf", 1,
         "32.87142857142857,41.72142857142857,486.75,694.0928571428572", "test/data/french1.tsv"),
    Expected("data-p1", TABULA_PY[0], _PY + "data.pdf", 1, "", _PY + "data_1.csv"),
    Expected("data_dtype", TABULA_PY[0], _PY + "data_dtype.pdf", 1, "", _PY + "data_dtype_template_expected.csv"),
)
# the area of data_dtype's truth: the first area of the template its test reads (x1/y1/x2/y2, tabula-py's JSON)
_DTYPE_TEMPLATE = _PY + "data_dtype.tabula-template.json"


def source_files(repo: str) -> tuple[str, ...]:
    """The suite's files in one of its repositories."""
    files = [t.pdf for t in TESTS if t.repo == repo] + [t.rows for t in TESTS if t.repo == repo and
                                                         not t.rows.startswith("rb:")]
    files += [_RB] if repo == EXTRACTOR[0] else [_DTYPE_TEMPLATE]
    return tuple(dict.fromkeys(files))


# --- a strict reader of Ruby array literals of double-quoted strings ---

_TOKEN = re.compile(r'\s*(?:(\[)|(\])|(,)|"((?:[^"\\#]|\\.|#(?!\{))*)")', re.S)
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\", "#": "#", "'": "'"}


def _unescape(body: str) -> str:
    """A Ruby double-quoted string's text: only the plain escapes (\\n \\r \\t \\" \\\\ \\#); anything else is
    refused."""
    out, i = [], 0
    while i < len(body):
        if body[i] == "\\":
            if body[i + 1] not in _ESCAPES:
                raise ValueError(f"unknown escape \\{body[i + 1]} in {body!r}")
            out.append(_ESCAPES[body[i + 1]])
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


def ruby_rows(text: str, start: int = 0) -> tuple[list[list[str]], int]:
    """The Ruby array of arrays of double-quoted strings at ``text[start:]`` (after blanks) and where it ends.
    Nothing but brackets, commas between items, blanks and plain strings is accepted (no interpolation, no
    other literal, no code, no two strings side by side, which Ruby would join): ValueError otherwise, or when
    the rows are not lists of strings."""
    stack: list[list] = []
    pos, last = start, ","  # the last token: "[" opens, "v" a value (string or closed array), "," a comma
    while True:
        match = _TOKEN.match(text, pos)
        if not match:
            raise ValueError(f"not a Ruby array of strings at {text[pos:pos + 40]!r}")
        at, pos = text[match.start():match.start() + 40], match.end()
        if match.group(3):
            if last != "v" or not stack:
                raise ValueError(f"a comma not after an item at {at!r}")
            last = ","
            continue
        if match.group(2):
            if not stack or last == ",":
                raise ValueError(f"a ] not after an item at {at!r}")
            done = stack.pop()
            if not stack:
                break
            stack[-1].append(done)
        elif last == "v":
            raise ValueError(f"two items without a comma at {at!r}")
        elif match.group(1):
            stack.append([])
            last = "["
            continue
        elif not stack:
            raise ValueError("a string outside the array")
        else:
            stack[-1].append(_unescape(match.group(4)))
        last = "v"
    if not all(isinstance(row, list) and all(isinstance(c, str) for c in row) for row in done):
        raise ValueError("not an array of arrays of strings")
    return done, pos


def method_body(source: str, name: str) -> str:
    """The text of ``def NAME`` in tests.rb, up to the next ``def`` at the same indent (or the end)."""
    found = re.search(rf"^([ \t]*)def {re.escape(name)}[ \t]*$", source, re.M)
    if not found:
        raise ValueError(f"no test {name} in tests.rb")
    end = re.compile(rf"^{found.group(1)}(def |end\b)", re.M).search(source, found.end())
    return source[found.end(): end.start() if end else len(source)]


_EXPECTED = re.compile(r"\bexpected\s*=\s*(Tabula::Table\.new_from_array\(\s*)?(?=\[)")


def expected_rows(source: str, name: str) -> list[list[str]]:
    """The rows of the first ``expected = [...]`` (or ``Tabula::Table.new_from_array([...])``) of a test."""
    body = method_body(source, name)
    found = _EXPECTED.search(body)
    if not found:
        raise ValueError(f"no `expected = [` in {name}")
    rows, end = ruby_rows(body, found.end())
    if found.group(1) and not body[end:].lstrip().startswith(")"):
        raise ValueError(f"new_from_array( not closed after the rows in {name}")
    return rows


def area_of(source: str, test: Expected) -> tuple[float, float, float, float]:
    """The test's area (top, left, bottom, right), checked to be written so in its test (for a truth file: the
    test that names the file and the PDF)."""
    if test.rows.startswith("rb:"):
        bodies = [method_body(source, test.rows[3:])]
    else:
        names = re.findall(r"^[ \t]*def (test_\w+)[ \t]*$", source, re.M)
        bodies = [body for body in (method_body(source, n) for n in names)
                  if Path(test.rows).name in body and Path(test.pdf).name in body]
    if len(bodies) != 1 or test.area not in bodies[0]:
        raise ValueError(f"{test.doc_id}: the area {test.area} is not in the one test reading {test.rows}")
    numbers = ast.literal_eval("[" + test.area.strip("[]") + "]")
    if len(numbers) != 4 or not all(isinstance(n, int | float) for n in numbers):
        raise ValueError(f"{test.doc_id}: area {test.area} is not four numbers")
    return tuple(float(n) for n in numbers)


def delimited_rows(text: str, delimiter: str) -> list[list[str]]:
    """A CSV/TSV file's rows, each cell stripped (tabula-extractor's test strips them; tabula-py's pandas reads
    a quoted empty cell as empty)."""
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter) if row]


def dtype_area(template: str) -> tuple[float, float, float, float]:
    """The first area of tabula-py's template (the one its test compares) as top, left, bottom, right."""
    first = json.loads(template)[0]
    if first["page"] != 1:
        raise ValueError("data_dtype's template's first area is not on page 1")
    return first["y1"], first["x1"], first["y2"], first["x2"]


def expected_truth(folder: Path, test: Expected) -> tuple[list[list[str]], tuple[float, float, float, float] | None]:
    """A test's rows and area, read from the repositories' files in the suite's folder."""
    base = folder / repo_folder(test.repo)
    if test.repo == EXTRACTOR[0]:
        source = (base / _RB).read_text(encoding="utf-8")
        area = area_of(source, test)
        if test.rows.startswith("rb:"):
            return expected_rows(source, test.rows[3:]), area
        return delimited_rows((base / test.rows).read_text(encoding="utf-8"), "\t"), area
    rows = delimited_rows((base / test.rows).read_text(encoding="utf-8"), ",")
    area = dtype_area((base / _DTYPE_TEMPLATE).read_text(encoding="utf-8")) if test.doc_id == "data_dtype" else None
    return rows, area


# --- the page: cut out alone, cropped to the area ---

def page_words(page) -> list[tuple[tuple[float, float, float, float], str]]:
    """The page's words (PyMuPDF's) as their box (left, top, right, bottom) and text."""
    return [((x0, y0, x1, y1), word) for x0, y0, x1, y1, word, *_ in page.get_text("words")]


def _cut(box, word) -> bool:
    """The word overlaps the box without lying inside it."""
    x0, y0, x1, y1 = word
    inside = box[0] <= x0 and box[1] <= y0 and x1 <= box[2] and y1 <= box[3]
    overlaps = x0 < box[2] and box[0] < x1 and y0 < box[3] and box[1] < y1
    return overlaps and not inside


# each edge of a box (left, top, right, bottom): its index, and the index of a word box's near and far side
_EDGES = ((0, 2, 0, min), (1, 3, 1, min), (2, 0, 2, max), (3, 1, 3, max))


def crop_box(words, area: tuple[float, float, float, float], truth: list[list[str]],
             page_box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The test's area as a crop box (left, top, right, bottom) that cuts no word. tabula took a character by
    its own box, which is not PyMuPDF's, so an edge of the area may cut words: when every word an edge cuts
    is one of the truth's words, the edge moves out to hold them whole (a cell's second line, ``ABRAHAMSON``);
    else it moves in to leave them all out (a header row just above the area, a row just below it). Repeated
    until no edge moves; ValueError when a word is still cut."""
    top, left, bottom, right = area
    box = [max(left, page_box[0]), max(top, page_box[1]), min(right, page_box[2]), min(bottom, page_box[3])]
    truth_words = {w for row in truth for cell in row for w in cell.split()}
    for _ in range(4):
        moved = False
        for edge, inner, outer, grow in _EDGES:
            cut = [(word, text) for word, text in words if _cut(box, word) and
                   min(word[edge], word[(edge + 2) % 4]) < box[edge] < max(word[edge], word[(edge + 2) % 4])]
            if not cut:
                continue
            holds = all(text in truth_words for _, text in cut)
            side = outer if holds else inner
            shrink = {min: max, max: min}[grow]
            box[edge] = (grow if holds else shrink)(word[side] for word, _ in cut)
            moved = True
        if not moved:
            break
    if any(_cut(box, word) for word, _ in words):
        raise ValueError(f"the crop box {box} still cuts a word")
    return tuple(box)


def cut_page(pdf_path: Path, page: int, area, truth: list[list[str]], out: Path) -> None:
    """The page alone as a one-page PDF, its crop box the area (``crop_box``) when there is one."""
    import pymupdf

    with pymupdf.open(pdf_path) as pdf, pymupdf.open() as one:
        one.insert_pdf(pdf, from_page=page - 1, to_page=page - 1)
        if area is not None:
            target = one[0]
            if target.rotation:
                raise ValueError(f"{pdf_path.name}: a rotated page (its area would need turning)")
            target.set_cropbox(pymupdf.Rect(crop_box(page_words(target), area, truth, tuple(target.rect))))
        one.save(out, garbage=3, deflate=True)


def build(folder: Path) -> dict[str, dict]:
    """Every test's page cut out (``pages/``) and the truth (``truth.json``: doc_id -> repository, PDF, page,
    area, crop box, tables)."""
    import pymupdf

    truth = {}
    (folder / "pages").mkdir(exist_ok=True)
    for test in TESTS:
        pdf = folder / repo_folder(test.repo) / test.pdf
        if not pdf.is_file():
            continue
        rows, area = expected_truth(folder, test)
        out = folder / "pages" / f"{test.doc_id}.pdf"
        cut_page(pdf, test.page, area, rows, out)
        with pymupdf.open(out) as one:
            crop = tuple(one[0].cropbox) if area else None
        truth[test.doc_id] = {"repo": test.repo, "pdf": test.pdf, "page": test.page, "area": area,
                              "crop": crop, "tables": [grid_from_rows(rows)]}
    (folder / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=0), encoding="utf-8")
    return truth


def read_truth(folder: Path) -> dict[str, dict]:
    """The suite's truth, built once from the repositories' files when prepare has not written it."""
    path = folder / "truth.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else build(folder)


def skipped(folder: Path) -> dict[str, str]:
    """The tests whose PDF the folder lacks, and where prepare takes it from."""
    commits = dict((EXTRACTOR, TABULA_PY))
    return {t.doc_id: f"no {repo_folder(t.repo)}/{t.pdf} in {folder} (prepare takes it from github.com/{t.repo} "
                      f"at {commits[t.repo][:12]})"
            for t in TESTS if not (folder / repo_folder(t.repo) / t.pdf).is_file()}
