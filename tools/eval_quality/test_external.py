"""The external suites' readers and measures: TEDS, Markdown tables, text similarity, the held-out split."""

import json
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from tools.eval_quality import external, latexml
from tools.eval_quality.external import EXTERNAL, plain_text, score_doc, text_similarity
from tools.eval_quality.suites import (
    DEV,
    DOCLING_PAPERS,
    HELD_OUT,
    ODF_LEFT_OUT,
    READERS,
    SOURCES,
    TABULA_TABLES,
    default_folder,
    docling_tables,
    git_blob_id,
    load,
    prepare,
    read_camelot,
    read_docling_odf,
    read_docling_papers,
    read_icdar2013,
    read_pdfbox,
    read_tabula,
    region_cells,
    skipped,
    split_of,
)
from tools.eval_quality.teds import best_teds, grid_from_cells, markdown_tables, teds

pytest.importorskip("apted")

MARKDOWN = """Some text before.

| Region | 2019 | 2020 |
|---|---:|---:|
| North | 1.5 | 2.0 |
| **South** | 3 | 4 |

After.
"""
ICDAR = """<?xml version="1.0" encoding="UTF-8"?>
<document filename="x-str.xml"><table id="1"><region id="1" page="2">
<cell id="1" start-col="0" start-row="0" end-col="1"><content>Name and place</content></cell>
<cell id="2" start-col="0" start-row="1"><content>a</content></cell>
<cell id="3" start-col="1" start-row="1"><content>b</content></cell>
</region></table></document>
"""


def test_markdown_tables_are_read_without_their_rule_and_emphasis():
    assert markdown_tables(MARKDOWN) == [[["Region", "2019", "2020"], ["North", "1.5", "2.0"], ["South", "3", "4"]]]
    assert markdown_tables("<table><tr><th>a</th><td>b &amp; c</td></tr></table>") == [[["a", "b & c"]]]
    # Docling's export (the docling suite's truth) writes its delimiter row with one dash a cell
    assert markdown_tables("| a | b |\n| - | - |\n| - | 2 |\n| - | - |") == [[["a", "b"], ["-", "2"], ["-", "-"]]]


def test_teds_is_one_for_the_same_table_and_falls_with_each_difference():
    table = [["a", "b"], ["c", "d"]]
    assert teds(table, table) == 1.0
    one_cell = teds(table, [["a", "b"], ["c", "x"]])
    columns_as_rows = teds(table, [["a"], ["c"], ["b"], ["d"]])
    assert 0.8 < one_cell < 1.0
    assert columns_as_rows < one_cell
    assert best_teds(table, []) == 0.0
    assert best_teds(table, [[["z"]], table]) == 1.0


def test_a_spanning_cell_is_compared_as_its_grid():
    assert grid_from_cells([(0, 0, 0, 1, "Name"), (1, 0, 1, 0, "a"), (1, 1, 1, 1, "b")]) == [["Name", ""],
                                                                                           ["a", "b"]]


def test_text_similarity_ignores_markup_and_counts_words_and_order():
    assert plain_text("## Title\n\n- item **bold**\n<!-- image -->\n| a | b |\n|---|---|") == "Title item bold a b"
    assert text_similarity("# Title\n\nOne two three.", "Title One two three.") == 1.0
    assert text_similarity("one two three four", "four three two one") < 0.8
    assert text_similarity("\ufeffOne word", "One word") == 1.0  # a truth file's byte-order mark is no text


def test_the_held_out_third_is_fixed_by_the_names():
    parts = [split_of("suite", f"doc-{i}") for i in range(300)]
    assert parts == [split_of("suite", f"doc-{i}") for i in range(300)]
    assert 80 < parts.count(HELD_OUT) < 120 and parts.count(DEV) + parts.count(HELD_OUT) == 300


