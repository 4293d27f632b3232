"""The lawreview suite: check texts from a web page's paragraphs and a PDF's text layer, and their scoring."""

import json
from pathlib import Path

import pytest

from tools.eval_quality import lawreview
from tools.eval_quality.score import run_doc_checks
from tools.eval_quality.suites import DEV, default_folder, load, skipped, split_of

LAYER = set("We often speak of law and culture in one breath. That may be so because both".split())
PARAGRAPH = "We often speak of law and culture in one breath. That may be so because both"
REAL_PAIR = "bu_law_review_online_fourth_amendment_secure"  # a dev document: 6 pages, 12 body paragraphs checked


def _present(text: str) -> dict:
    return {"pdf": "a.pdf", "page": 0, "id": "a#body#000", "type": "present", "text": text,
            "max_diffs": lawreview.budget(text)}


def test_the_check_text_is_the_first_run_of_layer_words_without_glued_words_or_marks():
    words = lawreview.tokens(lawreview.clean("Taylor[1]in We often speak of law and culture in one breath.", "body-text"))
    assert words[:3] == ["Taylor", lawreview.MARK_TOKEN, "in"]  # a run never crosses a mark
    assert lawreview.check_text(words, LAYER | {"Taylor"}) == "in We often speak of law and culture in one breath."
    glued = "We often speak inDobbsof law and culture in one breath."  # an italic name glued by the web page
    assert lawreview.check_text(glued.split(), LAYER) is None  # no run of MIN_WORDS layer words
    long = (PARAGRAPH + " " + PARAGRAPH).split()
    assert len(lawreview.check_text(long, LAYER).split()) == lawreview.MAX_WORDS


def test_no_check_asks_for_an_asterisk_or_starts_at_a_stray_mark():
    layer = LAYER | {"*6", ".", "*"}
    # olmOCR's scorer takes a pair of asterisks anywhere in a system's text out as emphasis
    assert lawreview.check_text(["*6", *PARAGRAPH.split()[:9]], layer) == " ".join(PARAGRAPH.split()[:9])
    assert lawreview.check_text([".", *PARAGRAPH.split()[:9]], layer) == " ".join(PARAGRAPH.split()[:9])
    assert lawreview.check_text(PARAGRAPH.split()[:5] + ["*"] + PARAGRAPH.split()[5:11], layer) is None


def test_a_footnote_loses_its_number_and_an_author_s_note_in_the_body_is_a_footnote():
    assert lawreview.clean("[31]. See 576 U.S. at 104.", "footnote-text") == "See 576 U.S. at 104."
    assert lawreview.clean("** Adjunct Professor of Law.", "footnote-text") == "Adjunct Professor of Law."
    assert lawreview.label_of({"text": "* Professor of Law, Boston University.", "label": "body-text"}) == \
        "footnote-text"
    assert lawreview.label_of({"text": "Introduction", "label": "body-text"}) == "body-text"


def test_a_paragraph_is_eligible_when_the_layer_has_nine_words_in_ten_of_it():
    words = PARAGRAPH.split()  # 16 words
    assert lawreview.eligible(words, LAYER)
    assert not lawreview.eligible(words[:7], LAYER)  # too short to be specific
    assert not lawreview.eligible(words[:14] + ["PDF", "Show"], LAYER)  # 14/16 < 0.9: the web page's own text


def test_checks_are_made_only_for_text_one_page_has_whole_and_order_only_across_pages_in_order():
    pages = ["We often speak of law and culture in one breath.", "That may be so because both of law and culture"
             " in one breath speak often We"]
    paragraphs = [{"text": "We often speak of law and culture in one breath.", "label": "body-text"},
                  {"text": "That may be so because both of law and culture", "label": "body-text"},
                  {"text": "culture in one breath. That may be so because both", "label": "body-text"}]  # cut
    checks = lawreview.checks("a", paragraphs, LAYER, pages)
    assert [c["id"] for c in checks] == ["a#body#000", "a#body#001", "a#body_order#000"]
    assert checks[2]["before"] == paragraphs[0]["text"] and checks[2]["after"] == paragraphs[1]["text"]
    assert not lawreview.in_order(paragraphs[1]["text"], paragraphs[0]["text"], pages)


