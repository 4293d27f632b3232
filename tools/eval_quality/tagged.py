"""The ``tagged`` suite: tables whose truth is the PDF's own structure tree.

Tagged PDFs (PDF/UA, Office and XSL-FO exports) carry a structure tree that the *authoring application* wrote
(Excel, Word, an XSL-FO formatter, the PDF/UA reference suite's tools): ``Table`` elements holding ``TR`` rows
(directly or in ``THead``/``TBody``/``TFoot``) of ``TH``/``TD`` cells. No PDF extractor made them and nobody
drew them by hand; they are what the author's tool declared a table. PyMuPDF reads them per page
(``get_text("dict", flags=TEXT_COLLECT_STRUCTURE)``: blocks of type 2 with the standard role name, ``std``,
nesting the page's text blocks). It gives no attributes: ColSpan/RowSpan are not read.

The truth rules, fixed from the tags alone before any system was run on the suite (nothing tuned to a system's
output):

- a table is read per page: a table split over pages is one table on each page, with the rows tagged there;
  a table inside a cell is part of that cell's text;
- a row is its ``TH``/``TD`` children; a cell's text is all text under it, its lines joined by single spaces
  (whitespace collapsed); the cells with text are put in the order of their left edges (Excel tags a row's
  cells in drawing order: ``row_cells``);
- a table whose rows with text hold different numbers of cells is left out: a cell spanning columns (ColSpan,
  which PyMuPDF does not give) or empty cells left out of the tree (Excel) make its columns unknown from the
  tags (``ragged``);
- rows with no text are dropped, then columns with no text;
- leading rows holding a single non-empty cell (a title set inside the table) are dropped;
- a table is kept only with at least 2 rows, 2 columns and 4 non-empty cells left.

A document is one page holding at least one kept table, cut out alone as a one-page PDF (``pages/``; doc_id
``pub15-p44``), so the suite's split by hash spreads a long PDF over both parts. The truth is written once, at
prepare time, to ``truth.json`` beside the pages. Measured by TEDS, as the other table suites.
"""

from __future__ import annotations

import json
from pathlib import Path

from tools.eval_quality.teds import Table, grid_from_cells

# (repository, commit, path, short name): the tagged PDFs; prepare copies each to OWNER+NAME/PATH in the suite's
# folder, and its pages are named by the short name
TIKA = ("apache/tika", "2b70202aaec3db48fd5ff4d996d974444a750a11")
PDFPLUMBER = ("jsvine/pdfplumber", "147f2c4c07dc1191fc1d05bb589b4f6af3aaf74a")
ODL = ("opendataloader-project/opendataloader-pdf", "20fe436c9f95b1697e5bb7c54e71efd10507c9c9")
UNSTRUCTURED = ("Unstructured-IO/unstructured", "3e5482bfcdc843b5218ad98d2845b4b71ab013b7")
_TIKA_PDF = "tika-parsers/tika-parsers-standard/tika-parsers-standard-modules/tika-parser-pdf-module/src/test/resources/"
_UA = "samples/pdf/pdfua-1-reference-suite-1-1/PDFUA-Ref-2-"
FILES = (
    (*TIKA, "tika-app/src/test/resources/test-data/testPDF_childAttachments.pdf", "pub15"),
    (*TIKA, _TIKA_PDF + "test-documents/testJournalParser.pdf", "journal"),
    (*TIKA, _TIKA_PDF + "test-documents/testPDFVarious.pdf", "various"),
    (*PDFPLUMBER, "tests/pdfs/WARN-Report-for-7-1-2015-to-03-25-2016.pdf", "warn"),
    (*PDFPLUMBER, "examples/pdfs/ag-energy-round-up-2017-02-24.pdf", "ag-energy"),
    (*PDFPLUMBER, "tests/pdfs/150109DSP-Milw-505-90D.pdf", "milw"),
    (*PDFPLUMBER, "tests/pdfs/chelsea_pdta.pdf", "chelsea"),
    (*ODL, _UA + "02_Invoice.pdf", "ua-invoice"),
    (*ODL, _UA + "05_BookChapter-german.pdf", "ua-bookchapter-de"),
    (*ODL, _UA + "08_BookChapter.pdf", "ua-bookchapter"),
    (*UNSTRUCTURED, "example-docs/pdf/failure-after-repair.pdf", "unstructured-repair"),
)
MIN_ROWS, MIN_COLS, MIN_CELLS = 2, 2, 4
_CELLS = ("TH", "TD")
_ROW_GROUPS = ("THead", "TBody", "TFoot")


def _structure(node: dict) -> list[dict]:
    return [b for b in node.get("blocks", []) if b["type"] == 2]


def node_text(node: dict) -> str:
    """All text under a structure element, its lines joined by single spaces."""
    parts = []
    for block in node.get("blocks", []):
        if block["type"] == 0:
            parts += ["".join(span["text"] for span in line["spans"]) for line in block["lines"]]
        elif block["type"] == 2:
            parts.append(node_text(block))
    return " ".join(" ".join(parts).split())