def test_an_icdar_region_is_numbered_from_zero_after_its_increments():
    import xml.etree.ElementTree as ET

    # as us-019 writes its header (row -1, increment 1) and us-039 its cells (from 1, no increment)
    shifted = ET.fromstring('<region row-increment="1" col-increment="0" page="2">'
                            '<cell start-row="-1" start-col="0"><content>Variable</content></cell>'
                            '<cell start-row="0" start-col="0"><content>Population</content></cell></region>')
    from_one = ET.fromstring('<region row-increment="0" col-increment="0" page="2">'
                             '<cell start-row="1" start-col="1"><content>Organism</content></cell>'
                             '<cell start-row="2" start-col="2" end-row="2" end-col="3"><content>57</content></cell>'
                             '</region>')
    assert region_cells(shifted) == [(0, 0, 0, 0, "Variable"), (1, 0, 1, 0, "Population")]
    assert region_cells(from_one) == [(0, 0, 0, 0, "Organism"), (1, 1, 1, 2, "57")]
    assert region_cells(ET.fromstring("<region/>")) == []


def test_icdar_and_pdfbox_folders_are_read_and_scored(tmp_path: Path):
    (tmp_path / "x-str.xml").write_text(ICDAR)
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "y.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "y.pdf-sorted.txt").write_text("Hello world\n")
    [icdar] = read_icdar2013(tmp_path)
    assert icdar.truth_tables == [(2, [["Name and place", ""], ["a", "b"]])]
    page_two = "| Name and place | |\n|---|---|\n| a | b |"
    assert score_doc(icdar, ["", page_two]) == {"teds": [1.0]}
    assert score_doc(icdar, [page_two, ""]) == {"teds": [0.0]}  # a table on another page is not the table
    [pdfbox] = read_pdfbox(tmp_path)
    assert score_doc(pdfbox, ["Hello", "world"]) == {"text": 1.0}
    assert score_doc(pdfbox, None) == {"text": 0.0}


PAPER_TRUTH = """## A paper

Text of the paper.

Table 1: Results.

| Model | TEDS |
| - | - |
| A | 0.9 |
"""


def test_the_suites_are_declared_once():
    assert EXTERNAL == tuple(READERS) == tuple(SOURCES)
    readme = (Path(__file__).parent / "README.md").read_text()
    assert all(f"| `{suite}` |" in readme for suite in EXTERNAL)  # each has its row in the README's table


