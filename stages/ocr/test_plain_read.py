"""Never worse than the engine's plain read: a Tesseract read whose lines leave ink of its text area uncovered
lost lines, and the page as plain Tesseract sees it (own resolution, not smoothed) is read and kept when it
covers more; a read that covers its ink costs no second read. Pages drawn here: bars of ink standing for text
lines (what the coverage measure sees), and a stand-in reader that says which lines it found."""

from dataclasses import replace

from PIL import Image, ImageDraw

from stages.ocr.cpu_engine import TESSERACT, CpuOcrSettings, Line, _plain_read, _WorkerState, ink_covered

ROWS = [100 + 60 * i for i in range(10)]  # ten text lines, 30 px high, 60 px apart


def page(size=(600, 800), scale: int = 1, border: bool = False):
    """A grey-paper page of ten black bars, ``scale`` times the pixels (the scan at its own resolution)."""
    image = Image.new("L", (size[0] * scale, size[1] * scale), 225)
    draw = ImageDraw.Draw(image)
    for y in ROWS:
        draw.rectangle([80 * scale, y * scale, 520 * scale, (y + 30) * scale], fill=20)
    if border:  # a dark scanner edge outside the text area: not text the read lost
        draw.rectangle([0, 0, 20 * scale, size[1] * scale], fill=0)
    return image


def lines(rows, scale: int = 1) -> list[Line]:
    return [Line(78 * scale, (y - 2) * scale, 522 * scale, (y + 32) * scale, "word " * 8, 0.9) for y in rows]


def test_ink_covered_is_the_share_of_the_text_areas_ink_inside_read_lines():
    assert ink_covered(page(), lines(ROWS)) == 1.0
    lost = ink_covered(page(), lines(ROWS[:2] + ROWS[5:]))  # three lines in the middle dropped
    assert 0.65 <= lost <= 0.75
    assert ink_covered(page(border=True), lines(ROWS)) == 1.0  # ink outside the lines' area is not counted
    assert ink_covered(page(), []) is None


class StandIn:
    """Tesseract as far as _plain_read needs it: the lines it 'finds' on the plain page, and what it was asked."""

    def __init__(self, found: list[Line]):
        self.found, self.calls = found, []

    def read_model(self, image, model, smooth=True):
        self.calls.append((image.size, model, smooth))
        return self.found


def state(reader: StandIn, below: float | None = None) -> _WorkerState:
    settings = CpuOcrSettings(engine="cpu") if below is None else CpuOcrSettings(engine="cpu", plain_read_below=below)
    return _WorkerState(settings, cache=None, engines={TESSERACT: reader})


def test_a_read_that_lost_lines_is_replaced_by_the_plain_read_at_the_scans_own_resolution():
    reader = StandIn(lines(ROWS, scale=2))
    ours = lines(ROWS[:2] + ROWS[5:])
    image, kept, covered, plain = _plain_read(state(reader), page(), ours, "Arabic", lambda: page(scale=2), 0)
    assert plain and kept is reader.found and image.size == (1200, 1600) and covered == 1.0
    assert reader.calls == [((1200, 1600), "Arabic", False)]  # the same model, not smoothed


def test_the_plain_read_is_kept_only_when_it_covers_more():
    ours = lines(ROWS[:2] + ROWS[5:])
    reader = StandIn(lines(ROWS[:2] + ROWS[5:], scale=2))  # loses the same lines
    image, kept, _, plain = _plain_read(state(reader), page(), ours, "fra", lambda: page(scale=2), 0)
    assert not plain and kept is ours and image.size == (600, 800)


def test_a_plain_read_that_covers_more_but_reads_less_surely_is_not_kept():
    ours = lines(ROWS[:2] + ROWS[5:])
    unsure = [replace(line, confidence=0.6) for line in lines(ROWS, scale=2)]  # noise read as lines
    _, kept, _, plain = _plain_read(state(StandIn(unsure)), page(), ours, "Arabic", lambda: page(scale=2), 0)
    assert not plain and kept is ours


def test_a_read_that_covers_its_ink_costs_no_second_read():
    def never():
        raise AssertionError("a page read whole is not read again")

    reader = StandIn([])
    image, kept, covered, plain = _plain_read(state(reader), page(), lines(ROWS), "fra", never, 0)
    assert not plain and covered == 1.0 and reader.calls == []
    _, _, covered, plain = _plain_read(state(reader, below=0), page(), lines(ROWS[:5]), "fra", never, 0)
    assert (covered, plain) == (None, False)  # 0 turns it off: not even measured


def test_a_turned_page_is_read_plain_turned_the_same_way():
    reader = StandIn(lines(ROWS, scale=2))
    turned = page().rotate(90, expand=True)
    _plain_read(state(reader), page(), lines(ROWS[:2] + ROWS[-1:]), "fra", lambda: turned, 270)
    assert reader.calls[0][0] == (600, 800)  # upright again, as our read was


def test_the_plain_read_sees_a_600_dpi_scan_at_600_dpi(tmp_path):
    from stages.ocr.render import PdfCache, RenderSpec, ScanResolution, render_for_ocr, scaled_down
    from tools.ocr.fixtures import image_pdf

    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(image_pdf([page(scale=2)], dpi=600))  # 1200 x 1600 px: 2 x 2.67 inches
    cache, resolution = PdfCache(), ScanResolution()
    assert scaled_down(cache, str(pdf), 0, resolution)
    assert render_for_ocr(cache, str(pdf), 0, resolution, RenderSpec()).size == (600, 800)  # cpu_max_dpi 300
    assert render_for_ocr(cache, str(pdf), 0, resolution, RenderSpec(), own_dpi=True).size == (1200, 1600)


def test_a_scan_read_at_its_own_resolution_has_no_plain_read(tmp_path):
    from stages.ocr.render import PdfCache, ScanResolution, scaled_down
    from tools.ocr.fixtures import image_pdf

    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(image_pdf([page()], dpi=200))
    assert not scaled_down(PdfCache(), str(pdf), 0, ScanResolution())
