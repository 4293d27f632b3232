"""The bundled samples are what every stage's tests trust: check they are reproducible and that the ground
truth describes the files exactly (text layers, image-only pages, and each broken file's failure)."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pymupdf
import pytest

from samples import make_samples

HERE = Path(__file__).resolve().parent
PDFS = HERE / "pdfs"
TRUTH = json.loads((HERE / "ground_truth.json").read_text("utf-8"))
FILES: dict[str, dict] = TRUTH["files"]
# Written byte by byte by make_samples (no PyMuPDF writer involved): their bytes must never drift.
HAND_WRITTEN = ["broken/encrypted.pdf", "broken/zero_pages.pdf", "broken/empty.pdf", "broken/not_a_pdf.pdf"]


def norm(text: str) -> str:
    return " ".join(text.split())


def listing(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def with_kind(*kinds: str) -> list[str]:
    return [path for path, entry in FILES.items() if entry["kind"] in kinds]


def expected_page_text(page: dict) -> str:
    """What a plain text layer holds: header lines, body, footer lines (reading order)."""
    return norm(" ".join([*page["header"], page["text"], *page["footer"]]))


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> list[Path]:
    """Two independent regenerations: any difference between them is non-determinism."""
    outs = []
    for name in ("first", "second"):
        out = tmp_path_factory.mktemp(name)
        make_samples.build(out)
        outs.append(out)
    return outs


def test_regeneration_gives_same_files_and_ground_truth(regenerated):
    first, second = regenerated
    committed = listing(PDFS)
    fresh = listing(first / "pdfs")
    assert sorted(fresh) == sorted(committed)
    assert json.loads((first / "ground_truth.json").read_text("utf-8")) == TRUTH
    assert fresh == listing(second / "pdfs"), "two runs of make_samples.py wrote different bytes"
    for path in HAND_WRITTEN:
        assert fresh[path] == committed[path], f"{path} drifted: rerun `just samples` and commit"


def test_ground_truth_covers_exactly_the_files():
    assert sorted(FILES) == sorted(listing(PDFS))
    assert 15 <= len(FILES) <= 25
    assert sum(len(b) for b in listing(PDFS).values()) < 3 * 1024 * 1024
    for path, entry in FILES.items():
        assert entry["kind"] in {"text", "scanned", "mixed", "broken"}, path
        assert (entry["expect"] is not None) == (entry["kind"] == "broken"), path
        assert entry["language"] in {None, "en", "fr", "de", "es", "ru"}, path
        assert all(0 <= i < len(entry["pages"]) for i in entry["ocr_pages"]), path
    languages = {FILES[p]["language"] for p in with_kind("text")}
    assert {"en", "fr", "de", "es", "ru"} <= languages


@pytest.mark.parametrize("path", with_kind("text", "mixed"))
def test_text_layer_matches_ground_truth(path):
    entry = FILES[path]
    with pymupdf.open(PDFS / path) as doc:
        assert doc.page_count == len(entry["pages"])
        for number, page in enumerate(entry["pages"]):
            if number in entry["ocr_pages"]:
                continue
            got = norm(doc[number].get_text())
            want = expected_page_text(page)
            ratio = difflib.SequenceMatcher(None, want, got, autojunk=False).ratio()
            assert ratio > 0.98, f"{path} page {number}: ratio {ratio:.3f}"


def test_two_column_reading_order_is_column_one_then_column_two():
    path = next(p for p, e in FILES.items() if e["layout"] == "two_column")
    with pymupdf.open(PDFS / path) as doc:
        blocks = [b for b in doc[0].get_text("blocks") if b[6] == 0]
    mid = TRUTH["page_size_pt"][0] / 2
    left = [b for b in blocks if b[2] <= mid]
    right = [b for b in blocks if b[0] >= mid]
    assert left and right, "the page must really have two columns"
    body = norm(FILES[path]["pages"][0]["text"])
    assert body.index(norm(left[-1][4])) < body.index(norm(right[0][4]))


def test_report_boilerplate_repeats_on_every_page():
    entry = FILES["text/report_en.pdf"]
    headers = {tuple(p["header"]) for p in entry["pages"]}
    assert len(entry["pages"]) >= 4 and len(headers) == 1
    assert [p["footer"] for p in entry["pages"]] == [
        [f"Page {i} of {len(entry['pages'])}"] for i in range(1, len(entry["pages"]) + 1)
    ]
    assert all(p["footer"][0] not in p["text"] and p["header"][0] not in p["text"] for p in entry["pages"])


@pytest.mark.parametrize("path", with_kind("scanned", "mixed"))
def test_ocr_pages_are_images_without_text(path):
    entry = FILES[path]
    with pymupdf.open(PDFS / path) as doc:
        for number, page in enumerate(doc):
            if number in entry["ocr_pages"]:
                assert page.get_text().strip() == "", f"{path} page {number} has a text layer"
                (image,) = page.get_images()
                assert image[2] >= 1600 and image[3] >= 2300, "page image should be about 200 dpi A4"
            else:
                assert norm(page.get_text()) == expected_page_text(entry["pages"][number])
    assert entry["ocr_pages"] == ([1] if entry["kind"] == "mixed" else list(range(len(entry["pages"]))))


def test_exact_duplicate_is_byte_identical():
    dupes = {p: e["duplicate_of"] for p, e in FILES.items() if e["duplicate_of"]}
    assert dupes
    for copy, original in dupes.items():
        assert (PDFS / copy).read_bytes() == (PDFS / original).read_bytes()


def test_near_duplicates_differ_by_a_few_words():
    pairs = {p: e["near_duplicate_of"] for p, e in FILES.items() if e["near_duplicate_of"]}
    assert pairs
    for variant, original in pairs.items():
        words_a = " ".join(p["text"] for p in FILES[original]["pages"]).split()
        words_b = " ".join(p["text"] for p in FILES[variant]["pages"]).split()
        changed = sum(
            max(i2 - i1, j2 - j1)
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, words_a, words_b).get_opcodes()
            if tag != "equal"
        )
        assert 1 <= changed <= 12 and len(words_a) > 400
        assert (PDFS / variant).read_bytes() != (PDFS / original).read_bytes()


def broken(expect: str) -> str:
    (path,) = [p for p, e in FILES.items() if e["expect"] == expect]
    return path


def test_encrypted_needs_the_user_password():
    path = broken("encrypted")
    entry = FILES[path]
    with pymupdf.open(PDFS / path) as doc:
        assert doc.needs_pass
        assert doc.authenticate("") == 0 and doc.authenticate("not-the-password") == 0
        assert doc.authenticate(entry["password"]) > 0
        assert norm(doc[0].get_text()) == expected_page_text(entry["pages"][0])


def test_truncated_is_a_prefix_that_only_opens_by_repair():
    path = broken("truncated")
    source = FILES[path]["derived_from"]
    data, full = (PDFS / path).read_bytes(), (PDFS / source).read_bytes()
    assert full.startswith(data) and len(data) < 0.5 * len(full)
    assert b"%%EOF" not in data and b"startxref" not in data
    try:
        doc = pymupdf.open(PDFS / path)
    except (pymupdf.FileDataError, RuntimeError):
        return  # refusing it outright is an acceptable reading of a truncated file
    with doc:
        assert doc.is_repaired
        recovered = norm(" ".join(page.get_text() for page in doc))
        expected = " ".join(expected_page_text(p) for p in FILES[source]["pages"])
        assert len(recovered) < 0.5 * len(expected)


def test_empty_file_cannot_be_opened():
    path = broken("empty")
    assert (PDFS / path).stat().st_size == 0
    with pytest.raises(pymupdf.EmptyFileError):
        pymupdf.open(PDFS / path)


def test_not_a_pdf_is_refused():
    path = broken("not_pdf")
    assert not (PDFS / path).read_bytes().startswith(b"%PDF")
    with pytest.raises(pymupdf.FileDataError):
        pymupdf.open(PDFS / path)


def test_zero_pages_opens_cleanly_with_no_pages():
    with pymupdf.open(PDFS / broken("zero_pages")) as doc:
        assert doc.page_count == 0 and not doc.is_repaired and not doc.needs_pass