def test_docling_papers_are_read_from_docling_s_own_layout_and_scored(tmp_path: Path):
    (tmp_path / "sources").mkdir()
    (tmp_path / "groundtruth").mkdir()
    (tmp_path / "sources" / "2206.01062.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "sources" / "other.pdf").write_bytes(b"%PDF-1.4")  # no truth: not a document of the suite
    (tmp_path / "groundtruth" / "2206.01062.md").write_text(PAPER_TRUTH)
    [paper] = read_docling_papers(tmp_path)
    assert (paper.suite, paper.doc_id, paper.truth_tables) == (
        "docling-papers", "2206.01062", [(None, [["Model", "TEDS"], ["A", "0.9"]])])
    written = "A paper\n\nText of the paper.\n\nTable 1: Results.\n\n| Model | TEDS |\n|---|---|\n| A | 0.9 |"
    scores = score_doc(paper, ["", written])
    assert scores["teds"] == [1.0]  # a truth table's page is not known: any page's table may be it
    assert scores["text"] > 0.95  # (the truth's one-dash rule row `| - | - |` stays in its plain text)


def test_the_papers_split_is_fixed_and_keeps_the_docling_suite_s_page_on_the_same_side():
    assert {paper: split_of("docling-papers", paper) for paper in DOCLING_PAPERS} == {
        "2203.01017v2": HELD_OUT, "2206.01062": DEV, "2305.03393v1": DEV}
    # the docling suite holds page 9 of 2305.03393v1: both are development documents, nothing held out leaks
    assert split_of("docling", "2305.03393v1-pg9") == DEV


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def test_prepare_copies_only_the_papers_at_the_pinned_commit(tmp_path: Path, monkeypatch):
    clone = tmp_path / "docling"
    folder = clone / "tests" / "data" / "pdf"
    for name in SOURCES["docling-papers"].files + ("sources/normal_4pages.pdf", "groundtruth/normal_4pages.md"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("{}" if name.endswith(".json") else name)
    _git(clone, "init", "-q")
    _git(clone, "add", ".")
    _git(clone, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "data")
    commit = _git(clone, "rev-parse", "HEAD").strip()
    monkeypatch.setitem(SOURCES, "docling-papers", replace(SOURCES["docling-papers"], commit=commit))
    dest = prepare("docling-papers", clone, tmp_path / "out")
    copied = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())
    assert copied == sorted((*SOURCES["docling-papers"].files, "SOURCE.txt"))
    assert commit in (dest / "SOURCE.txt").read_text()
    assert [d.doc_id for d in load("docling-papers", dest)] == list(DOCLING_PAPERS)


def test_prepare_takes_a_file_the_clone_lacks_only_from_an_identical_copy(tmp_path: Path, monkeypatch):
    clone = tmp_path / "docling"
    folder = clone / "tests" / "data" / "pdf"
    for name in SOURCES["docling-papers"].files:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(name)
    _git(clone, "init", "-q")
    _git(clone, "add", ".")
    _git(clone, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "data")
    monkeypatch.setitem(SOURCES, "docling-papers", replace(
        SOURCES["docling-papers"], commit=_git(clone, "rev-parse", "HEAD").strip()))
    big = "sources/2206.01062.pdf"
    blob = _git(clone, "rev-parse", f"HEAD:tests/data/pdf/{big}").strip()
    assert blob == git_blob_id(big.encode())
    (clone / ".git" / "objects" / blob[:2] / blob[2:]).unlink()  # a snapshot without its large files
    with pytest.raises(SystemExit, match="lacks the contents of sources/2206.01062.pdf"):
        prepare("docling-papers", clone, tmp_path / "out")
    assert not (tmp_path / "out").exists()  # nothing written: never a suite short of a document
    copies = tmp_path / "copies"
    copies.mkdir()
    (copies / "2206.01062.pdf").write_text("another version of the paper")
    with pytest.raises(SystemExit, match="lacks the contents"):
        prepare("docling-papers", clone, tmp_path / "out", copies)
    (copies / "2206.01062.pdf").write_text(big)
    dest = prepare("docling-papers", clone, tmp_path / "out", copies)
    assert (dest / big).read_text() == big


def test_a_suite_not_prepared_is_named_in_the_report_as_not_run(tmp_path: Path):
    report = external.run(["docling-papers"], [], tmp_path, folders={"docling-papers": tmp_path / "absent"},
                          log=lambda _: None)
    assert "docling-papers" in report["not_run"]
    assert "| docling-papers | | | not run" in (tmp_path / "report.md").read_text()


def test_the_prepared_papers_are_the_three_with_tables():
    folder = default_folder("docling-papers")
    if not folder.is_dir():
        pytest.skip(f"docling-papers not prepared ({folder})")
    papers = load("docling-papers")
    assert [d.doc_id for d in papers] == list(DOCLING_PAPERS)
    assert all(d.truth_text and d.truth_tables for d in papers)


def _cell(row: int, col: int, text: str, rows: int = 1, cols: int = 1) -> dict:
    return {"start_row_offset_idx": row, "end_row_offset_idx": row + rows, "start_col_offset_idx": col,
            "end_col_offset_idx": col + cols, "text": text}


# the head of Table 1 of arXiv 2305.03393 (the docling suite's 2305.03393v1-pg9, a development document): a
# group heading over three columns, the other headings two rows high, as Docling's JSON and Markdown give it
OTSL_JSON = {"tables": [{"content_layer": "body", "data": {"table_cells": [
    _cell(0, 0, "# enc-layers", rows=2), _cell(0, 1, "Language", rows=2), _cell(0, 2, "TEDs", cols=3),
    _cell(1, 2, "simple"), _cell(1, 3, "complex"), _cell(1, 4, "all"),
    _cell(2, 0, "6"), _cell(2, 1, "OTSL HTML"), _cell(2, 2, "0.965 0.969"), _cell(2, 3, "0.934 0.927"),
    _cell(2, 4, "0.955 0.955")]}}, {"content_layer": "furniture", "data": {"table_cells": [_cell(0, 0, "x")]}}]}
OTSL_MARKDOWN = """| # enc-layers | Language | TEDs | TEDs | TEDs |
| - | - | - | - | - |
| # enc-layers | Language | simple | complex | all |
| 6 | OTSL HTML | 0.965 0.969 | 0.934 0.927 | 0.955 0.955 |
"""


def test_docling_truth_tables_keep_their_spans_as_the_grid_every_writer_is_held_to(tmp_path: Path):
    grid = [["# enc-layers", "Language", "TEDs", "", ""], ["", "", "simple", "complex", "all"],
            ["6", "OTSL HTML", "0.965 0.969", "0.934 0.927", "0.955 0.955"]]
    assert docling_tables(OTSL_JSON) == [grid]  # the furniture's table is not the body's
    written = markdown_tables("| # enc-layers | Language | TEDs | | |\n|---|---|---|---|---|\n"
                              "| | | simple | complex | all |\n| 6 | OTSL HTML | 0.965 0.969 | 0.934 0.927 | 0.955 0.955 |")
    assert best_teds(grid, written) == 1.0
    assert best_teds(markdown_tables(OTSL_MARKDOWN)[0], written) < 0.85  # Markdown repeats a span's text
    (tmp_path / "sources").mkdir()
    (tmp_path / "groundtruth").mkdir()
    (tmp_path / "sources" / "2305.03393v1.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "groundtruth" / "2305.03393v1.md").write_text(OTSL_MARKDOWN)
    [paper] = read_docling_papers(tmp_path)
    assert paper.truth_tables == [(None, markdown_tables(OTSL_MARKDOWN)[0])]  # no JSON: the Markdown's tables
    (tmp_path / "groundtruth" / "2305.03393v1.json").write_text(json.dumps(OTSL_JSON))
    [paper] = read_docling_papers(tmp_path)
    assert paper.truth_tables == [(None, grid)] and paper.truth_text == OTSL_MARKDOWN


def test_the_docling_suite_s_otsl_table_keeps_its_spans_once_its_json_lies_beside_the_markdown():
    truth = default_folder("docling") / "truth" / "2305.03393v1-pg9.json"
    if not truth.is_file():
        pytest.skip(f"no Docling JSON beside the docling suite's Markdown ({truth})")
    [page] = [d for d in load("docling") if d.doc_id == "2305.03393v1-pg9"]
    assert page.split == DEV
    [(_, table)] = page.truth_tables
    assert table[:2] == [["# enc-layers", "# dec-layers", "Language", "TEDs", "", "", "mAP (0.75)",
                          "Inference time (secs)"], ["", "", "", "simple", "complex", "all", "", ""]]


def test_tabula_expected_tables_are_read_per_table_and_none_is_an_icdar_pdf(tmp_path: Path):
    (tmp_path / "json").mkdir()
    (tmp_path / "csv").mkdir()
    cell = {"top": 0.0, "left": 0.0, "width": 0.0, "height": 0.0}
    two = [{"data": [[{**cell, "text": "Animal"}, {**cell, "text": "Action"}], [{**cell, "text": "Cat"},
                                                                               {**cell, "text": "Says\rMeow"}]]},
           {"data": [[{**cell, "text": ""}], [{**cell, "text": "Fox"}]]}]
    (tmp_path / "json" / "AnimalSounds1.json").write_text(json.dumps(two))
    (tmp_path / "csv" / "MultiColumn.csv").write_text("".join(f"{i},{i + 99}\n" for i in range(1, 45)))
    for stem in ("AnimalSounds1", "MultiColumn"):
        (tmp_path / f"{stem}.pdf").write_bytes(b"%PDF-1.4")
    animals, columns = read_tabula(tmp_path)
    assert animals.truth_tables == [(1, [["Animal", "Action"], ["Cat", "Says Meow"]]), (1, [[""], ["Fox"]])]
    assert [len(t) for _, t in columns.truth_tables] == [24, 20]  # the page's two halves, one table each
    assert columns.truth_tables[1][1][0] == ["25", "124"]
    assert score_doc(animals, ["| Animal | Action |\n|---|---|\n| Cat | Says Meow |"])["teds"][0] == 1.0
    assert not [stem for stem, _, _ in TABULA_TABLES if re.fullmatch(r"(eu|us)-\d{3}", stem)]


def test_camelot_expected_tables_are_read_as_data_from_its_tests_data_py(tmp_path: Path):
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "table_region.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "data.py").write_text('# noqa\ndata_lattice_table_regions = [["Et\u00e0 \\nall\u2019epoca", "Misura"],'
                                      ' ["18-75", "1,00%"]]\ndata_copy = data_lattice_table_regions[:1]\n')
    [doc] = read_camelot(tmp_path)
    assert (doc.doc_id, doc.truth_tables) == ("table_region", [(1, [["Età all’epoca", "Misura"], ["18-75", "1,00%"]])])


# Docling's ODF truth as its reader writes it: a spreadsheet's title cell as a one-cell table, list items in cells
ODF_TRUTH = """| Number of freshwater ducks per year |
| - |

| Year | Freshwater Ducks |
| - | - |
| 2019 | 120 |
"""
ODF_JSON = {"tables": [{"content_layer": "body", "data": {"table_cells": [
    _cell(0, 0, "Number of freshwater ducks per year")]}}, {"content_layer": "body", "data": {"table_cells": [
        _cell(0, 0, "Year"), _cell(0, 1, "Freshwater Ducks"), _cell(1, 0, "2019"), _cell(1, 1, "120")]}}]}


def _odf_folder(folder: Path, with_pdf: bool = True) -> Path:
    (folder / "sources").mkdir(parents=True)
    (folder / "groundtruth").mkdir()
    (folder / "groundtruth" / "odf_table_with_title_01.ods.md").write_text(ODF_TRUTH)
    (folder / "groundtruth" / "odf_table_with_title_01.ods.json").write_text(json.dumps(ODF_JSON))
    (folder / "groundtruth" / "odf_presentation_02.odp.md").write_text("# Text\n")
    (folder / "sources" / "odf_presentation_02.odp").write_bytes(b"PK")  # the source itself is not read
    if with_pdf:
        (folder / "sources" / "odf_table_with_title_01.ods.pdf").write_bytes(b"%PDF-1.4")
    return folder


def test_odf_pairs_are_read_with_the_source_s_tables_less_those_the_pdf_draws_otherwise(tmp_path: Path):
    folder = _odf_folder(tmp_path / "odf")
    [doc] = read_docling_odf(folder)  # odf_presentation_02.odp has its truth but not its PDF
    assert (doc.suite, doc.doc_id, doc.pdf.name) == ("docling-odf", "odf_table_with_title_01.ods",
                                                       "odf_table_with_title_01.ods.pdf")
    assert doc.truth_text == ODF_TRUTH
    # the title, a one-cell table in the source, is a line of text in the PDF: left out (ODF_LEFT_OUT)
    assert doc.truth_tables == [(None, [["Year", "Freshwater Ducks"], ["2019", "120"]])]
    written = "Number of freshwater ducks per year\n\n| Year | Freshwater Ducks |\n|---|---|\n| 2019 | 120 |"
    scores = score_doc(doc, [written])
    assert scores["teds"] == [1.0] and scores["text"] > 0.95  # (the truth's `| - |` rows stay in its plain text)
    assert list(skipped("docling-odf", folder)) == ["odf_presentation_02.odp"]
    assert "no PDF sources/odf_presentation_02.odp.pdf" in skipped("docling-odf", folder)["odf_presentation_02.odp"]
    assert skipped("docling-odf", tmp_path / "absent") == {} and skipped("pdfbox", folder) == {}
    assert all(name.endswith((".odt", ".ods", ".odp")) for name, _, _ in ODF_LEFT_OUT)


def test_a_skipped_odf_document_is_named_in_the_report(tmp_path: Path):
    folder = _odf_folder(tmp_path / "odf")
    report = external.run(["docling-odf"], [], tmp_path / "out", folders={"docling-odf": folder},
                          log=lambda _: None)
    assert report["suites"]["docling-odf"]["docs"] == 1
    assert list(report["skipped"]) == ["docling-odf/odf_presentation_02.odp"]
    assert "`docling-odf/odf_presentation_02.odp`: no PDF" in (tmp_path / "out" / "report.md").read_text()


def test_prepare_writes_an_odf_suite_without_the_pdf_the_clone_lacks_and_says_so(tmp_path: Path, monkeypatch):
    clone = tmp_path / "docling"
    folder = _odf_folder(clone / "tests" / "data" / "odf", with_pdf=False)
    (folder / "sources" / "odf_table_with_title_01.ods.pdf").write_bytes(b"%PDF-1.4 ducks")
    (folder / "sources" / "odf_presentation_02.odp.pdf").write_bytes(b"%PDF-1.4 big")
    (folder / "groundtruth" / "odf_presentation_02.odp.itxt").write_text("item-0")  # not the suite's
    _git(clone, "init", "-q")
    _git(clone, "add", ".")
    _git(clone, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "data")
    monkeypatch.setitem(SOURCES, "docling-odf", replace(SOURCES["docling-odf"],
                                                        commit=_git(clone, "rev-parse", "HEAD").strip()))
    big = _git(clone, "rev-parse", "HEAD:tests/data/odf/sources/odf_presentation_02.odp.pdf").strip()
    (clone / ".git" / "objects" / big[:2] / big[2:]).unlink()  # a snapshot without its large files
    dest = prepare("docling-odf", clone, tmp_path / "out")
    copied = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())
    assert copied == ["SOURCE.txt", "groundtruth/odf_presentation_02.odp.md",
                      "groundtruth/odf_table_with_title_01.ods.json", "groundtruth/odf_table_with_title_01.ods.md",
                      "sources/odf_table_with_title_01.ods.pdf"]
    assert "missing (not in the clone): sources/odf_presentation_02.odp.pdf" in (dest / "SOURCE.txt").read_text()
    assert [d.doc_id for d in load("docling-odf", dest)] == ["odf_table_with_title_01.ods"]
    assert list(skipped("docling-odf", dest)) == ["odf_presentation_02.odp"]


