"""`finepdfs ocr --engine cpu` (the default CPU path) on rendered scans, no language configured: each page's
script and orientation are detected and the matching engine and model read it, two columns come out column
by column, every OCR'd page keeps its confidence, and a page that is not text is a failed page."""

import json
from pathlib import Path

import pytest

from shared import schemas
from stages.ocr.conftest import run_ocr, stage_output
from textkit.markers import FAILED_PAGE_MARKER
from textkit.pages import split_pages
from tools.ocr.fixtures import image_pdf, rendered_page, routed_row, write_routed_shard
from tools.ocr_quality.text import similarity

pytestmark = pytest.mark.slow

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian's fonts-dejavu-core
BODY = (60, 60, 535, 782)

RUSSIAN = ("Порт будет закрыт на ремонт со второго по девятое мая. Суда, которые придут на этой неделе, должны "
           "использовать причалы с четвёртого по седьмой на южной стороне. Топливо доставляется как обычно, а "
           "вопросы о стоянке следует задавать начальнику порта, который работает с восьми утра до четырёх.")
CHINESE = "北码头将于五月二日至九日关闭维修。本周到港的船只应使用南侧四号至七号泊位。燃料照常供应，关于停泊的问题请咨询港务长。"
LEFT = ("The north quay will be closed for repairs from the second to the ninth of May. Vessels due in that week "
        "should use berths four to seven on the south side of the harbour basin.")
RIGHT = ("Fuel deliveries continue as usual. Questions about moorings go to the harbour master, whose office is "
         "open from eight in the morning until four in the afternoon, Monday to Friday.")
ENGLISH = LEFT + " " + RIGHT
ARABIC = ("سيغلق الرصيف الشمالي للصيانة من الثاني إلى التاسع من مايو، وعلى السفن التي تصل في ذلك الأسبوع أن تستخدم "
          "المراسي من الرابع إلى السابع في الجانب الجنوبي. يستمر توريد الوقود كالمعتاد، وتوجه الأسئلة عن الرسو إلى "
          "مدير الميناء الذي يعمل مكتبه من الثامنة صباحا حتى الرابعة مساء.")
CODE = "\n".join(["import numpy as np", "def load(path):", "    return np.loadtxt(path, delimiter=',')",
                  "values = load('data.csv')", "print(values.mean(axis=0))"] * 3)
NOT_TEXT = " ".join("qwerty zxcvb asdf ghjkl poiuy mnbvc" for _ in range(40))  # set in a dingbat font


def rendered_rtl_page(text: str, fontsize: float = 13, dpi: int = 200):
    """A grayscale A4 page of right-to-left text, shaped by MuPDF's HTML layout (HarfBuzz) in DejaVu Sans."""
    import pymupdf
    from PIL import Image

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    css = f"@font-face {{font-family: dv; src: url({DEJAVU.name});}} p {{font-family: dv; font-size: {fontsize}pt;}}"
    page.insert_htmlbox(pymupdf.Rect(*BODY), f'<p dir="rtl">{text}</p>', css=css,
                        archive=pymupdf.Archive(str(DEJAVU.parent)))
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    return Image.frombytes("L", (pix.width, pix.height), pix.samples)


@pytest.fixture(scope="module")
def cpu_run(tmp_path_factory):
    if not DEJAVU.is_file():
        pytest.skip(f"{DEJAVU} missing (apt-get install fonts-dejavu-core): no Cyrillic font to render with")
    tmp = tmp_path_factory.mktemp("cpu-scripts")
    pages = {
        "russian.pdf": rendered_page([(BODY, RUSSIAN)], fontfile=str(DEJAVU), fontsize=12),
        "chinese.pdf": rendered_page([(BODY, CHINESE)], fontname="china-s", fontsize=14),
        "columns.pdf": rendered_page([((60, 60, 290, 782), LEFT), ((305, 60, 535, 782), RIGHT)], fontsize=12),
        "upside_down.pdf": rendered_page([(BODY, ENGLISH)], fontsize=12, rotate=180),
        "arabic.pdf": rendered_rtl_page(ARABIC),
        # a Chinese page that is mostly a code block: OSD may call it Latin, whose model cannot write Han
        "chinese_code.pdf": rendered_page([((60, 60, 535, 110), CHINESE[:24])], fontname="china-s", fontsize=14,
                                          more=[((60, 120, 535, 782), CODE, "cour", 11)]),
    }
    rows = [routed_row(image_pdf([image]), name, doc_id=name) for name, image in pages.items()]
    not_text = rendered_page([(BODY, NOT_TEXT)], fontname="zadb", fontsize=14)
    rows.append(routed_row(image_pdf([pages["columns.pdf"], not_text]), "not_text.pdf", doc_id="not_text.pdf"))
    rows.append(routed_row(image_pdf([not_text]), "only_not_text.pdf", doc_id="only_not_text.pdf"))
    write_routed_shard(rows, tmp / "in")
    config = tmp / "ocr.toml"
    config.write_text(f'[ocr]\nrender_workers = 2\npage_log = "{tmp / "pages"}"\n')
    code = run_ocr("--input", str(tmp / "in"), "--output", str(tmp / "out"), "--engine", "cpu", "--config",
                   str(config))
    log = {}
    for file in (tmp / "pages").glob("*.jsonl"):
        for line in file.read_text().splitlines():
            item = json.loads(line)
            log[item["id"] if item["page"] == 0 else f"{item['id']}#{item['page']}"] = item
    return code, stage_output(tmp / "out"), log


