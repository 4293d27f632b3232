"""The tagged suite: truth rules on tagged PDFs written here, a real page when the cache has it, the split, prepare."""

import json
import subprocess
from pathlib import Path

import pymupdf
import pytest

from tools.eval_quality import suites, tagged
from tools.eval_quality.suites import DEV, HELD_OUT, default_folder, read_tagged, split_of


def tagged_pdf(rows: list[list[str | None]], lefts: list[list[float]] | None = None,
               attributes: dict[tuple[int, int], str] | None = None, class_map: str = "") -> bytes:
    """A one-page PDF whose structure tree is one Table of TRs of TDs, in the order given; each TD one
    marked-content run (an empty cell a space) drawn at its left edge (``lefts``, default by column), a None cell a
    TD with nothing drawn (no content at all); ``attributes`` adds entries to a TD's dictionary (row, column ->
    "/A <<...>>" or "/C /name"), ``class_map`` is the StructTreeRoot's /ClassMap dictionary."""
    attributes = attributes or {}
    doc = pymupdf.open()
    page = doc.new_page(width=400, height=300)
    doc.xref_set_key(page.xref, "Resources", "<</Font<</F1<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>>>>>")
    ops, mcids, mcid = [], [], 0
    for r, row in enumerate(rows):
        mcids.append([])
        for c, text in enumerate(row):
            if text is None:
                mcids[-1].append(None)
                continue
            x = lefts[r][c] if lefts else 20 + 90 * c
            ops.append(f"/TD <</MCID {mcid}>> BDC BT /F1 10 Tf {x} {260 - 20 * r} Td ({text or ' '}) Tj ET EMC")
            mcids[-1].append(mcid)
            mcid += 1
    content = doc.get_new_xref()
    doc.update_object(content, "<<>>")
    doc.update_stream(content, "\n".join(ops).encode())
    doc.xref_set_key(page.xref, "Contents", f"{content} 0 R")
    root, table = doc.get_new_xref(), doc.get_new_xref()
    rows_refs, parents = [], {}
    for r, row in enumerate(mcids):
        tr = doc.get_new_xref()
        cells = []
        for c, m in enumerate(row):
            td = doc.get_new_xref()
            kids = f"/K {m}" if m is not None else ""
            doc.update_object(td, f"<</Type/StructElem/S/TD/P {tr} 0 R{kids}/Pg {page.xref} 0 R"
                                  f"{attributes.get((r, c), '')}>>")
            cells.append(f"{td} 0 R")
            if m is not None:
                parents[m] = td
        doc.update_object(tr, f"<</Type/StructElem/S/TR/P {table} 0 R/K [{' '.join(cells)}]>>")
        rows_refs.append(f"{tr} 0 R")
    doc.update_object(table, f"<</Type/StructElem/S/Table/P {root} 0 R/K [{' '.join(rows_refs)}]>>")
    tree = " ".join(f"{parents[m]} 0 R" for m in sorted(parents))
    doc.update_object(root, f"<</Type/StructTreeRoot/K [{table} 0 R]/ParentTree <</Nums [0 [{tree}]]>>"
                            f"{'/ClassMap ' + class_map if class_map else ''}>>")
    doc.xref_set_key(page.xref, "StructParents", "0")
    doc.xref_set_key(doc.pdf_catalog(), "StructTreeRoot", f"{root} 0 R")
    doc.xref_set_key(doc.pdf_catalog(), "MarkInfo", "<</Marked true>>")
    return doc.tobytes()


def _tables(data: bytes) -> list:
    with pymupdf.open(stream=data) as doc:
        return tagged.page_tables(doc[0])


def test_title_row_empty_row_and_empty_column_are_dropped():
    rows = [["Prices 2024", "", ""], ["Item", "", "Price"], ["Tea", "", "3.50"], ["", "", ""], ["Cake", "", "4.00"]]
    assert _tables(tagged_pdf(rows)) == [[["Item", "Price"], ["Tea", "3.50"], ["Cake", "4.00"]]]


