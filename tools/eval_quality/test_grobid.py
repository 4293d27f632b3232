"""The grobid suite: checks made from a tiny paper labelled the way GROBID's annotators label one (written here)."""

import subprocess
from dataclasses import replace
from pathlib import Path

from tools.eval_quality import external, grobid
from tools.eval_quality.score import run_doc_checks
from tools.eval_quality.suites import DEV, SOURCES, load, prepare, split_of

# two pages: page 1 opens the paper, page 2 has a running head (the title), another one its body text also
# names, a numbered heading at its top; both pages end with the journal's foot line and the page number
SEGMENTATION = """<?xml version="1.0" ?>
<tei><teiHeader/><text xml:lang="en">
<front>A Tiny Paper<lb/> Ann Author<lb/> We write a tiny abstract for the test fixture of the suite.<lb/></front>
<body>1 Introduction<lb/> The first line of the body text which is long enough to be checked.<lb/>
 A second line of the body text that is long enough as well, named-<lb/> entity recognition.<lb/></body>
<note place="footnote">1 A footnote that explains something at some length.<lb/></note>
<note place="footnote">Journal of Tiny Papers 1 (2020)<lb/></note>
<page>1<lb/></page>
<note place="headnote">A Tiny Paper<lb/></note>
<note place="headnote">Tiny Journal<lb/></note>
<body>2 Method<lb/> The method is described in [1] this line, long enough to check.<lb/>
<page>2<lb/></page>
 We talk about the Tiny Journal in the body text of page two here.<lb/></body>
<note place="footnote">Journal of Tiny Papers 1 (2020)<lb/></note>
</text></tei>
"""
# GROBID's feature file of the same reading: a line's first word, then its features (PAGESTART: a new page)
RAW = """A a BLOCKSTART PAGESTART
Ann a BLOCKIN PAGEIN
We w BLOCKIN PAGEIN
1 1 BLOCKSTART PAGEIN
The t BLOCKSTART PAGEIN
A a BLOCKIN PAGEIN
entity e BLOCKIN PAGEIN
1 1 BLOCKSTART PAGEIN
Journal j BLOCKSTART PAGEIN
1 1 BLOCKSTART PAGEEND
A a BLOCKSTART PAGESTART
Tiny t BLOCKSTART PAGEIN
2 2 BLOCKSTART PAGEIN
The t BLOCKSTART PAGEIN
2 2 BLOCKSTART PAGEIN
We w BLOCKIN PAGEIN
Journal j BLOCKSTART PAGEEND
"""
FULLTEXT = """<?xml version="1.0" ?>
<tei><teiHeader/><text xml:lang="en">
<head level="1">1 Introduction<lb/></head>
<p>The first line of the body text which is long enough to be checked.<lb/>
 A second line of the body text that is long enough as well, named-<lb/> entity recognition.<lb/></p>
<head level="1">2 Method<lb/></head>
<p>The method is described in <ref type="biblio">[1]</ref> this line, long enough to check.<lb/>
 We talk about the Tiny Journal in the body text of page two here.<lb/></p>
<figure><head>Figure 1</head><figDesc>A figure's caption.</figDesc></figure>
</text></tei>
"""
HEADER = """<?xml version="1.0" ?>
<tei><teiHeader/><text xml:lang="en"><front>
<docTitle><titlePart>A Tiny Paper<lb/></titlePart></docTitle>
<div type="abstract">We write a tiny abstract for the test fixture of the suite.<lb/> Its second line.</div>
</front></text></tei>
"""


def _paper(folder: Path, name: str = "tiny", full: bool = True) -> Path:
    files = {grobid.tei_path("header", name): HEADER, grobid.pdf_path(name): "%PDF-1.4"}
    if full:
        files |= {grobid.tei_path("segmentation", name): SEGMENTATION, grobid.raw_path(name): RAW,
                  grobid.tei_path("fulltext", name): FULLTEXT}
    for path, text in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text)
    return folder


def _summary(checks: list[dict]) -> set[tuple]:
    return {(c["type"], c["page"], c.get("text") or (c["before"], c["after"])) for c in checks}


