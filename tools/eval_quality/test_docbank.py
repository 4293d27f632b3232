"""The docbank suite: checks built from DocBank's token labels by fixed rules, on a tiny page written here."""

import json
import shutil
from pathlib import Path

import pytest

from tools.eval_quality import docbank, external
from tools.eval_quality.score import check_kind
from tools.eval_quality.suites import (
    DEV,
    HELD_OUT,
    Doc,
    default_folder,
    load,
    read_docbank,
    skipped,
    split_of,
)

LEFT, RIGHT = (100, 470), (530, 900)  # the two columns, on DocBank's 0-1000 scale


def _line(words: str, columns: tuple[float, float], top: float, label: str = "paragraph",
          font: str = "ABCDEF+CMR10", height: float = 12) -> list[str]:
    """One TSV row per word, the words spread over the column as a justified line sets them."""
    items = words.split()
    x0, x1 = columns
    step = (x1 - x0) / len(items)
    return [f"{w}\t{x0 + i * step:.0f}\t{top:.0f}\t{x0 + (i + 0.8) * step:.0f}\t{top + height:.0f}\t0\t0\t0\t{font}\t{label}"
            for i, w in enumerate(items)]


def _block(prefix: str, columns, top: float, count: int) -> list[str]:
    return [row for n in range(count) for row in _line(f"{prefix} line {n} of running body text", columns,
                                                        top + 15 * n)]


def page_tsv() -> str:
    """A two-column page: a running head with its page number, a heading over each column, paragraphs, a line
    with inline math, a word broken at a line end, a figure with its own labels, a footnote."""
    rows = _line("Tests of Layout and Order", (100, 400), 40) + _line("7", (880, 890), 40)
    rows += _line("1 Introduction", (100, 250), 100, "section", "ABCDEF+CMBX12")
    rows += _line("2 Method", (530, 640), 100, "section", "ABCDEF+CMBX12")
    rows += _block("left first", LEFT, 120, 3)
    rows += _line("where x is the mean over all", LEFT, 165, font="GHIJKL+CMMI10")
    rows += _line("and the last line of the block ends exam-", LEFT, 180)
    rows += _block("left second", LEFT, 230, 3)
    rows += _block("right first", RIGHT, 120, 6)
    rows += ["##LTFigure##\t530\t300\t900\t500\t0\t0\t0\tNone\tfigure"]
    rows += _line("0.5 1.0 axis labels of the graph inside", (560, 880), 480)
    rows += _line("3This first footnote line carries its mark glued", LEFT, 850, "footer", "ABCDEF+CMR8", 10)
    rows += _line("and its second line has none at all", LEFT, 861, "footer", "ABCDEF+CMR8", 10)
    return "\r\n".join(rows) + "\r\n"


def test_placeholders_and_a_figure_s_own_labels_are_no_words():
    tokens = docbank.read_tokens(page_tsv())
    words = {t.text for t in tokens}
    assert "##LTFigure##" not in words and "axis" not in words and "Introduction" in words
    assert docbank.read_tokens("only\tfour\tfields\r\n") == []


def test_the_columns_are_found_and_read_left_then_right():
    tokens = docbank.read_tokens(page_tsv())
    assert LEFT[1] < docbank.find_gutter(tokens) < RIGHT[0]
    one_column = [t for t in tokens if t.x0 < 500]
    assert docbank.find_gutter(one_column) is None
    texts = [line.text for line in docbank.layout(tokens).lines]
    assert texts.index("left second line 2 of running body text") < texts.index("2 Method")


def test_checks_follow_the_fixed_rules():
    checks = docbank.page_checks("p_3", page_tsv(), first_page=False)
    present = [(check_kind(c["id"], c["type"]), c["text"]) for c in checks if c["type"] == "present"]
    order = [(check_kind(c["id"], c["type"]), c["before"], c["after"]) for c in checks if c["type"] == "order"]
    assert {text for kind, text in present if kind == "section"} == {"1 Introduction", "2 Method"}
    paragraphs = [text for kind, text in present if kind == "paragraph"]
    # every 4th usable line in reading order: the left column's 7 (the math line is not usable), the right's 6
    assert paragraphs == ["left first line 0 of running body text", "left second line 0 of running body text",
                          "right first line 1 of running body text", "right first line 5 of running body text"]
    assert {text for kind, text in present if kind == "footnote"} == {"and its second line has none at all"}
    everything = " ".join(text for _, text in present)
    assert "Tests of Layout" not in everything and "exam-" not in everything and "where x" not in everything
    assert order == [
        ("section-order", "1 Introduction", "2 Method"),
        ("column-order", "left first line 0 of running body text", "right first line 0 of running body text"),
        ("column-order", "left second line 0 of running body text", "right first line 0 of running body text")]
    assert all(c["id"].startswith("p_3#") and c["pdf"] == "p_3.pdf" and c["page"] == 1 for c in checks)