def test_the_prepared_odf_suite_pairs_each_pdf_with_its_source_s_truth(tmp_path: Path):
    folder = default_folder("docling-odf")
    if not folder.is_dir():
        pytest.skip(f"docling-odf not prepared ({folder})")
    import pymupdf

    dev = [d for d in load("docling-odf") if d.split == DEV]  # never a held-out document here
    assert {d.doc_id for d in dev} >= {"odf_presentation_01.odp", "odf_table_with_title_01.ods",
                                        "text_document_01.odt"}
    for doc in dev:
        with pymupdf.open(doc.pdf) as pdf:
            words = set(plain_text(" ".join(page.get_text() for page in pdf)).split())
        truth_words = set(plain_text(doc.truth_text).split())
        assert len(truth_words & words) > 0.8 * len(truth_words), doc.doc_id  # the PDF is the source's export
    report = external.run(["docling-odf"], ["pdftotext"], tmp_path, split=DEV, log=lambda _: None)
    assert report["suites"]["docling-odf"]["systems"]["pdftotext"][DEV]["docs"] == len(dev)
    assert "| docling-odf | dev |" in (tmp_path / "report.md").read_text()


# a made-up page in LaTeXML's HTML, as arXiv serves it: navigation and footer outside the article; a title with a
# footnote; inline and display math; a list; a figure with a drawing's label; a framed box of text; a table float with a column span,
# a row span, a rule's empty row and an @{} column; an unexpanded macro; the bibliography
LATEXML_PAGE = """<!DOCTYPE html><html><head><title>A Test</title><base href="/html/2510.00001v2/"/></head><body>
<nav class="ltx_page_navbar"><nav class="ltx_TOC"><ol><li>1 Introduction</li></ol></nav></nav>
<div class="ltx_page_main"><div class="ltx_page_content"><article class="ltx_document">
<h1 class="ltx_title ltx_title_document">A Test<span class="ltx_note ltx_role_footnote"><sup class="ltx_note_mark">1</sup>
<span class="ltx_note_outer"><span class="ltx_note_content"><sup class="ltx_note_mark">1</sup>
<span class="ltx_tag ltx_tag_note">1</span>Made up.</span></span></span></h1>
<div class="ltx_authors"><span class="ltx_creator ltx_role_author"><span class="ltx_personname">Ann Author</span></span></div>
<div class="ltx_abstract"><h6 class="ltx_title ltx_title_abstract">Abstract</h6><p class="ltx_p">Short.</p></div>
<section class="ltx_section"><h2 class="ltx_title ltx_title_section"><span class="ltx_tag ltx_tag_section">1 </span>Introduction</h2>
<div class="ltx_para"><p class="ltx_p">Let <math alttext="x_{i}\\leq 1" class="ltx_Math"><semantics><mrow><msub><mi>x</mi><mi>i</mi></msub>
<mo>≤</mo><mn>1</mn></mrow><annotation encoding="application/x-tex">x_{i}\\leq 1</annotation></semantics></math>
and <math class="ltx_Math"><mrow><mi>f</mi><mo>\u2061</mo><mi>y</mi></mrow></math>.<span class="ltx_ERROR">\\undefined</span></p>
<table class="ltx_equation ltx_eqn_table"><tbody><tr class="ltx_equation ltx_eqn_row"><td class="ltx_eqn_cell">
<math class="ltx_Math"><mrow><mi>a</mi><mo>=</mo><mi>b</mi></mrow></math></td>
<td class="ltx_eqn_cell ltx_eqn_eqno"><span class="ltx_tag">(1)</span></td></tr></tbody></table></div>
<ul class="ltx_itemize"><li class="ltx_item"><span class="ltx_tag ltx_tag_item">•</span>
<div class="ltx_para"><p class="ltx_p">First point.</p></div></li></ul>
<figure class="ltx_figure"><img class="ltx_graphics" src="x1.png" alt="plot"/><svg class="ltx_picture"><text>axis</text></svg>
<figcaption class="ltx_caption"><span class="ltx_tag ltx_tag_figure">Figure 1: </span>A plot.</figcaption></figure>
<div class="ltx_para"><svg class="ltx_picture"><g><path d="M 0 0"/><foreignObject><span class="ltx_foreignobject_container">
<span class="ltx_p">Boxed prompt.</span></span></foreignObject></g></svg></div>
<figure class="ltx_table"><figcaption class="ltx_caption"><span class="ltx_tag ltx_tag_table">Table 1: </span>Scores.</figcaption>
<table class="ltx_tabular"><tr class="ltx_tr"><th class="ltx_td ltx_th" rowspan="2">Model</th>
<th class="ltx_td ltx_th" colspan="2">Score</th><td class="ltx_td"></td></tr>
<tr class="ltx_tr"><th class="ltx_td ltx_th">dev</th><th class="ltx_td ltx_th">test</th><td class="ltx_td"></td></tr>
<tr class="ltx_tr"><td class="ltx_td"></td><td class="ltx_td"></td><td class="ltx_td"></td><td class="ltx_td"></td></tr>
<tr class="ltx_tr"><td class="ltx_td">A<span class="ltx_note ltx_role_footnote"><sup class="ltx_note_mark">2</sup>
<span class="ltx_note_outer"><span class="ltx_note_content"><sup class="ltx_note_mark">2</sup>Ours.</span></span></span></td>
<td class="ltx_td">0.9</td><td class="ltx_td">0.8</td><td class="ltx_td"></td></tr></table></figure>
</section>
<section class="ltx_bibliography"><h2 class="ltx_title ltx_title_bibliography">References</h2><ul class="ltx_biblist">
<li class="ltx_bibitem"><span class="ltx_tag ltx_tag_bibitem">[1]</span>
<span class="ltx_bibblock">B. Author. A book.</span></li>
</ul></section></article></div>
<footer class="ltx_page_footer"><div class="ltx_page_logo">Generated by LaTeXML</div></footer></div></body></html>
"""


