"""The real-scan set: true text from ALTO and PAGE, furniture apart, a split that never moves."""

from pathlib import Path

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
            assert page.get("lines") or (page["image"] and page["truth"])
            assert page["language"] and page["script"] and page["dpi"] > 0


LINES = "\n".join(["p7.png\t600 80 700 120\t12", "p7.png\t100 150 1200 200\tSchon bei Homer", "p8.png\t1 1 2 2\tother page",
                   "p7.png\t100 210 1200 260\t  und  Sophokles "]).encode()
OLR = b'''p7.png,1,"{}",2,0,"{""name"":""rect"",""x"":590,""y"":70,""width"":120,""height"":60}","{""text"":""page_number""}"
p7.png,1,"{}",2,1,"{""name"":""rect"",""x"":90,""y"":140,""width"":1200,""height"":200}","{""text"":""commentary""}"'''


def test_line_table_truth_keeps_the_page_s_rows_in_order_and_sets_the_page_number_apart():
    assert real.lines_tsv_text(LINES, "p7.png", OLR) == ("12\nSchon bei Homer\nund Sophokles",
                                                          "Schon bei Homer\nund Sophokles")
    assert real.lines_tsv_text(LINES, "p7.png") == ("12\nSchon bei Homer\nund Sophokles",) * 2


# a commentary page of GT4HistComment's shape: the play's verse in a primary_text region above the commentary
VERSE = "\n".join(["p9.png\t100 100 900 140\tΦρονοῦντα γάρ νιν", "p9.png\t100 150 900 190\tΑΘΗΝΑ.",
                   "p9.png\t100 400 900 440\tLobeck bemerkt hier"]).encode()
VERSE_OLR = b'''p9.png,1,"{}",2,0,"{""name"":""rect"",""x"":80,""y"":90,""width"":840,""height"":120}","{""text"":""primary_text""}"
p9.png,1,"{}",2,1,"{""name"":""rect"",""x"":80,""y"":380,""width"":840,""height"":80}","{""text"":""commentary""}"'''


def test_a_region_of_a_page_is_its_block_of_the_image_and_the_lines_inside_it():
    import io

    from PIL import Image

    assert real.lines_tsv_text(VERSE, "p9.png", VERSE_OLR, "primary_text") == ("Φρονοῦντα γάρ νιν\nΑΘΗΝΑ.",) * 2
    page = io.BytesIO()
    Image.new("L", (1000, 600), 255).save(page, format="PNG")
    crop = Image.open(io.BytesIO(real.crop_to_region(page.getvalue(), VERSE_OLR, "p9.png", "primary_text", 300)))
    assert crop.size == (841, 121) and round(crop.info["dpi"][0]) == 300


def test_plain_tesseract_is_told_the_page_s_own_language_pack():
    assert [real.tesseract_lang(code) for code in ("fra", "deu", "eng", "de", "xx")] == ["fra", "deu", "eng", "deu", "eng"]
    assert real.plain_lang({"language": "kpv", "tesseract": "rus"}) == "rus"
    assert real.plain_lang({"language": "fra"}) == "fra"
    assert real.plain_lang({"language": "grc", "tesseract": "grc"}) == "grc"
    pages = [real.RealPage({"language": code, **extra}, "", "", Path("x.png"))
             for code, extra in (("grc", {"tesseract": "grc"}), ("fra", {}), ("kpv", {"tesseract": "rus"}), ("fra", {}))]
    assert real.plain_packs(pages) == ["fra", "grc", "rus"]


# vyl-tujod-ocr's layout: one folder per batch, lines named page-sequence-line, a .gt.txt beside each
# transcribed line image (line 0053 has none; 0003 of page 0002 and the other folder are not selected)
LINE_FILES = ["data/1939_09/0100/kpv_0001-0052-line_1_56.tif", "data/1939_09/0100/kpv_0001-0052-line_1_56.gt.txt",
              "data/1939_09/0200/kpv_0001-0051-line_1_55.tif", "data/1939_09/0200/kpv_0001-0051-line_1_55.gt.txt",
              "data/1939_09/0100/kpv_0001-0053-line_1_57.tif", "data/1939_09/0100/kpv_0001-0099-line_2_9.tif",
              "data/1939_09/0100/kpv_0001-0099-line_2_9.gt.txt", "data/1939_09/0100/kpv_0002-0052-line_1_3.tif",
              "data/1939_09/0100/kpv_0002-0052-line_1_3.gt.txt", "data/1939_04/0100/kpv_0001-0052-line_1_1.tif",
              "data/1939_04/0100/kpv_0001-0052-line_1_1.gt.txt"]


def test_line_pairs_are_the_transcribed_lines_of_the_range_in_sequence_order():
    spec = {"dir": "data/1939_09", "pattern": r"^kpv_0001-(\d{4})-line_", "from": 51, "to": 80}
    assert [(n, Path(image).name) for n, image, _ in real.line_pairs(LINE_FILES, spec)] == [
        (51, "kpv_0001-0051-line_1_55.tif"), (52, "kpv_0001-0052-line_1_56.tif")]
    assert real.line_pairs(LINE_FILES, spec)[0][2] == "data/1939_09/0200/kpv_0001-0051-line_1_55.gt.txt"


def test_stitched_lines_keep_their_order_and_pixels_on_white_paper():
    import io

    from PIL import Image

    def line(width: int, ink: int) -> bytes:
        out = io.BytesIO()
        Image.new("L", (width, 40), ink).save(out, format="TIFF")
        return out.getvalue()

    page = Image.open(io.BytesIO(real.stitch_lines([line(300, 0), line(200, 100)], dpi=400)))
    assert page.size == (300 + 2 * 40, 40 + 10 + 40 + 2 * 40) and round(page.info["dpi"][0]) == 400
    assert page.getpixel((45, 45)) == 0 and page.getpixel((45, 95)) == 100  # first line above the second
    assert page.getpixel((5, 5)) == 255 and page.getpixel((45 + 250, 95)) == 255  # margin, right of a short line


def test_the_report_never_names_a_held_out_page():
    rows = {name: [{"id": page, "groups": [f"split {split}", "all"], "similarity": sim, "failed": False,
                    "cpu_s": 1.0, "confidence": None} for page, split, sim in pages]
            for name, pages in {real.PLAIN: [("kept", "tune", 0.9), ("hidden", "heldout", 0.9)],
                                "cpu": [("kept", "tune", 0.5), ("hidden", "heldout", 0.1)]}.items()}
    report = {"pages": 2, "split": "all", "rows": rows,
              "systems": {name: {"summary": real.summarize(r)} for name, r in rows.items()}}
    text = real.markdown(report)
    assert "2 pages more than 0.01 below" in text and "kept (-0.400)" in text and "hidden" not in text