def test_pairs_of_consecutive_paragraph_lines_are_sampled_in_reading_order():
    checks = docbank.page_checks("p_3", page_tsv(), first_page=False)
    pairs = [c["text"] for c in checks if check_kind(c["id"], c["type"]) == "paragraph-pair"]
    # 9 joinable pairs (left first: 2, the math line and the broken word end none; left second: 2; right: 5)
    assert pairs == ["left first line 0 of running body text left first line 1 of running body text",
                     "right first line 0 of running body text right first line 1 of running body text",
                     "right first line 4 of running body text right first line 5 of running body text"]
    across = "\n".join(f"left first line {n} of running body text right first line {n} of running body text"
                       for n in range(3))
    doc = Doc("docbank", "p_3", Path("p_3.pdf"), truth_checks=checks)
    failed = {c["kind"] for c in external.score_doc(doc, [across])["checks"] if not c["passed"]}
    assert "paragraph-pair" in failed


def test_a_broken_last_word_is_left_out_and_ligatures_are_spelled_out():
    [line] = docbank.layout(docbank.read_tokens("\n".join(_line("the ﬁrst well-known exam-", LEFT, 100)))).lines
    assert line.text == "the first well-known"
    assert docbank.page_checks("p_0", "\n".join(_line("A Title Here", LEFT, 50, "title")), first_page=True)
    assert not docbank.page_checks("p_4", "\n".join(_line("A Title Here", LEFT, 50, "title")), first_page=False)


def test_the_checks_are_scored_with_olmocr_s_classes():
    doc = Doc("docbank", "p_3", Path("p_3.pdf"), truth_checks=docbank.page_checks("p_3", page_tsv(), False))
    good = "\n".join(line.text for line in docbank.layout(docbank.read_tokens(page_tsv())).lines)
    scores = external.score_doc(doc, [good])
    assert all(c["passed"] for c in scores["checks"]) and len(scores["checks"]) == len(doc.truth_checks)
    right_first = good.split("right first line 0")[0].replace("left", "")  # the left column lost
    failed = {c["kind"] for c in external.score_doc(doc, [right_first])["checks"] if not c["passed"]}
    assert {"paragraph", "column-order"} <= failed and "section-order" not in failed
    assert not any(c["passed"] for c in external.score_doc(doc, None)["checks"])
    summary = external.summarize([doc], {"p_3": scores})[split_of("docbank", "p_3")]
    assert summary["checks"] == len(doc.truth_checks) and summary["pass"] == 1.0
    assert summary["by_kind"]["section"] == {"n": 2, "pass": 1.0}


def _sample_folder(folder: Path) -> Path:
    """A labelled page 1 (0-based) of a two-page paper whose words lie where the TSV says, and a TSV whose
    paper is missing."""
    import pymupdf

    folder.mkdir(parents=True)
    tsv = page_tsv()
    (folder / "9.tar_1234.5678.gz_paper_1.txt").write_text(tsv, encoding="utf-8", newline="")
    (folder / "9.tar_1234.5678.gz_big_0.txt").write_text(tsv, encoding="utf-8", newline="")
    with pymupdf.open() as pdf:
        pdf.new_page().insert_text((72, 72), "The first page, not judged.")
        page = pdf.new_page()
        for token in docbank.read_tokens(tsv):
            page.insert_text((token.x0 * page.rect.width / 1000, token.y1 * page.rect.height / 1000), token.text,
                             fontsize=7)
        pdf.save(folder / "9.tar_1234.5678.gz_paper_black.pdf")
    return folder


def test_the_folder_is_read_as_pages_cut_out_alone_with_their_checks(tmp_path: Path):
    import pymupdf

    folder = _sample_folder(tmp_path / "docbank")
    [doc] = read_docbank(folder)
    assert doc.doc_id == "9.tar_1234.5678.gz_paper_1" and doc.pdf.parent == folder / "pages"
    with pymupdf.open(doc.pdf) as page:
        assert page.page_count == 1 and "Method" in page[0].get_text() and "not judged" not in page[0].get_text()
    written = [json.loads(line) for line in (folder / "pages" / "checks.jsonl").read_text().splitlines()]
    assert written == doc.truth_checks
    assert list(skipped("docbank", folder)) == ["9.tar_1234.5678.gz_big_0"]


def test_the_suite_runs_through_the_external_command(tmp_path: Path):
    if not shutil.which("pdftotext"):
        pytest.skip("no pdftotext")
    folder = _sample_folder(tmp_path / "docbank")
    report = external.run(["docbank"], ["pdftotext"], tmp_path / "out", folders={"docbank": folder},
                          log=lambda _: None)
    row = report["suites"]["docbank"]["systems"]["pdftotext"][split_of("docbank", "9.tar_1234.5678.gz_paper_1")]
    assert row["checks"] == len(load("docbank", folder)[0].truth_checks) and row["by_kind"]["section"]["n"] == 2
    assert 0.5 <= row["pass"] <= 1.0  # (pdftotext reads the words as this test placed them, one by one)
    markdown = (tmp_path / "out" / "report.md").read_text()
    assert "checks | section |" in markdown and "**pass rate**" in markdown
    assert "`docbank/9.tar_1234.5678.gz_big_0`" in markdown


def test_the_prepared_suite_holds_the_95_papers_in_the_snapshot():
    folder = default_folder("docbank")
    if not (folder / "SOURCE.txt").is_file():
        pytest.skip(f"docbank not prepared ({folder})")
    docs = load("docbank")
    assert len(docs) == 95 and len(skipped("docbank")) == 5
    assert {d.split for d in docs} == {DEV, HELD_OUT}
    dev = [d for d in docs if d.split == DEV]  # never a held-out page here
    assert sum(len(d.truth_checks) for d in dev) > 400