def test_a_latexml_page_is_read_as_the_paper_s_text_and_tables():
    text, tables = latexml.paper(LATEXML_PAGE)
    assert plain_text(text) == ("A Test1 1Made up. Ann Author Abstract Short. 1 Introduction Let xi ≤ 1 and fy. "
                                "a = b (1) • First point. Figure 1: A plot. Boxed prompt. Table 1: Scores. Model Score dev test "
                                "A2 0.9 0.8 Ours. References [1] B. Author. A book.")
    # the spans as the grid every writer is held to; the rule's empty row and the @{} column are no lines
    assert tables == [[["Model", "Score", ""], ["", "dev", "test"], ["A2", "0.9", "0.8"]]]
    assert latexml.version_of(LATEXML_PAGE) == "2510.00001v2"
    assert latexml.images_as_tables(LATEXML_PAGE) == 0


def _arxiv_pdf(path: Path, stamp: str) -> None:
    import pymupdf

    with pymupdf.open() as pdf:
        pdf.new_page().insert_text((40, 60), f"{stamp} [cs.CL] 1 Oct 2025")
        pdf.save(path)


def test_arxiv_pairs_are_used_only_with_their_pdf_of_the_same_version(tmp_path: Path):
    folder = tmp_path / "arxiv"
    folder.mkdir()
    for stem in ("arxiv_2510_00001", "arxiv_2510_00002", "arxiv_2510_00003"):
        (folder / f"{stem}.html").write_text(LATEXML_PAGE.replace("2510.00001", stem[6:].replace("_", ".")))
    _arxiv_pdf(folder / "arxiv_2510_00001.pdf", "arXiv:2510.00001v2")
    _arxiv_pdf(folder / "arxiv_2510_00002.pdf", "arXiv:2510.00002v1")  # an older version than the HTML
    [paper] = load("arxiv", folder)
    assert (paper.suite, paper.doc_id, paper.truth_text) == ("arxiv", "2510.00001", latexml.paper(LATEXML_PAGE)[0])
    assert paper.truth_tables == [(None, latexml.paper(LATEXML_PAGE)[1][0])]  # its page is not known
    why = skipped("arxiv", folder)
    assert list(why) == ["2510.00002", "2510.00003"]
    assert why["2510.00002"] == "the PDF is 2510.00002v1, the HTML renders 2510.00002v2"
    assert why["2510.00003"].startswith("no PDF arxiv_2510_00003.pdf")
    report = external.run(["arxiv"], [], tmp_path / "out", folders={"arxiv": folder}, log=lambda _: None)
    assert report["suites"]["arxiv"]["docs"] == 1
    assert "`arxiv/2510.00002`: the PDF is 2510.00002v1" in (tmp_path / "out" / "report.md").read_text()


