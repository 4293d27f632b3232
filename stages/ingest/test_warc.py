"""Damaged WARC files: every record that can be read is read, and a record that is not whole says so.

The WARCs are written in the test with warcio's WARCWriter and then damaged on purpose: a wrong Content-Length
(too short, too long), junk over a record's header, a gzip member with flipped bytes, a .warc.gz cut short.
"""

import io
import json
import re

import pymupdf
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from shared import schemas
from shared.shards import read_dataset
from stages.cli import run_stage
from stages.ingest import warc


def make_pdf(text: str, noise: int = 0) -> bytes:
    """A small PDF; ``noise`` bytes of incompressible data in it make its gzip member long (to cut inside)."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), text)
    if noise:
        import random

        rng = random.Random(text)
        doc.embfile_add("noise.bin", bytes(rng.getrandbits(8) for _ in range(noise)))
    return doc.tobytes()


PDFS = [make_pdf(f"record {i}", noise=4000) for i in range(4)]
URLS = [f"https://example.org/{i}.pdf" for i in range(4)]


def write_warc(gzip: bool, pdfs=PDFS) -> tuple[bytes, list[int]]:
    """A WARC holding a request record, then one response per PDF; and the offset of each response."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    writer.write_record(writer.create_warc_record("https://example.org/", "request", payload=io.BytesIO(
        b"GET / HTTP/1.1\r\nHost: example.org\r\n\r\n")))
    offsets = []
    for url, pdf in zip(URLS, pdfs, strict=True):
        offsets.append(buffer.tell())
        headers = StatusAndHeaders("200 OK", [("Content-Type", "application/pdf")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(pdf), http_headers=headers))
    return buffer.getvalue(), offsets


def with_content_length(data: bytes, offset: int, delta: int) -> bytes:
    field = re.compile(rb"Content-Length: (\d+)").search(data, offset)
    return data[: field.start(1)] + str(int(field.group(1)) + delta).encode() + data[field.end(1):]


def scanned(data: bytes, gzip: bool) -> list[tuple]:
    """(url or 'gap', damage, payload) of each record / gap found."""
    found = []
    for entry in warc.scan(io.BytesIO(data), gzip, 1 << 24):
        if isinstance(entry, warc.WarcGap):
            found.append(("gap", entry.reason, None))
        elif entry.rec_type == "response":
            found.append((entry.headers.get_header("WARC-Target-URI"), entry.damage, warc.payload(entry, 1 << 24).data))
    return found


def test_an_intact_warc_reads_as_warcio_reads_it():
    for gzip in (False, True):
        data, _ = write_warc(gzip)
        assert scanned(data, gzip) == [(url, None, pdf) for url, pdf in zip(URLS, PDFS, strict=True)]


def test_content_length_too_short_is_flagged_and_the_next_records_are_read():
    data, offsets = write_warc(gzip=False)
    found = scanned(with_content_length(data, offsets[1], -100), gzip=False)
    assert [(u, d) for u, d, _ in found] == [(URLS[0], None), (URLS[1], "content_length_short"), (URLS[2], None),
                                             (URLS[3], None)]
    assert PDFS[1].startswith(found[1][2]) and len(found[1][2]) == len(PDFS[1]) - 100


def test_content_length_too_long_gives_back_the_record_it_ran_over():
    data, offsets = write_warc(gzip=False)
    found = scanned(with_content_length(data, offsets[1], +700), gzip=False)
    assert [(u, d) for u, d, _ in found] == [(URLS[0], None), (URLS[1], "content_length_long"), (URLS[2], None),
                                             (URLS[3], None)]
    assert found[2][2] == PDFS[2]


def test_junk_over_a_record_header_is_one_gap_and_the_records_after_it_are_read():
    data, offsets = write_warc(gzip=False)
    damaged = data[: offsets[2]] + b"\x00garbage\xff" * 20 + data[offsets[2] + 8:]  # "WARC/1.0" overwritten
    assert [(u, d) for u, d, _ in scanned(damaged, gzip=False)] == [
        (URLS[0], None), (URLS[1], None), ("gap", "bytes that are no WARC record"), (URLS[3], None)]


