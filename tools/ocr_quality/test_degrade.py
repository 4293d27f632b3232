"""The scan recipe is deterministic and writes what a scanner writes: an image-only PDF of the page's size."""

import random

import pymupdf

from tools.ocr_quality.degrade import ScanParams, jpeg_bytes, scan_image, scan_pdf


def source_page():
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_textbox(pymupdf.Rect(72, 72, 523, 770), "The north quay will be closed for repairs. " * 40)
    return doc, page


def test_parameters_come_from_the_seed_and_stay_in_the_recipes_ranges():
    first = [ScanParams.draw(random.Random(14)) for _ in range(3)]
    assert first == [ScanParams.draw(random.Random(14)) for _ in range(3)]
    for params in (ScanParams.draw(random.Random(seed)) for seed in range(200)):
        assert 150 <= params.dpi <= 200 and abs(params.skew_deg) <= 2.0 and 0.3 <= params.blur <= 0.9
        assert 30 <= params.jpeg_quality <= 75 and 4 <= params.noise <= 14 and params.ink < params.paper


def test_the_same_parameters_build_the_same_scan():
    _, page = source_page()
    params = ScanParams(dpi=160, skew_deg=1.2, blur=0.6, noise=8.0, jpeg_quality=50, ink=30, paper=235, seed=7)
    one, two = scan_image(page, params), scan_image(page, params)
    assert one.mode == "L" and one.tobytes() == two.tobytes()
    assert jpeg_bytes(one, 50) == jpeg_bytes(two, 50)


def test_the_scan_is_an_image_only_pdf_of_the_scanned_size_and_turns_when_fed_sideways():
    _, page = source_page()
    params = ScanParams(dpi=150, skew_deg=0.0, blur=0.5, noise=5.0, jpeg_quality=60, ink=20, paper=240, seed=1,
                        rotate=90)
    image = scan_image(page, params)
    assert abs(image.width - 842 * 150 / 72) <= 1 and abs(image.height - 595 * 150 / 72) <= 1  # MuPDF rounds up
    pdf = pymupdf.open(stream=scan_pdf([(jpeg_bytes(image, 60), image.width, image.height, 150)]))
    scanned = pdf[0]
    assert scanned.get_text().strip() == "" and len(scanned.get_images()) == 1
    assert abs(scanned.rect.width - 842) < 1 and abs(scanned.rect.height - 595) < 1
