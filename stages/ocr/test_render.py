"""Page sizing follows FinePDFs' rules; rendering lands exactly on the grid; a hung page costs one page."""

import base64
import io
import time

import pymupdf
import pytest
from PIL import Image

from shared.isolation import WorkerPool, WorkerTimeout
from stages.ocr.render import (
    PageTooElongated,
    PdfCache,
    RenderSpec,
    init_render_worker,
    render_page,
    render_work,
    target_size,
)

SPEC = RenderSpec()


def test_a4_page_is_1280_px_tall_on_the_28_px_grid():
    assert target_size(595, 842) == (896, 1288)  # 1280 rounds to 1288 = 46 x 28


def test_sizes_are_multiples_of_28_within_the_pixel_bounds():
    for width, height in [(595, 842), (842, 595), (1000, 1000), (612, 792), (300, 2000), (1280, 30), (50, 60)]:
        w, h = target_size(width, height)
        assert w % 28 == 0 and h % 28 == 0, (width, height, w, h)
        assert SPEC.min_pixels <= w * h <= SPEC.max_pixels, (width, height, w, h)


def test_square_page_is_shrunk_under_the_pixel_cap():
    w, h = target_size(1000, 1000)
    assert w == h and w * h <= 2048 * 28 * 28 and w > 1200


def test_thin_strip_is_raised_to_the_pixel_floor_and_absurd_ones_refused():
    w, h = target_size(1280, 30)
    assert w * h >= 56 * 28 * 28 and h >= 28
    with pytest.raises(PageTooElongated):
        target_size(10_000, 20)


def test_rendered_page_has_exactly_the_target_size(tmp_path):
    doc = pymupdf.open()
    doc.new_page(width=613, height=791).insert_text((72, 72), "Hello")
    path = tmp_path / "odd.pdf"
    doc.save(path)
    image = render_page(PdfCache(), str(path), 0, SPEC)
    assert image.size == target_size(613, 791)
    page = render_work(init_render_worker(SPEC), ("ocr", str(path), 0))
    assert Image.open(io.BytesIO(base64.b64decode(page.png_b64))).size == image.size


def init(arg):
    return arg


def work(state, payload):
    if payload == "hang":
        time.sleep(60)
    return f"{state}:{payload}"


def test_pool_survives_a_hung_page():
    with WorkerPool(init, "s", work, workers=1, timeout_s=2, max_memory_mb=0) as pool:
        hung = pool.submit("hang")
        after = pool.submit("next")
        with pytest.raises(WorkerTimeout):
            hung.result()
        assert after.result() == "s:next"
        assert pool.lost_workers == 1


def test_blank_test_spares_faint_show_through_and_reads_every_page_with_text():
    from shared.config import stage_settings
    from tools.ocr.ink_levels import measure, synthetic_pages

    settings = stage_settings("ocr")
    blank = {name: measure(image, settings["ink_contrast"]) for name, (image, _) in synthetic_pages().items()}
    blank = {name: ink <= settings["blank_max_ink"] * pixels for name, (ink, pixels) in blank.items()}
    assert blank == {"white page": True, "noisy blank scan": True, "show-through 18%": True,
                     "show-through 30%, blurred": True, "page number alone": True, "one 16 pt heading": False,
                     "page of 11 pt text": False, "page of 6 pt text": False, "white on black": False,
                     "faded (ink 120 on paper 235)": False}