def test_cells_tagged_in_drawing_order_are_read_left_to_right():
    """Excel tags a row's cells in the order it drew them: the second row's cells are tagged right to left."""
    rows = [["Date", "City", "Count"], ["12", "Oakland", "03/01"]]
    lefts = [[20, 110, 200], [200, 110, 20]]
    assert _tables(tagged_pdf(rows, lefts)) == [[["Date", "City", "Count"], ["03/01", "Oakland", "12"]]]


def test_ragged_and_small_tables_are_left_out():
    assert _tables(tagged_pdf([["Group heading"], ["a", "b"], ["c", "d"]])) == []  # a span: columns unknown
    assert tagged.truth_table([["a", "b"], ["c", ""]]) is None  # 3 cells with text
    assert tagged.truth_table([["a", "b", "c"]]) is None  # one row
    assert tagged.truth_table([["a", ""], ["b", ""], ["c", ""]]) is None  # one column with text
    # an empty row with more cells than the rows with text is dropped, not read as a wider grid
    assert tagged.truth_table([["a", "b"], ["c", "d"], ["", "", "", ""]]) == [["a", "b"], ["c", "d"]]
    assert tagged.truth_table([["Title", ""], ["a", "b"], ["c", "d"]]) == [["a", "b"], ["c", "d"]]


def _cells(*rows: str) -> list[list[tagged.Cell]]:
    """Rows of cells written "text:cols:rows" (spans 1 where left out), separated by "|"."""
    def cell(spec: str) -> tagged.Cell:
        text, cols, rows = (spec.split(":") + ["1", "1"])[:3]
        return tagged.Cell(text, None, int(cols), int(rows))
    return [[cell(spec) for spec in row.split("|")] for row in rows]


def test_span_grid_places_col_and_row_spans_text_in_their_first_slot():
    rows = _cells("Year:1:2|Sales:2", "North|South", "2023|4|5", "2024|6|7")
    assert tagged.span_grid(rows) == [["Year", "Sales", ""], ["", "North", "South"], ["2023", "4", "5"],
                                      ["2024", "6", "7"]]
    # a RowSpan holds its column in the rows below; one past the table's last row is cut there
    rows = _cells("a|b:1:2|c", "d|e", "f:1:5|g|h")
    assert tagged.span_grid(rows) == [["a", "b", "c"], ["d", "", "e"], ["f", "g", "h"]]


def test_span_grid_leaves_out_rows_still_ragged_after_their_spans():
    assert tagged.span_grid(_cells("Group heading", "a|b", "c|d")) is None  # no ColSpan: columns unknown
    assert tagged.span_grid(_cells("Group heading:2", "a|b", "c|d")) == [["Group heading", ""], ["a", "b"],
                                                                        ["c", "d"]]
    assert tagged.span_grid(_cells("a|b|c", "d:2|e|f")) is None  # four columns against three
    assert tagged.span_grid(_cells("a|b", "c|d", "||")) == [["a", "b", ""], ["c", "d", ""], ["", "", ""]]


def test_row_cells_move_a_cell_with_its_spans():
    row = [tagged.Cell("right", 200.0), tagged.Cell("", None, 2), tagged.Cell("left", 20.0, 3)]
    assert tagged.row_cells(row) == [tagged.Cell("left", 20.0, 3), tagged.Cell("", None, 2), tagged.Cell("right", 200.0)]


def test_spans_are_read_from_the_attributes_and_the_class_map():
    """ColSpan in /A (a dictionary, or an array of them with revision numbers), in a class of the ClassMap; an
    attribute owned by another owner (/Layout) is no span."""
    rows = [["Title"], ["a", "b"], ["c", "d"], ["Total"]]
    for attribute in ("/A <</O/Table/ColSpan 2>>", "/A [<</O/Layout/Placement/Block>> 0 <</O/Table/ColSpan 2>> 0]",
                      "/C /wide"):
        pdf = tagged_pdf(rows, attributes={(0, 0): attribute, (3, 0): attribute},
                         class_map="<</wide <</O/Table/ColSpan 2>>>>")
        assert _tables(pdf) == [[["a", "b"], ["c", "d"], ["Total", ""]]]
    # the same rows with the span owned by /Layout: a row of one cell against rows of two
    assert _tables(tagged_pdf([["a", "b"], ["Total"]], attributes={(1, 0): "/A <</O/Layout/ColSpan 2>>"})) == []