def test_a_damaged_gzip_member_is_flagged_and_later_members_are_read():
    data, offsets = write_warc(gzip=True)
    damaged = bytearray(data)
    damaged[offsets[1] + (offsets[2] - offsets[1]) // 2] ^= 0xFF  # inside record 1's compressed payload
    found = scanned(bytes(damaged), gzip=True)
    assert [(u, d) for u, d, _ in found] == [(URLS[0], None), (URLS[1], "gzip_damaged"), (URLS[2], None),
                                             (URLS[3], None)]


def test_a_warc_gz_cut_in_the_middle_gives_its_complete_records_and_the_partial_one_flagged():
    data, offsets = write_warc(gzip=True)
    cut = data[: offsets[2] + (offsets[3] - offsets[2]) * 2 // 3]
    found = scanned(cut, gzip=True)
    assert [(u, d) for u, d, _ in found] == [(URLS[0], None), (URLS[1], None), (URLS[2], "cut")]
    assert PDFS[2].startswith(found[2][2]) and 0 < len(found[2][2]) < len(PDFS[2])


@pytest.fixture
def damaged_warcs(tmp_path):
    """Three damaged WARCs in one folder, with the records each holds and how each must come out."""
    root = tmp_path / "in"
    root.mkdir()
    plain, offsets = write_warc(gzip=False)
    (root / "short.warc").write_bytes(with_content_length(plain, offsets[1], -100))
    (root / "junk.warc").write_bytes(plain[: offsets[2]] + b"\x00garbage\xff" * 20 + plain[offsets[2] + 8:])
    gz, goffsets = write_warc(gzip=True, pdfs=[make_pdf(f"gz record {i}", noise=4000) for i in range(4)])
    (root / "cut.warc.gz").write_bytes(gz[: goffsets[2] + (goffsets[3] - goffsets[2]) * 2 // 3])
    return root


def test_ingest_of_damaged_warcs_reads_every_record_and_flags_the_partial_ones(damaged_warcs, tmp_path):
    out = tmp_path / "raw"
    assert run_stage("ingest", input=str(damaged_warcs), output=str(out)) == 0
    rows = read_dataset(out).to_pylist()
    got = sorted((r[schemas.FILE_PATH], r[schemas.URL], r[schemas.IS_TRUNCATED]) for r in rows)
    assert got == sorted([
        ("cut.warc.gz", URLS[0], False), ("cut.warc.gz", URLS[1], False), ("cut.warc.gz", URLS[2], True),
        ("junk.warc", URLS[0], False), ("junk.warc", URLS[1], False), ("junk.warc", URLS[3], False),
        ("short.warc", URLS[1], True), ("short.warc", URLS[2], False),
    ])  # short.warc's records 0 and 3 are junk.warc's PDFs again: one copy is kept, the others counted drops
    for row in rows:
        if not row[schemas.IS_TRUNCATED]:
            assert row[schemas.MEDIA][0]["media_bytes"] in PDFS or row[schemas.FILE_PATH] == "cut.warc.gz"
    errors = read_dataset(out / "errors").to_pylist()
    assert [(e[schemas.ERROR_CLASS], e[schemas.SOURCE]) for e in errors] == [("UnreadableArchive", "junk.warc")]
    assert "bytes that are no WARC record" in errors[0][schemas.ERROR_MESSAGE]
    drops = read_dataset(out / "drops").to_pylist()
    assert [(d[schemas.DROP_REASON], d[schemas.SOURCE]) for d in drops] == [("duplicate_pdf_bytes", URLS[0]),
                                                                              ("duplicate_pdf_bytes", URLS[3])]
    ledger = json.loads((out / "ledger" / "00000.json").read_text())
    assert (ledger["docs_in"], ledger["docs_out"], ledger["docs_dropped"], ledger["docs_failed"]) == (11, 8, 2, 1)