def page_text(out, name: str) -> str:
    row = out["rows"][name]
    return split_pages(row[schemas.TEXT], row[schemas.PAGE_ENDS])[0]


def test_each_script_is_read_by_its_engine_and_model(cpu_run):
    code, out, log = cpu_run
    assert code == 0
    # OSD names the script, the probe's language names the model (language after script); no Latin word on the
    # page: rus reads alone (cpu_engine._holds_latin_words)
    assert (log["russian.pdf"]["script"], log["russian.pdf"]["engine"], log["russian.pdf"]["model"]) == \
        ("Cyrillic", "tesseract", "rus")
    assert (log["chinese.pdf"]["script"], log["chinese.pdf"]["engine"]) == ("Han", "rapidocr")
    assert (log["columns.pdf"]["script"], log["columns.pdf"]["engine"], log["columns.pdf"]["model"]) == \
        ("Latin", "tesseract", "eng")
    assert out["rows"]["russian.pdf"][schemas.EXTRACTOR] == "tesseract"
    assert out["rows"]["chinese.pdf"][schemas.EXTRACTOR] == "rapidocr"
    assert (log["arabic.pdf"]["script"], log["arabic.pdf"]["engine"], log["arabic.pdf"]["model"]) == \
        ("Arabic", "tesseract", "Arabic")
    assert similarity(RUSSIAN, page_text(out, "russian.pdf")) >= 0.95
    assert similarity(CHINESE, page_text(out, "chinese.pdf"), "Han") >= 0.9


def test_a_chinese_page_of_code_keeps_its_chinese_and_its_code(cpu_run):
    # regions, not pages: the line Tesseract's alphabetic model read unsure is RapidOCR's Han, the code stays
    _, out, log = cpu_run
    assert log["chinese_code.pdf"]["model"].endswith("+rapidocr"), log["chinese_code.pdf"]
    text = page_text(out, "chinese_code.pdf")
    assert CHINESE[:12] in text.replace(" ", "") and "import numpy as np" in text, text


def test_arabic_is_read_right_to_left_without_the_engines_artefacts(cpu_run):
    _, out, _ = cpu_run
    text = page_text(out, "arabic.pdf")
    assert similarity(ARABIC, text) >= 0.9, text
    assert "\u200e" not in text and "\u200f" not in text and "»" not in text  # bidi marks, the comma misread


def test_two_columns_come_out_column_after_column(cpu_run):
    _, out, _ = cpu_run
    text = page_text(out, "columns.pdf")
    assert similarity(LEFT + "\n" + RIGHT, text) >= 0.97, text


def test_an_upside_down_scan_is_turned_and_read(cpu_run):
    _, out, log = cpu_run
    assert log["upside_down.pdf"]["orientation"] == 180
    assert similarity(ENGLISH, page_text(out, "upside_down.pdf")) >= 0.95


def test_a_page_that_is_not_text_is_failed_for_low_confidence(cpu_run):
    _, out, log = cpu_run
    row = out["rows"]["not_text.pdf"]
    pages = split_pages(row[schemas.TEXT], row[schemas.PAGE_ENDS])
    assert row[schemas.FAILED_PAGES] == [1] and pages[1] == FAILED_PAGE_MARKER
    assert similarity(LEFT + "\n" + RIGHT, pages[0]) >= 0.97
    page = log["not_text.pdf#1"]
    assert row[schemas.PAGE_OCR_CONFIDENCE][1] == pytest.approx(page["confidence"], abs=1e-4)
    assert page["confidence"] < {"tesseract": 0.5, "rapidocr": 0.75}[page["engine"]]  # [ocr.min_confidence]
    error = out["errors"]["only_not_text.pdf"]  # its only page is not text: the document is an error row
    assert error[schemas.ERROR_CLASS] == "AllPagesFailed" and "low_confidence x1" in error[schemas.ERROR_MESSAGE]


def test_every_ocr_page_keeps_its_confidence(cpu_run):
    _, out, log = cpu_run
    assert out["ledger"]["balanced"] and out["ledger"]["docs_out"] == 7 and out["ledger"]["docs_failed"] == 1
    for name, row in out["rows"].items():
        assert len(row[schemas.PAGE_OCR_CONFIDENCE]) == row[schemas.NUM_PAGES]
        assert row[schemas.PAGE_OCR_CONFIDENCE][0] == pytest.approx(log[name]["confidence"], abs=1e-4)
    assert all(0.8 <= out["rows"][n][schemas.PAGE_OCR_CONFIDENCE][0] <= 1.0
               for n in ("russian.pdf", "chinese.pdf", "columns.pdf", "upside_down.pdf", "arabic.pdf"))
