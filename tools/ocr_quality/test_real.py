"""The real-scan set: true text from ALTO and PAGE, furniture apart, a split that never moves."""

from tools.ocr_quality import real

ALTO = b"""<?xml version="1.0"?><alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Tags>
<OtherTag ID="T1" LABEL="MainZone"/><OtherTag ID="T2" LABEL="NumberingZone"/><OtherTag ID="T3" LABEL="RunningTitleZone"/>
</Tags><Layout><Page><PrintSpace>
<TextBlock TAGREFS="T3"><TextLine><String CONTENT="COUTUME"/></TextLine></TextBlock>
<TextBlock TAGREFS="T2"><TextLine><String CONTENT="70"/></TextLine></TextBlock>
<TextBlock TAGREFS="T1"><TextLine><String CONTENT="Le"/><SP/><String CONTENT="droit"/></TextLine>
<TextLine><String CONTENT="des Ossetes."/></TextLine></TextBlock>
</PrintSpace></Page></Layout></alto>"""

PAGE = b"""<?xml version="1.0"?><PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">
<Page><TextRegion type="page-number"><TextLine><TextEquiv><Unicode>12</Unicode></TextEquiv></TextLine></TextRegion>
<TextRegion type="paragraph"><TextLine><TextEquiv><Unicode>Erste Zeile</Unicode></TextEquiv></TextLine>
<TextEquiv><Unicode>region text, not a line</Unicode></TextEquiv></TextRegion></Page></PcGts>"""


def test_alto_truth_keeps_everything_and_a_body_without_the_tagged_furniture():
    full, body = real.truth_of(ALTO)
    assert full == "COUTUME\n70\nLe droit\ndes Ossetes."
    assert body == "Le droit\ndes Ossetes."


def test_page_truth_reads_lines_and_sets_page_numbers_apart():
    assert real.truth_of(PAGE) == ("12\nErste Zeile", "Erste Zeile")


def test_the_held_out_split_is_a_fixed_function_of_the_page_id():
    ids = [f"book-{i}" for i in range(300)]
    splits = [real.split_of(i) for i in ids]
    assert splits == [real.split_of(i) for i in ids]
    assert 0.25 < splits.count("heldout") / len(ids) < 0.42


def test_sources_name_every_page_at_a_commit_and_never_the_independent_check():
    sources = real.load_sources()["sources"]
    ids = [page["id"] for source in sources for page in source["pages"]]
    assert len(ids) == len(set(ids)) >= 40
    for source in sources:
        assert source["repo"] not in real.FORBIDDEN_REPOS
        assert source["repo"].split("/")[0] not in real.FORBIDDEN_OWNERS
        assert len(source["commit"]) == 40 and source["licence"]
        for page in source["pages"]:
            assert page["image"] and page["truth"] and page["language"] and page["script"] and page["dpi"] > 0


LINES = "\n".join(["p7.png\t600 80 700 120\t12", "p7.png\t100 150 1200 200\tSchon bei Homer", "p8.png\t1 1 2 2\tother page",
                   "p7.png\t100 210 1200 260\t  und  Sophokles "]).encode()
OLR = b'''p7.png,1,"{}",2,0,"{""name"":""rect"",""x"":590,""y"":70,""width"":120,""height"":60}","{""text"":""page_number""}"
p7.png,1,"{}",2,1,"{""name"":""rect"",""x"":90,""y"":140,""width"":1200,""height"":200}","{""text"":""commentary""}"'''


def test_line_table_truth_keeps_the_page_s_rows_in_order_and_sets_the_page_number_apart():
    assert real.lines_tsv_text(LINES, "p7.png", OLR) == ("12\nSchon bei Homer\nund Sophokles",
                                                          "Schon bei Homer\nund Sophokles")
    assert real.lines_tsv_text(LINES, "p7.png") == ("12\nSchon bei Homer\nund Sophokles",) * 2


def test_plain_tesseract_is_told_the_page_s_own_language_pack():
    assert [real.tesseract_lang(code) for code in ("fra", "deu", "eng", "de", "xx")] == ["fra", "deu", "eng", "deu", "eng"]


def test_the_report_never_names_a_held_out_page():
    rows = {name: [{"id": page, "groups": [f"split {split}", "all"], "similarity": sim, "failed": False,
                    "cpu_s": 1.0, "confidence": None} for page, split, sim in pages]
            for name, pages in {real.PLAIN: [("kept", "tune", 0.9), ("hidden", "heldout", 0.9)],
                                "cpu": [("kept", "tune", 0.5), ("hidden", "heldout", 0.1)]}.items()}
    report = {"pages": 2, "split": "all", "rows": rows,
              "systems": {name: {"summary": real.summarize(r)} for name, r in rows.items()}}
    text = real.markdown(report)
    assert "2 pages more than 0.01 below" in text and "kept (-0.400)" in text and "hidden" not in text
