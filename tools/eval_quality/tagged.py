"""The ``tagged`` suite: tables whose truth is the PDF's own structure tree.

Tagged PDFs (PDF/UA, Office, InDesign, LiveCycle and XSL-FO exports) carry a structure tree that the *authoring
application* wrote (Excel, Word, PowerPoint, InDesign, an XSL-FO formatter, the PDF/UA reference suite's tools):
``Table`` elements holding ``TR`` rows (directly or in ``THead``/``TBody``/``TFoot``) of ``TH``/``TD`` cells, a
cell's ColSpan/RowSpan in its attributes (owner ``/Table``). No PDF extractor made them and nobody drew them by
hand; they are what the author's tool declared a table. PyMuPDF reads the tree's text per page
(``get_text("dict", flags=TEXT_COLLECT_STRUCTURE)``: blocks of type 2 with the standard role name, ``std``,
nesting the page's text blocks, each with its ``index`` in its parent's /K) but no attributes, and it leaves out
an element with nothing drawn on the page. So the table's rows and cells are read from the tree itself
(``StructTree``, PyMuPDF's PDF objects), found by the blocks' index paths from the StructTreeRoot, and each cell's
text from the block PyMuPDF gives for it.

The truth rules, fixed from the tags alone before any system was run on the suite (nothing tuned to a system's
output; the span reading added later, from the tags alone too):

- a table is read per page: a table split over pages is one table on each page, with the rows tagged there (the
  TRs from the first to the last that has something on the page, an empty TR between them kept); a table inside
  a cell is part of that cell's text;
- a row is its ``TH``/``TD`` children in the tree, those with nothing drawn on the page empty; a cell's text is
  all text under it, its lines joined by single spaces (whitespace collapsed); the cells with text are put in
  the order of their left edges, each with its spans (Excel tags a row's cells in drawing order: ``row_cells``);
- a cell takes the first column its row has free (a RowSpan from a row above holds its columns) and spans its
  ColSpan columns and RowSpan rows (a RowSpan past the page's last row is cut there); its text goes in its first
  slot, the slots it covers stay empty (as ``teds`` compares spans: ``span_grid``);
- a table whose rows with text fill different numbers of columns, spans counted, is left out: empty cells left
  out of the tree with no span to make up for them (Excel, Publication 15's header rows) make its columns unknown
  from the tags (``ragged``);
- rows with no text are dropped, then columns with no text;
- leading rows holding a single non-empty cell (a title set inside the table) are dropped;
- a table is kept only with at least 2 rows, 2 columns and 4 non-empty cells left;
- a PDF whose kept tables were vetted by eye against the page and found wrongly tagged is left out whole
  (``LEFT_OUT``, with why).

A document is one page holding at least one kept table, cut out alone as a one-page PDF (``pages/``; doc_id
``pub15-p44``; the cut page carries no structure tree), so the suite's split by hash spreads a long PDF over both
parts. The truth is written once, at prepare time, to ``truth.json`` beside the pages. Measured by TEDS, as the
other table suites.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tools.eval_quality.teds import Table, grid_from_cells, grid_from_rows
from tools.git_clones import repo_folder

# (repository, commit, path, short name): the tagged PDFs; prepare copies each to OWNER+NAME/PATH in the suite's
# folder, and its pages are named by the short name. A repository may be pinned at more than one commit
# (opendataloader-pdf: its Korean reports are gone from the later one); a path is taken at one commit only.
TIKA = ("apache/tika", "2b70202aaec3db48fd5ff4d996d974444a750a11")
PDFPLUMBER = ("jsvine/pdfplumber", "147f2c4c07dc1191fc1d05bb589b4f6af3aaf74a")
ODL = ("opendataloader-project/opendataloader-pdf", "20fe436c9f95b1697e5bb7c54e71efd10507c9c9")
ODL_KOREAN = ("opendataloader-project/opendataloader-pdf", "76506e0e625f919dcc6873fc6a7582901136927c")
UNSTRUCTURED = ("Unstructured-IO/unstructured", "3e5482bfcdc843b5218ad98d2845b4b71ab013b7")
PYMUPDF = ("pymupdf/PyMuPDF", "53c9aaf539b4fbb6a53010d90de3a2df96e82b5e")
_TIKA_PDF = "tika-parsers/tika-parsers-standard/tika-parsers-standard-modules/tika-parser-pdf-module/src/test/resources/"
_UA = "samples/pdf/pdfua-1-reference-suite-1-1/PDFUA-Ref-2-"
_KOREAN = "src/test/resources/com/hancom/opendataloader/pdf/files/pdf/Korean/"
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
    (*ODL_KOREAN, _KOREAN + "[월간운용보고서]교보악사위대한중소형밸류증권자투자신탁1호(주식)_20230930_030400214801.pdf",
     "kr-fund-report"),
    (*ODL_KOREAN, _KOREAN + "덕신_01.TGC-50 [배관알곤]_조선선재(주).pdf", "kr-msds-tgc50"),
    (*ODL_KOREAN, _KOREAN + "세보엠이씨_04. CGA-35[용접]_조선선재(주).pdf", "kr-msds-cga35"),
    (*UNSTRUCTURED, "example-docs/pdf/failure-after-repair.pdf", "unstructured-repair"),
    (*PYMUPDF, "tests/resources/cms-etc-filled.pdf", "cms-claim"),
    (*PYMUPDF, "tests/resources/test-4055.pdf", "irs-7004"),
    (*PYMUPDF, "tests/resources/test_3848.pdf", "crane-load"),
    (*PYMUPDF, "tests/resources/test_4965.pdf", "irs-1040"),
)
# tagged PDFs whose tables the rules keep but whose tags are wrong against the page (each kept table vetted by
# eye on the page): short name -> why; none of their pages is used
LEFT_OUT = {
    "unstructured-repair": "every one of its six kept tables has the page's running foot (\"16 Cancer Council\", "
                           "\"Diagnosis 21\") tagged inside its last row, in a cell's text or (p24) as a cell of "
                           "its own that makes a third column the page does not draw",
}
MIN_ROWS, MIN_COLS, MIN_CELLS = 2, 2, 4
_CELLS = ("TH", "TD")
_ROW_GROUPS = ("THead", "TBody", "TFoot")


@dataclass(frozen=True)
class Cell:
    """A TH/TD as the tags give it: its text on the page, the left edge of that text (None where nothing of it is
    drawn on the page) and the columns and rows it spans (its Table attributes' ColSpan and RowSpan)."""

    text: str
    left: float | None = None
    cols: int = 1
    rows: int = 1


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


class StructTree:
    """A PDF's structure tree read with PyMuPDF's PDF objects (``pymupdf.mupdf``): an element's kids (its /K, in
    order: the ``index`` of PyMuPDF's structure blocks counts into it), standard role (through the RoleMap) and
    spans (ColSpan/RowSpan of its attribute dictionaries owned by /Table: /A, a dictionary or an array of them,
    then the classes of /C through the ClassMap; /A wins, as the PDF reference says)."""

    def __init__(self, doc) -> None:
        import pymupdf

        self.m = pymupdf.mupdf
        pdf = self.m.pdf_document_from_fz_document(doc.this)
        self.root = self.m.pdf_dict_getp(self.m.pdf_trailer(pdf), "Root/StructTreeRoot")
        self.roles = self.m.pdf_dict_gets(self.root, "RoleMap")
        self.classes = self.m.pdf_dict_gets(self.root, "ClassMap")

    def items(self, obj) -> list:
        """An array's items, a single object as one item, nothing for null."""
        m = self.m
        if m.pdf_is_array(obj):
            return [m.pdf_array_get(obj, i) for i in range(m.pdf_array_len(obj))]
        return [] if not obj.m_internal or m.pdf_is_null(obj) else [obj]  # a missing key gives no object at all

    def kids(self, element) -> list:
        return self.items(self.m.pdf_dict_gets(element, "K"))

    def role(self, element) -> str | None:
        """The element's standard role (its /S mapped through the RoleMap), None for what is not an element."""
        m = self.m
        if not m.pdf_is_dict(element) or not m.pdf_is_name(m.pdf_dict_gets(element, "S")):
            return None
        name = m.pdf_to_name(m.pdf_dict_gets(element, "S"))
        for _ in range(8):  # a RoleMap may chain names; a loop ends here
            mapped = m.pdf_dict_gets(self.roles, name) if m.pdf_is_dict(self.roles) else None
            if name in _TABLE_ROLES or mapped is None or not m.pdf_is_name(mapped):
                break
            name = m.pdf_to_name(mapped)
        return name

    def spans(self, element) -> tuple[int, int]:
        """(ColSpan, RowSpan) of a cell, 1 where not given."""
        m = self.m
        owned = [a for a in self.items(m.pdf_dict_gets(element, "A")) if m.pdf_is_dict(a)]
        for name in self.items(m.pdf_dict_gets(element, "C")):
            if m.pdf_is_name(name) and m.pdf_is_dict(self.classes):
                owned += [a for a in self.items(m.pdf_dict_gets(self.classes, m.pdf_to_name(name))) if m.pdf_is_dict(a)]
        owned = [a for a in owned if m.pdf_to_name(m.pdf_dict_gets(a, "O")) == "Table"]
        found = []
        for key in ("ColSpan", "RowSpan"):
            values = [m.pdf_dict_gets(a, key) for a in owned]
            found.append(next((max(1, m.pdf_to_int(v)) for v in values if m.pdf_is_int(v)), 1))
        return found[0], found[1]

    def kid(self, parent, block: dict):
        """The element a PyMuPDF structure block stands for: the parent's kid at the block's index, when it is an
        element (of the block's role, for a table's parts); else None. (Other roles are not compared: MuPDF
        1.28 names NonStruct's standard role "NonDtruct".)"""
        kids = self.kids(parent)
        element = kids[block["index"]] if 0 <= block["index"] < len(kids) else None
        role = self.role(element) if element is not None else None
        return element if role is not None and (role == block["std"] or block["std"] not in _TABLE_ROLES) else None


_TABLE_ROLES = ("Table", "TR", "TH", "TD", *_ROW_GROUPS)


def table_nodes(node: dict, tree: StructTree | None = None, element=None) -> list[tuple[dict, object]]:
    """The outermost Table elements under a node (a table in a cell stays that cell's text), each as its PyMuPDF
    block and its element in the tree (None where the tree does not hold it at the block's index path)."""
    found = []
    for block in _structure(node):
        kid = tree.kid(element, block) if tree is not None and element is not None else None
        found += [(block, kid)] if block["std"] == "Table" else table_nodes(block, tree, kid)
    return found


def row_cells(cells: list[Cell]) -> list[Cell]:
    """A TR's cells, those with text in the order of their left edges (in the slots the cells with text hold;
    empty cells keep theirs; a cell takes its spans along): Excel tags a row's cells in the order it drew them,
    not by column (the WARN report's rows put "Layoff Unknown" second in one row and last in the next); the
    others tag them left to right already, so this changes nothing there."""
    filled = iter(sorted((cell for cell in cells if cell.text), key=lambda cell: cell.left or 0.0))
    return [next(filled) if cell.text else cell for cell in cells]


def _shown_cells(block: dict) -> list[Cell]:
    return [Cell(node_text(cell), cell["bbox"][0]) for cell in _structure(block) if cell["std"] in _CELLS]


def _tagged_cells(tree: StructTree, row, block: dict | None) -> list[Cell]:
    """A TR element's TH/TD kids in the tree's order, with their spans, each with the text PyMuPDF shows for it on
    the page (none for a cell drawn elsewhere or not at all: PyMuPDF leaves such a cell out)."""
    shown = {b["index"]: b for b in _structure(block)} if block is not None else {}
    cells = []
    for n, kid in enumerate(tree.kids(row)):
        if tree.role(kid) in _CELLS:
            cols, rows = tree.spans(kid)
            text_block = shown.get(n)
            cells.append(Cell(node_text(text_block), text_block["bbox"][0], cols, rows) if text_block is not None
                         else Cell("", None, cols, rows))
    return cells


def _tree_rows(tree: StructTree, element, path: tuple = ()) -> list[tuple[tuple, object]]:
    """The TR elements of a Table element (directly under it or in THead/TBody/TFoot), in order, with their index
    paths from the table."""
    rows = []
    for n, kid in enumerate(tree.kids(element)):
        role = tree.role(kid)
        if role == "TR":
            rows.append(((*path, n), kid))
        elif role in _ROW_GROUPS:
            rows += _tree_rows(tree, kid, (*path, n))
    return rows


def _shown_rows(table: dict, path: tuple = ()) -> dict[tuple, dict]:
    """The TR blocks PyMuPDF shows under a Table block (directly or in THead/TBody/TFoot) by their index paths."""
    rows = {}
    for block in _structure(table):
        if block["std"] == "TR":
            rows[(*path, block["index"])] = block
        elif block["std"] in _ROW_GROUPS:
            rows.update(_shown_rows(block, (*path, block["index"])))
    return rows


def tagged_rows(table: dict, tree: StructTree | None = None, element=None) -> list[list[Cell]]:
    """The table's rows on the page, each its cells (``row_cells``). Read from the tree: the TRs from the first to
    the last that PyMuPDF shows on the page (an empty row between stays, so a RowSpan above it covers it), each
    with all its TH/TD elements and their spans. Without the table's element, the TRs and cells PyMuPDF shows."""
    shown = _shown_rows(table)
    if element is None:
        return [row_cells(_shown_cells(block)) for block in shown.values()]
    rows = _tree_rows(tree, element)
    on_page = [n for n, (path, _) in enumerate(rows) if path in shown]
    if not on_page:
        return []
    return [row_cells(_tagged_cells(tree, row, shown.get(path))) for path, row in rows[on_page[0]:on_page[-1] + 1]]


def span_grid(rows: list[list[Cell]]) -> Table | None:
    """The rows as a grid, each cell placed in the first column its row has free (a RowSpan from above holds its
    columns), its text in its first slot and the slots it spans empty (as ``teds`` compares spans); None when the
    rows with text fill different numbers of columns (``ragged``)."""
    held: set[tuple[int, int]] = set()
    placed, widths = [], []
    for r, row in enumerate(rows):
        column = 0
        for cell in row:
            while (r, column) in held:
                column += 1
            rows_spanned = min(cell.rows, len(rows) - r)
            held |= {(r + dr, column + dc) for dr in range(rows_spanned) for dc in range(cell.cols)}
            placed.append((r, column, r + rows_spanned - 1, column + cell.cols - 1, cell.text))
            column += cell.cols
        if any(cell.text for cell in row):
            widths.append(len({c for (hr, c) in held if hr == r}))
    if len(set(widths)) > 1:
        return None
    return grid_from_cells(placed)


def ragged(rows: list[list[str]]) -> bool:
    """Rows with text holding different numbers of cells, their spans placed: the tags left empty cells out
    (Excel) with no span to make up for them, so which column a cell is in is not known from them."""
    return len({len(row) for row in rows if any(row)}) > 1


def truth_table(rows: list[list[str]]) -> Table | None:
    """The truth rules (module docstring) on a table's grid (``span_grid``): the grid kept, or None."""
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
    return grid_from_rows(grid)


def page_tables(page) -> list[Table]:
    """A PyMuPDF page's kept truth tables, in the tree's order."""
    import pymupdf

    tree = StructTree(page.parent)
    blocks = page.get_text("dict", flags=pymupdf.TEXT_COLLECT_STRUCTURE)
    grids = [span_grid(tagged_rows(block, tree, element))
             for block, element in table_nodes(blocks, tree, tree.root if tree.m.pdf_is_dict(tree.root) else None)]
    tables = [truth_table(grid) for grid in grids if grid is not None]
    return [t for t in tables if t is not None]


def build(folder: Path) -> dict[str, dict]:
    """Every page of the folder's tagged PDFs with a kept table, cut out alone into ``pages/``, and the truth
    (``truth.json``: doc_id -> source name, page, tables)."""
    import pymupdf

    truth = {}
    (folder / "pages").mkdir(exist_ok=True)
    for repo, _, path, name in FILES:
        source = folder / local_path(repo, path)
        if not source.is_file() or name in LEFT_OUT:
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


def local_path(repo: str, path: str) -> str:
    """Where prepare puts a repository's file in the suite's folder."""
    return f"{repo_folder(repo)}/{path}"


def skipped(folder: Path) -> dict[str, str]:
    """The tagged PDFs the folder lacks, and where prepare takes them from."""
    return {name: f"no {local_path(repo, path)} in {folder} (prepare takes it from github.com/{repo} at "
                  f"{commit[:12]})"
            for repo, commit, path, name in FILES if not (folder / local_path(repo, path)).is_file()}


def source_files(repo: str, commit: str) -> tuple[str, ...]:
    """The suite's files in one of its repositories at one of its pinned commits."""
    return tuple(path for name, at, path, _ in FILES if (name, at) == (repo, commit))


def pinned() -> tuple[tuple[str, str], ...]:
    """Each (repository, commit) the suite's files come from, in FILES' order."""
    return tuple(dict.fromkeys((repo, commit) for repo, commit, _, _ in FILES))