def test_the_prepared_arxiv_pairs_are_each_the_same_paper(tmp_path: Path):
    folder = default_folder("arxiv")
    if not folder.is_dir():
        pytest.skip(f"arxiv not prepared ({folder})")
    import pymupdf

    assert all(why.startswith("no PDF") for why in skipped("arxiv").values())  # every present pair: one version
    dev = [d for d in load("arxiv") if d.split == DEV]  # never a held-out document here
    assert len(dev) >= 15
    for doc in dev:
        with pymupdf.open(doc.pdf) as pdf:
            words = set(plain_text(" ".join(page.get_text() for page in pdf)).split())
        truth_words = set(plain_text(doc.truth_text).split())
        assert len(truth_words & words) > 0.6 * len(truth_words), doc.doc_id


def test_an_escaped_pipe_is_a_cells_text_not_a_cell_border():
    # arXiv 2510.14969's "[0|1]" written as a Markdown cell must stay one cell
    [table] = markdown_tables("| a | b |\n|---|---|\n| [0\\|1] | x \\| |\n")
    assert table == [["a", "b"], ["[0|1]", "x |"]]


def test_a_system_that_cannot_run_here_fails_the_run_with_its_reason(tmp_path: Path, monkeypatch):
    """pdftotext missing: its system exits with the command that installs it. In the run's pool worker that exit
    killed the worker and the run waited forever (seen on a machine without poppler-utils); it is an error now,
    with the reason."""
    def missing():
        raise SystemExit("pdftotext is not installed: `apt-get install poppler-utils`")

    monkeypatch.setitem(external.SYSTEMS, "pdftotext", missing)
    with pytest.raises(RuntimeError, match="apt-get install poppler-utils"):
        external._run_system("pdftotext", [], str(tmp_path / "out.json"))