def test_lines_keep_the_label_of_their_element_and_a_page_break_inside_the_body_is_its_own(tmp_path: Path):
    lines = grobid.tei_lines(_paper(tmp_path) / grobid.tei_path("segmentation", "tiny"))
    labels = [(line.label, line.text) for line in lines]
    assert labels[:3] == [("front", "A Tiny Paper"), ("front", "Ann Author"),
                          ("front", "We write a tiny abstract for the test fixture of the suite.")]
    assert ("page", "2") in labels and ("note:headnote", "Tiny Journal") in labels
    body = [text for label, text in labels if label == "body"]
    assert body[-1] == "We talk about the Tiny Journal in the body text of page two here."  # after the page break
    fulltext = grobid.tei_lines(tmp_path / grobid.tei_path("fulltext", "tiny"))
    assert "The method is described in [1] this line, long enough to check." in [ln.text for ln in fulltext]
    assert [ln.text for ln in fulltext if ln.label == "head"] == ["1 Introduction", "2 Method"]  # not the figure's


def test_pages_come_from_grobid_s_feature_file_aligned_by_first_words(tmp_path: Path):
    _paper(tmp_path)
    lines = grobid.with_pages(grobid.tei_lines(tmp_path / grobid.tei_path("segmentation", "tiny")),
                              grobid.raw_pages(tmp_path / grobid.raw_path("tiny")))
    assert {(ln.label, ln.text): ln.page for ln in lines if ln.label in ("page", "note:headnote")} == {
        ("page", "1"): 1, ("page", "2"): 2, ("note:headnote", "A Tiny Paper"): 2, ("note:headnote", "Tiny Journal"): 2}


def test_the_checks_follow_the_labels_and_those_the_labels_fail_are_dropped(tmp_path: Path):
    checks = grobid.document_checks(_paper(tmp_path), "tiny")
    assert _summary(checks) == {
        ("absent", 2, "A Tiny Paper"),  # the running head of page 2 (the title is page 1's)
        # "Tiny Journal" is no check: page 2's body text names it
        ("absent", 1, "Journal of Tiny Papers 1 (2020)"), ("absent", 2, "Journal of Tiny Papers 1 (2020)"),
        ("absent", 1, " 1 "),  # page 2's number is no check: its text starts with the heading "2 Method"
        ("present", 0, "A footnote that explains something at some length."),  # its number taken off
        ("present", 0, "1 Introduction"), ("present", 0, "2 Method"), ("order", 0, ("1 Introduction", "2 Method")),
        ("present", 0, "The first line of the body text which is long enough to be checked."),  # 1st of 4
        ("present", 0, "A Tiny Paper"), ("present", 0, "We write a tiny abstract for the test fixture of the suite."),
    }
    [number] = [c for c in checks if c.get("text") == " 1 "]
    assert (number["first_n"], number["last_n"]) == (3, 3)
    assert len({c["id"] for c in checks}) == len(checks)


def test_a_paper_with_header_labels_only_gets_its_title_and_abstract(tmp_path: Path):
    checks = grobid.document_checks(_paper(tmp_path, "short", full=False), "short")
    assert _summary(checks) == {("present", 0, "A Tiny Paper"),
                                ("present", 0, "We write a tiny abstract for the test fixture of the suite.")}


def test_words_broken_at_a_line_end_and_inline_math_are_left_out():
    assert grobid.unbroken(["a line with a named-", "entity and more"]) == ["a line with a", "and more"]
    assert not grobid.prose("constant H 0 = 75.0km s -1 M pc -1 , and a flat")  # sub- and superscripts
    assert not grobid.plain("We have calculated q  vol  in some Lema\u02c6 tre models")
    assert not grobid.plain("the \ufb01rst line") and not grobid.plain("x \u2264 y")
    assert grobid.prose("It is a line of words, as I say (with [12] and 0.5).")


