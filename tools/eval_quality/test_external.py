"""The external suites' readers and measures: TEDS, Markdown tables, text similarity, the held-out split."""

import json
import re
from pathlib import Path

import pytest

from tools.eval_quality.external import plain_text, score_doc, text_similarity
from tools.eval_quality.suites import (
    DEV,
    HELD_OUT,
    TABULA_TABLES,
    read_camelot,
    read_icdar2013,
    read_pdfbox,
    read_tabula,
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