def test_a_cell_with_nothing_drawn_is_read_from_the_tree():
    """PyMuPDF leaves out a TD with no content on the page; the tree holds it, so its row keeps its width."""
    assert _tables(tagged_pdf([["a", "b", "c"], ["d", None, "f"], [None, None, "g"]])) == [
        [["a", "b", "c"], ["d", "", "f"], ["", "", "g"]]]


def test_cell_text_is_its_lines_joined_by_single_spaces():
    node = {"blocks": [{"type": 0, "lines": [{"spans": [{"text": "Total  "}, {"text": "wages"}]},
                                               {"spans": [{"text": " paid"}]}]},
                       {"type": 2, "std": "P", "blocks": [{"type": 0, "lines": [{"spans": [{"text": "in 2013"}]}]}]}]}
    assert tagged.node_text(node) == "Total wages paid in 2013"


def test_build_cuts_each_page_with_a_kept_table_and_reads_it_back(tmp_path, monkeypatch):
    pdf = pymupdf.open(stream=tagged_pdf([["a", "b"], ["c", "d"]]))
    pdf.insert_pdf(pymupdf.open(stream=tagged_pdf([["x"], ["y"]])))  # page 2: tags not copied, no table
    monkeypatch.setattr(tagged, "FILES", (("o/r", "0" * 40, "t.pdf", "made"),))
    (tmp_path / "o+r").mkdir()
    pdf.save(tmp_path / "o+r" / "t.pdf")
    truth = tagged.build(tmp_path)
    assert list(truth) == ["made-p1"] and truth["made-p1"]["tables"] == [[["a", "b"], ["c", "d"]]]
    assert json.loads((tmp_path / "truth.json").read_text()) == truth
    docs = read_tagged(tmp_path)
    assert [(d.doc_id, d.truth_tables) for d in docs] == [("made-p1", [(1, [["a", "b"], ["c", "d"]])])]
    with pymupdf.open(docs[0].pdf) as page:
        assert page.page_count == 1


def test_the_split_spreads_a_long_pdfs_pages_over_both_parts():
    parts = {split_of("tagged", f"pub15-p{n}") for n in range(1, 20)}
    assert parts == {DEV, HELD_OUT}


VARIOUS = tagged.local_path(tagged.TIKA[0], tagged.FILES[2][2])


@pytest.mark.skipif(not (default_folder("tagged") / VARIOUS).is_file(), reason="tagged suite not prepared")
def test_a_real_word_table_from_the_cache():
    """Tika's testPDFVarious.pdf (Word 2007; its page is in the development part): a 2x3 table."""
    assert split_of("tagged", "various-p1") == DEV
    with pymupdf.open(default_folder("tagged") / VARIOUS) as doc:
        assert tagged.page_tables(doc[0]) == [[["Row 1 Col 1", "Row 1 Col 2", "Row 1 Col 3"],
                                               ["Row 2 Col 1", "Row 2 Col 2", "Row 2 Col 3"]]]


CMS = tagged.local_path(tagged.PYMUPDF[0], "tests/resources/cms-etc-filled.pdf")
INVOICE = tagged.local_path(tagged.ODL[0], tagged._UA + "02_Invoice.pdf")


def _shown_only(page) -> list:
    """The page's tables read from PyMuPDF's structure output alone (no tree: no spans, no undrawn cells)."""
    blocks = page.get_text("dict", flags=pymupdf.TEXT_COLLECT_STRUCTURE)
    return [tagged.span_grid(tagged.tagged_rows(block)) for block, _ in tagged.table_nodes(blocks)]


@pytest.mark.skipif(not (default_folder("tagged") / CMS).is_file(), reason="tagged suite (with PyMuPDF's) not prepared")
def test_a_real_table_with_a_column_span_from_the_cache():
    """CMS-1490S p17 (InDesign; development part): the caption row above the table and the row below it are
    cells with ColSpan 2 (/A, owner /Table) over a two-column table; PyMuPDF's output alone makes it ragged."""
    assert split_of("tagged", "cms-claim-p17") == DEV
    with pymupdf.open(default_folder("tagged") / CMS) as doc:
        (table,) = tagged.page_tables(doc[16])
        assert _shown_only(doc[16]) == [None]
    foreign = "FOREIGN TRAVEL (INCLUDING CANADA AND MEXICO) AND SHIPBOARD SERVICES"
    assert table[0] == ["If you live in:", "Mail your claim form, itemized bill and supporting documents to:"]
    assert [row[0] for row in table[1:]] == ["Pennsylvania", "Puerto Rico", "Rhode Island", "South Carolina",
                                             "South Dakota", "Tennessee", "Texas", "Utah", "Vermont", "Virginia",
                                             foreign]
    assert table[-1] == [foreign, ""] and all(row[1] for row in table[:-1])


