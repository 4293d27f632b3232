"""The CPU engine's RapidOCR reads in one worker: a line crop is read by the recogniser alone (no detection,
which costs 50x more on a crop), and a page read after it still finds the page's lines (RapidOCR keeps the
flags of its last call)."""

import pytest

from stages.ocr.cpu_engine import CpuOcrSettings, _RapidOcr, cjk_script
from tools.ocr.fixtures import rendered_page

pytest.importorskip("rapidocr")

LINES = ["北码头将于五月二日至九日关闭维修。", "本周到港的船只应使用南侧四号至七号泊位。", "燃料照常供应，关于停泊的问题请咨询港务长。"]


def test_a_line_crop_is_read_by_the_recogniser_and_a_page_read_after_it_still_finds_lines():
    page = rendered_page([((60, 60 + 40 * i, 535, 95 + 40 * i), line) for i, line in enumerate(LINES)],
                         fontname="china-s", fontsize=14)
    engine = _RapidOcr(CpuOcrSettings(engine="cpu"))
    top = 60 * 200 / 72  # the first line's box, in pixels at 200 dpi
    crop = page.crop((150, round(top) - 10, page.width - 150, round(top + 35 * 200 / 72)))
    text, confidence = engine.read_line(crop)
    assert cjk_script(text) == "Han" and LINES[0][:8] in text and confidence >= 0.8, (text, confidence)
    lines = engine.read(page)
    assert len(lines) >= len(LINES), [line.text for line in lines]
    assert LINES[1][:8] in "".join(line.text for line in lines)
