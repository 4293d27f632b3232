"""The tabula-extras suite: the strict Ruby array reader, the crop box, a real page when the cache has it."""

import json

import pymupdf
import pytest

from tools.eval_quality import tabula_extras
from tools.eval_quality.suites import DEV, default_folder, read_tabula_extras, split_of
from tools.eval_quality.tabula_extras import crop_box, delimited_rows, expected_rows, ruby_rows

TESTS_RB = '''
class TestExtractor < Minitest::Test
  def test_one
    table = table_to_array Tabula.extract_table(File.expand_path('data/one.pdf', File.dirname(__FILE__)),
                                                1,
                                                [10.5, 20, 300.25, 400],
                                                :detect_ruling_lines => false)

    expected = [["Name", "Rate \\"%\\""], ["A\\\\B", "1\\r2"], ["", "3"]]

    assert_equal expected, table
  end

  def test_two
    expected = Tabula::Table.new_from_array([
      ["x", "y"],
      ["z", ""]
     ])
    other_expected = Tabula::Table.new_from_array([["no"]])
    assert_equal expected, lines_to_table(tables.first)
  end
end
'''


def test_ruby_rows_reads_arrays_of_plain_strings():
    assert expected_rows(TESTS_RB, "test_one") == [["Name", 'Rate "%"'], ["A\\B", "1\r2"], ["", "3"]]
    assert expected_rows(TESTS_RB, "test_two") == [["x", "y"], ["z", ""]]  # the first `expected =`, not the other


def test_ruby_rows_refuses_anything_but_strings_and_brackets():
    for text in ('[["a", 1]]', '[["#{name}"]]', '[["a"], :b]', '[["a",, "b"]]', '[["a\\u00e9"]]', '["a", "b"]',
                 '[["a"]', '[["a" "b"]]', '[["a"] ["b"]]', '[["a"],]', '[,["a"]]'):
        with pytest.raises(ValueError):
            ruby_rows(text)
    with pytest.raises(ValueError, match="no test test_three"):
        expected_rows(TESTS_RB, "test_three")


def test_the_area_must_be_written_in_its_test():
    test = tabula_extras.Expected("one", tabula_extras.EXTRACTOR[0], "one.pdf", 1, "[10.5, 20, 300.25, 400]",
                                  "rb:test_one")
    assert tabula_extras.area_of(TESTS_RB, test) == (10.5, 20.0, 300.25, 400.0)
    with pytest.raises(ValueError, match="not in the one test reading rb:test_two"):
        tabula_extras.area_of(TESTS_RB, tabula_extras.Expected("two", "", "", 1, "[10.5, 20, 300.25, 400]",
                                                                "rb:test_two"))


def test_tsv_cells_are_stripped_and_quoted_empties_are_empty():
    assert delimited_rows('COLLECTIF \tStories \tDivers \r\n""\tLa Chute \t""\r\n', "\t") == [
        ["COLLECTIF", "Stories", "Divers"], ["", "La Chute", ""]]


def test_crop_box_holds_the_truths_cut_words_and_leaves_others_out():
    truth = [["ROGER", "12"], ["TIMOTHY GARTH", "13"], ["ABRAHAMSON", ""]]
    words = [((10, 95, 50, 104), "Header"),       # cut by the top edge (100), not the truth's: left out
             ((10, 105, 50, 115), "ROGER"),
             ((10, 190, 60, 198), "TIMOTHY"),
             ((10, 198, 60, 206), "ABRAHAMSON"),  # cut by the bottom edge (200), the truth's: held whole
             ((10, 300, 50, 310), "Below")]
    assert crop_box(words, (100, 0, 200, 500), truth, (0, 0, 600, 800)) == (0, 104, 500, 206)
    # a row the bottom edge cuts holding a word the truth lacks is left out whole, its truth words with it
    words = [((10, 105, 50, 115), "ROGER"), ((10, 195, 50, 204), "MASPERO"), ((60, 195, 80, 204), "13")]
    assert crop_box(words, (100, 0, 200, 500), truth, (0, 0, 600, 800)) == (0, 100, 500, 195)


def test_build_cuts_the_page_and_crops_it_to_the_area(tmp_path, monkeypatch):
    pdf = pymupdf.open()
    page = pdf.new_page(width=400, height=300)
    for y, row in ((40, "Title"), (100, "a b"), (120, "c d"), (250, "Footer")):
        page.insert_text((20, y), row.split()[0], fontsize=10)
        if " " in row:
            page.insert_text((120, y), row.split()[1], fontsize=10)
    (tmp_path / "o+r" / "test").mkdir(parents=True)
    pdf.save(tmp_path / "o+r" / "test" / "one.pdf")
    (tmp_path / "o+r" / "test" / "tests.rb").write_text(
        'def test_one\n  area = [80, 10, 130, 200]\n  expected = [["a", "b"], ["c", "d"]]\nend\n')
    monkeypatch.setattr(tabula_extras, "EXTRACTOR", ("o/r", "0" * 40))
    monkeypatch.setattr(tabula_extras, "TESTS", (tabula_extras.Expected("one", "o/r", "test/one.pdf", 1,
                                                                         "[80, 10, 130, 200]", "rb:test_one"),))
    truth = tabula_extras.build(tmp_path)
    assert truth["one"]["tables"] == [[["a", "b"], ["c", "d"]]]
    docs = read_tabula_extras(tmp_path)
    assert [(d.doc_id, d.truth_tables) for d in docs] == [("one", [(1, [["a", "b"], ["c", "d"]])])]
    with pymupdf.open(docs[0].pdf) as cut:
        assert cut.page_count == 1 and cut[0].get_text("text").split() == ["a", "b", "c", "d"]


GRE = default_folder("tabula-extras") / "truth.json"


@pytest.mark.skipif(not GRE.is_file(), reason="tabula-extras suite not prepared")
def test_a_real_page_from_the_cache():
    """tabula-extractor's gre.pdf (its page is in the development part): the first 17 rows of the GRE verbal
    concordance table, the test's area; the cropped page shows just the truth's words."""
    assert split_of("tabula-extras", "gre-p1") == DEV
    folder = default_folder("tabula-extras")
    truth = json.loads(GRE.read_text(encoding="utf-8"))
    rows = truth["gre-p1"]["tables"][0]
    assert rows[0] == ["Prior Scale", "New Scale", "% Rank*"] and rows[-1] == ["650", "163", "91"] and len(rows) == 17
    with pymupdf.open(folder / "pages" / "gre-p1.pdf") as page:
        assert sorted(page[0].get_text("text").split()) == sorted(w for row in rows for c in row for w in c.split())
    # the Ruby reader on the pinned tests.rb: every test's rows as wide as each other
    for test in tabula_extras.TESTS:
        found, _ = tabula_extras.expected_truth(folder, test)
        assert len({len(row) for row in found}) == 1, test.doc_id
