"""`finepdfs ocr --engine rapidocr`: scans read back as their text, mixed PDFs keep their text layer, and every
hostile input ends as a failed page or an error row, with a balanced ledger."""

import pymupdf
import pytest

from shared import schemas
from stages.ocr.conftest import run_ocr, stage_output
from textkit.markers import FAILED_PAGE_MARKER
from textkit.pages import check_page_ends, split_pages
from tools.ocr.evaluate import char_errors, normalize
from tools.ocr.fixtures import routed_row, scanned_pdf, write_routed_shard

pytestmark = pytest.mark.slow  # worker processes and a stage run per test

PAGES = [
    "Harbour Office Notice\n\nThe north quay will be closed for repairs from the second to the ninth of May. "
    "Vessels due in that week should use berths four to seven on the south side.",
    "Fuel deliveries continue as usual. Questions about moorings go to the harbour master, whose office is "
    "open from eight in the morning until four in the afternoon, Monday to Friday.",
]


def encrypted_pdf() -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "secret")
    return doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="u", owner_pw="o")


@pytest.fixture(scope="module")
def cpu_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cpu-ocr")
    scan = scanned_pdf(PAGES)
    mixed = scanned_pdf(PAGES, text_pages=(0,))
    rows = [
        routed_row(scan, "scan.pdf"),
        routed_row(mixed, "mixed.pdf", pages_needing_ocr=[1]),
        routed_row(scan, "lying_count.pdf", num_pages=3, doc_id="lying"),  # classify said 3, the PDF has 2
        routed_row(encrypted_pdf(), "encrypted.pdf"),
        routed_row(b"%PDF-1.4 this is not really a pdf", "garbage.pdf"),
        routed_row(scanned_pdf(PAGES * 2), "too_long.pdf", doc_id="too-long"),
    ]
    write_routed_shard(rows, tmp / "in")
    config = tmp / "ocr.toml"
    config.write_text("[ocr]\nmax_pages = 3\nrender_workers = 2\n")
    code = run_ocr("--input", str(tmp / "in"), "--output", str(tmp / "out"), "--engine", "rapidocr",
                   "--config", str(config))
    return code, stage_output(tmp / "out")


def test_scanned_pages_are_read_as_their_text(cpu_run):
    code, out = cpu_run
    assert code == 0
    row = out["rows"]["scan.pdf"]
    assert row[schemas.EXTRACTOR] == "rapidocr"
    assert row[schemas.NUM_PAGES] == 2 and row[schemas.FAILED_PAGES] == []
    check_page_ends(row[schemas.TEXT], row[schemas.PAGE_ENDS])
    for truth, page in zip(PAGES, split_pages(row[schemas.TEXT], row[schemas.PAGE_ENDS]), strict=True):
        assert char_errors(truth, page) <= 0.05 * len(normalize(truth)), page


def test_mixed_pdf_keeps_its_text_layer_and_ocrs_the_scanned_page(cpu_run):
    _, out = cpu_run
    pages = split_pages(out["rows"]["mixed.pdf"][schemas.TEXT], out["rows"]["mixed.pdf"][schemas.PAGE_ENDS])
    assert normalize(pages[0]) == normalize(PAGES[0])  # the text layer, exactly
    assert char_errors(PAGES[1], pages[1]) <= 0.05 * len(normalize(PAGES[1]))
    confidence = out["rows"]["mixed.pdf"][schemas.PAGE_OCR_CONFIDENCE]  # none for the text layer's page
    assert confidence[0] is None and 0.8 <= confidence[1] <= 1.0
    assert out["rows"]["mixed.pdf"][schemas.PAGE_READ_BY] == [schemas.PAGE_FROM_TEXT_LAYER, "rapidocr"]


def test_a_page_that_cannot_be_read_is_a_marked_failed_page(cpu_run):
    _, out = cpu_run
    row = out["rows"]["lying_count.pdf"]
    assert row[schemas.NUM_PAGES] == 3 and row[schemas.FAILED_PAGES] == [2]
    assert row[schemas.PAGE_READ_BY][2] is None  # a failed page was read by nothing
    pages = split_pages(row[schemas.TEXT], row[schemas.PAGE_ENDS])
    assert pages[2] == FAILED_PAGE_MARKER and FAILED_PAGE_MARKER not in pages[0] + pages[1]


def test_unreadable_and_oversized_pdfs_are_error_rows_and_the_ledger_balances(cpu_run):
    _, out = cpu_run
    classes = {row[schemas.ERROR_CLASS] for row in out["errors"].values()}
    assert out["errors"]["too-long"][schemas.ERROR_CLASS] == "TooManyPages"
    assert classes == {"TooManyPages", "EncryptedPdf", "CorruptPdf"}
    assert len(out["errors"]) == 3  # encrypted, garbage, too long
    ledger = out["ledger"]
    assert ledger["balanced"] and ledger["docs_in"] == 6 and ledger["docs_out"] == 3 and ledger["docs_failed"] == 3