def table_nodes(node: dict) -> list[dict]:
    """The outermost Table elements under a node (a table in a cell stays that cell's text)."""
    found = []
    for block in _structure(node):
        found += [block] if block["std"] == "Table" else table_nodes(block)
    return found


def row_cells(row: dict) -> list[str]:
    """A TR's TH/TD cells' texts, those with text in the order of their left edges (in the slots the cells with
    text hold; empty cells keep theirs): Excel tags a row's cells in the order it drew them, not by column
    (the WARN report's rows put "Layoff Unknown" second in one row and last in the next); the others tag them
    left to right already, so this changes nothing there."""
    cells = [cell for cell in _structure(row) if cell["std"] in _CELLS]
    texts = [node_text(cell) for cell in cells]
    filled = sorted((cell["bbox"][0], n) for n, (cell, text) in enumerate(zip(cells, texts, strict=True)) if text)
    slots = iter(texts[n] for _, n in filled)
    return [next(slots) if text else "" for text in texts]


def tagged_rows(table: dict) -> list[list[str]]:
    """The table's TR rows (directly under it or in THead/TBody/TFoot), each its cells' texts (``row_cells``)."""
    rows = []
    for block in _structure(table):
        if block["std"] == "TR":
            rows.append(row_cells(block))
        elif block["std"] in _ROW_GROUPS:
            rows += tagged_rows(block)
    return rows


def ragged(rows: list[list[str]]) -> bool:
    """Rows with text holding different numbers of cells: the tags spanned cells (ColSpan, which PyMuPDF does
    not read) or left empty cells out (Excel), so which column a cell is in is not known from them."""
    return len({len(row) for row in rows if any(row)}) > 1


def truth_table(rows: list[list[str]]) -> Table | None:
    """The truth rules (module docstring) on a table's tagged rows: the grid kept, or None."""
    if ragged(rows):
        return None
    grid = [row for row in rows if any(row)]
    width = max((len(row) for row in grid), default=0)  # an empty row may hold more cells than the rows with text
    keep = [c for c in range(width) if any(row[c] for row in grid)]
    grid = [[row[c] for c in keep] for row in grid]
    while grid and sum(bool(cell) for cell in grid[0]) == 1:
        grid = grid[1:]
    cells = sum(bool(cell) for row in grid for cell in row)
    if len(grid) < MIN_ROWS or len(keep) < MIN_COLS or cells < MIN_CELLS:
        return None
    return grid_from_cells([(r, c, r, c, text) for r, row in enumerate(grid) for c, text in enumerate(row)])


def page_tables(page) -> list[Table]:
    """A PyMuPDF page's kept truth tables, in the tree's order."""
    import pymupdf

    tree = page.get_text("dict", flags=pymupdf.TEXT_COLLECT_STRUCTURE)
    tables = [truth_table(tagged_rows(node)) for node in table_nodes(tree)]
    return [t for t in tables if t is not None]


def build(folder: Path) -> dict[str, dict]:
    """Every page of the folder's tagged PDFs with a kept table, cut out alone into ``pages/``, and the truth
    (``truth.json``: doc_id -> source name, page, tables)."""
    import pymupdf

    truth = {}
    (folder / "pages").mkdir(exist_ok=True)
    for repo, _, path, name in FILES:
        source = folder / local_path(repo, path)
        if not source.is_file():
            continue
        with pymupdf.open(source) as pdf:
            for number, page in enumerate(pdf, 1):
                tables = page_tables(page)
                if not tables:
                    continue
                doc_id = f"{name}-p{number}"
                with pymupdf.open() as one:
                    one.insert_pdf(pdf, from_page=number - 1, to_page=number - 1)
                    one.save(folder / "pages" / f"{doc_id}.pdf", garbage=3, deflate=True)
                truth[doc_id] = {"source": name, "page": number, "tables": tables}
    (folder / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=0), encoding="utf-8")
    return truth


def read_truth(folder: Path) -> dict[str, dict]:
    """The suite's truth, built once from the tagged PDFs when prepare has not written it."""
    path = folder / "truth.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else build(folder)


def repo_folder(repo: str) -> str:
    """The folder of the suite's folder that prepare puts a repository's files in (OWNER+NAME)."""
    return repo.replace("/", "+")


def local_path(repo: str, path: str) -> str:
    """Where prepare puts a repository's file in the suite's folder."""
    return f"{repo_folder(repo)}/{path}"


def skipped(folder: Path) -> dict[str, str]:
    """The tagged PDFs the folder lacks, and where prepare takes them from."""
    return {name: f"no {local_path(repo, path)} in {folder} (prepare takes it from github.com/{repo} at "
                  f"{commit[:12]})"
            for repo, commit, path, name in FILES if not (folder / local_path(repo, path)).is_file()}


def source_files(repo: str) -> tuple[str, ...]:
    """The suite's files in one of its repositories."""
    return tuple(path for name, _, path, _ in FILES if name == repo)