def test_present_passes_whole_text_and_fails_a_word_left_split_at_a_line_end():
    check = _present("the constitutional protections of the right to marriage")
    assert check["max_diffs"] == 0  # under CHARS_PER_DIFF characters: no edit allowed
    whole = "It shrinks the constitutional\nprotections of the right to marriage, and more."
    split = "It shrinks the constitu-\ntional protections of the right to marriage, and more."
    results = run_doc_checks([check, check], None) + run_doc_checks([check], [whole]) + \
        run_doc_checks([check], [split])
    assert [r["passed"] for r in results] == [False, False, True, False]


def test_the_edit_budget_grows_with_the_length():
    assert lawreview.budget("x" * 199) == 0 and lawreview.budget("x" * 400) == 2


def test_order_passes_in_order_and_fails_reversed_or_missing():
    first, second = "the first paragraph of the body text", "the second paragraph of the body text"
    check = {"pdf": "a.pdf", "page": 0, "id": "a#body_order#000", "type": "order", "before": first,
             "after": second, "max_diffs": 0}
    results = [run_doc_checks([check], [text])[0]["passed"] for text in
               (f"{first}.\n\n{second}.", f"{second}.\n\n{first}.", f"{first}.")]
    assert results == [True, False, False]


def _pdf(path: Path, pages: int, text: str) -> None:
    import pymupdf

    with pymupdf.open() as doc:
        for _ in range(pages):
            doc.new_page().insert_text((72, 72), text)
        doc.save(path)


def test_duplicates_missing_files_and_long_articles_are_skipped_with_the_reason(tmp_path: Path):
    (tmp_path / "raw_pdf").mkdir()
    (tmp_path / "processed_html").mkdir()
    _pdf(tmp_path / "raw_pdf" / "a_article.pdf", 1, PARAGRAPH)
    (tmp_path / "raw_pdf" / "b_same_article.pdf").write_bytes((tmp_path / "raw_pdf" / "a_article.pdf").read_bytes())
    _pdf(tmp_path / "raw_pdf" / "c_long.pdf", lawreview.MAX_PAGES + 1, "x")
    _pdf(tmp_path / "raw_pdf" / "d_no_json.pdf", 1, "y")
    truth = json.dumps({"paragraphs": [{"text": PARAGRAPH, "label": "body-text"}]})
    for name in ("a_article", "b_same_article", "c_long", "e_no_pdf"):
        (tmp_path / "processed_html" / f"{name}.json").write_text(truth)
    why = lawreview.skipped(tmp_path)
    assert sorted(why) == ["b_same_article", "c_long", "d_no_json", "e_no_pdf"]
    assert why["b_same_article"] == "the same PDF (byte for byte) as a_article"
    assert why["c_long"].startswith(f"{lawreview.MAX_PAGES + 1} pages")
    [doc] = load("lawreview", tmp_path)
    assert (doc.doc_id, [c["text"] for c in doc.truth_checks]) == ("a_article", [PARAGRAPH])
    assert skipped("lawreview", tmp_path) == why


def test_the_suite_s_split_is_fixed():
    assert split_of("lawreview", REAL_PAIR) == DEV


def test_a_real_dev_pair_gives_checks_its_own_text_layer_passes():
    folder = default_folder("lawreview")
    pdf = folder / "raw_pdf" / f"{REAL_PAIR}.pdf"
    if not pdf.is_file():
        pytest.skip(f"lawreview not prepared ({folder})")
    checks = lawreview.read_checks(REAL_PAIR, pdf, folder / "processed_html" / f"{REAL_PAIR}.json")
    kinds = [c["id"].split("#")[1] for c in checks]
    assert (kinds.count("body"), kinds.count("footnote"), kinds.count("body_order")) == (12, 12, 11)
    assert checks[0]["text"] == ("In her Article, Something Rots in Law Enforcement and It’s the Search Warrant: "
                                 "The Breonna Taylor")  # the title that follows is italic, glued on the web page
    _, pages = lawreview.layer(pdf)
    results = run_doc_checks(checks, pages)
    assert all(r["passed"] for r in results), [r for r in results if not r["passed"]]