@pytest.mark.skipif(not (default_folder("tagged") / INVOICE).is_file(), reason="tagged suite not prepared")
def test_a_real_table_with_undrawn_cells_from_the_cache():
    """The PDF/UA reference suite's invoice (development part): the total row's first four TDs draw nothing, so
    PyMuPDF leaves them out; the tree holds them and the row keeps its five columns."""
    assert split_of("tagged", "ua-invoice-p1") == DEV
    with pymupdf.open(default_folder("tagged") / INVOICE) as doc:
        (table,) = tagged.page_tables(doc[0])
        assert _shown_only(doc[0]) == [None]
    assert table[0] == ["ITEM", "DESCRIPTION", "QUANTITY", "PRICE (€)", "AMOUNT (€)"]
    assert table[1] == ["1", "Super Kite", "2", "20.00", "40.00"] and len(table) == 9
    assert table[-1] == ["", "", "", "", "845.00"]


def test_each_file_is_taken_at_one_commit_and_prepare_takes_every_pinned_commit():
    paths = [(repo, path) for repo, _, path, _ in tagged.FILES]
    assert len(paths) == len(set(paths))
    pinned = {(s.repo, s.commit): s.files for s in (suites.SOURCES["tagged"], *suites.MORE_SOURCES["tagged"])}
    assert set(pinned) == set(tagged.pinned()) and len(tagged.pinned()) == 6
    assert sorted(f for files in pinned.values() for f in files) == sorted(path for _, path in paths)


def _repo(path: Path, files: dict[str, bytes]) -> str:
    """A git repository holding the files in one commit; its id."""
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    for name, data in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_bytes(data)
    git = ["git", "-C", str(path), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "files"], check=True)
    return subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()


def test_prepare_takes_each_repositorys_files_from_a_folder_of_clones(tmp_path, monkeypatch):
    table = tagged_pdf([["a", "b"], ["c", "d"]])
    one = _repo(tmp_path / "clones" / "o+one" / "repo", {"docs/t.pdf": table, "other.pdf": b"%PDF-"})
    two = _repo(tmp_path / "clones" / "two", {"u.pdf": table})
    sources = {"tagged": suites.Source("o/one", one, "", "MIT", "tags", ("docs/t.pdf",))}
    monkeypatch.setattr(suites, "SOURCES", sources)
    monkeypatch.setattr(suites, "MORE_SOURCES", {"tagged": (suites.Source("p/two", two, "", "MIT", "tags", ("u.pdf",)),)})
    monkeypatch.setattr(tagged, "FILES", (("o/one", one, "docs/t.pdf", "one"), ("p/two", two, "u.pdf", "two")))
    dest = suites.prepare("tagged", tmp_path / "clones", tmp_path / "suite")
    assert (dest / "o+one" / "docs" / "t.pdf").read_bytes() == table and not (dest / "o+one" / "other.pdf").exists()
    assert sorted(json.loads((dest / "truth.json").read_text())) == ["one-p1", "two-p1"]
    assert "github.com/p/two" in (dest / "SOURCE.txt").read_text()
    monkeypatch.setattr(suites, "MORE_SOURCES", {"tagged": (suites.Source("p/two", two, "", "MIT", "tags",
                                                                           ("u.pdf", "gone.pdf")),)})
    with pytest.raises(SystemExit, match="gone.pdf"):
        suites.prepare("tagged", tmp_path / "clones", tmp_path / "refused")
    assert not (tmp_path / "refused").exists()  # nothing written unless every file is found
    with pytest.raises(SystemExit, match="no clone of github.com/q/three"):
        suites.clone_in(tmp_path / "clones", "q/three")