def test_a_check_runs_on_the_whole_document_or_on_its_page():
    check = {"pdf": "d.pdf", "id": "n", "max_diffs": 0, "type": "absent", "text": " 2 ", "first_n": 3, "last_n": 3}
    assert run_doc_checks([{**check, "page": 2}], ["x", "Body of page two\n2"])[0]["passed"] is False  # kept last
    assert run_doc_checks([{**check, "page": 2}], ["x", "2\nBody of page two"])[0]["passed"] is False
    assert run_doc_checks([{**check, "page": 2}], ["x", "Body of page two, see (2)"])[0]["passed"] is True
    assert run_doc_checks([{**check, "page": 3}], ["x", "y"])[0]["passed"] is False  # no such page written
    assert run_doc_checks([{**check, "page": 1}], None)[0]["passed"] is False  # no output: even absent fails
    present = {"pdf": "d.pdf", "id": "p", "max_diffs": 0, "type": "present", "text": "one two", "page": 0}
    assert run_doc_checks([present], ["page one", "two pages"])[0]["passed"] is True  # pages joined, spaces collapsed
    assert run_doc_checks([{**present, "page": 2}], ["page one", "two pages"])[0]["passed"] is False


def test_check_suites_are_scored_and_reported_per_type_and_part(tmp_path: Path, monkeypatch):
    _paper(tmp_path)
    monkeypatch.setattr(grobid, "FULL_DOCS", ("tiny",))
    monkeypatch.setattr(grobid, "HEADER_DOCS", ())
    [doc] = load("grobid", tmp_path)
    assert (doc.doc_id, doc.split, doc.truth_text) == ("tiny", split_of("grobid", "tiny"), None)
    perfect = ["A Tiny Paper\nAnn Author\nWe write a tiny abstract for the test fixture of the suite.\n1 Introduction\n"
               "The first line of the body text which is long enough to be checked.\n"
               "1 A footnote that explains something at some length.",
               "2 Method\nWe talk about the Tiny Journal."]
    scored = {"tiny": external.score_doc(doc, perfect)}
    assert all(r["passed"] for r in scored["tiny"]["checks"])
    kept = perfect[:1] + ["A Tiny Paper\n" + perfect[1] + "\nJournal of Tiny Papers 1 (2020)\n2"]
    text_of = {c["id"]: (c["page"], c.get("text")) for c in doc.truth_checks}
    failed = {text_of[r["id"]] for r in external.score_doc(doc, kept)["checks"] if not r["passed"]}
    assert failed == {(2, "A Tiny Paper"), (2, "Journal of Tiny Papers 1 (2020)")}  # page 2's head and foot
    summary = external.summarize([doc], scored)[doc.split]
    assert (summary["checks"], summary["pass"]) == (len(doc.truth_checks), 1.0)
    assert {kind: n["n"] for kind, n in summary["by_kind"].items()} == {
        "abstract": 1, "body": 1, "footnote": 1, "heading": 2, "heading_order": 1, "page_foot": 2, "page_number": 1,
        "running_head": 1, "title": 1}
    report = {"suites": {"grobid": {"source": vars(SOURCES["grobid"]), "systems": {
        "ours": {**external.summarize([doc], scored), "per_doc": scored}}}}, "speed": {}}
    table = external.render_markdown(report, ["ours"])
    assert f"| grobid | {doc.split} | {len(doc.truth_checks)} checks | **pass rate** | 1.000 |" in table
    assert f"| grobid | {doc.split} | 2 checks | page_foot | 1.000 |" in table


def test_prepare_copies_the_suite_s_files_from_the_repository_root(tmp_path: Path, monkeypatch):
    clone = tmp_path / "grobid"
    for name in SOURCES["grobid"].files + ("grobid-core/src/test/resources/test/other.pdf",):
        (clone / name).parent.mkdir(parents=True, exist_ok=True)
        (clone / name).write_text(name)
    git = ["git", "-C", str(clone)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "data"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    monkeypatch.setitem(SOURCES, "grobid", replace(SOURCES["grobid"], commit=commit))
    dest = prepare("grobid", clone, tmp_path / "out")
    copied = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())
    assert copied == sorted((*SOURCES["grobid"].files, "SOURCE.txt"))
    assert "folder (the root)" in (dest / "SOURCE.txt").read_text()


def test_the_suite_s_split_is_fixed():
    assert {name: split_of("grobid", name) for name in grobid.FULL_DOCS} == {
        "0807.3577": "held-out", "1001._0908.0054": DEV, "Wang-paperAVE2008": "held-out"}
    assert all(split_of("grobid", name) == DEV for name in grobid.HEADER_DOCS)
