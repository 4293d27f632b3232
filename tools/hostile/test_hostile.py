"""The hostile generator makes what it says: checked on the bytes (structure), never by letting a reader hang."""

import hashlib
import io
import json
import os
import random
import re
import stat
import struct
import zlib

import pymupdf
import pytest

import tools.hostile as hostile
from tools.hostile import corpus, mutate, warcs

REPORT = corpus.SAMPLES / "text" / "report_en.pdf"


def objects(pdf: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(2) for m in re.finditer(rb"(?s)(\d+) 0 obj\n(.*?)\nendobj", pdf)}


def test_nested_xobjects_are_nine_levels_each_drawing_the_next_ten_times():
    pdf = hostile.nested_xobjects_pdf()
    assert len(pdf) < 3300
    found = objects(pdf)
    page = next(body for body in found.values() if b"/Type /Page " in body)
    assert b"/X9 15 0 R" in page and b"q /X9 Do Q" in found[5]
    assert found[6].endswith(b"stream\n0 0 m 595 842 l S\nendstream")  # X0 draws a line
    for k in range(1, 10):
        body = found[6 + k]
        assert b"/XObject << /X%d %d 0 R >>" % (k - 1, 5 + k) in body
        assert body.count(b"/X%d Do" % (k - 1)) == 10
    with pymupdf.open(stream=pdf) as doc:  # MuPDF parses it (it is hostile by cost, not by syntax)
        assert doc.page_count == 1 and doc.xref_length() == 16


def test_many_text_operators_fit_in_16_kb():
    pdf = hostile.many_text_operators_pdf()
    assert len(pdf) <= 16 * 1024
    body = objects(pdf)[5]
    data = zlib.decompress(body[body.index(b"stream\n") + 7 : body.rindex(b"\nendstream")])
    assert len(re.findall(rb"\)Tj", data)) == 300_000


def test_deep_array_page_is_the_one_mupdf_cannot_load():
    with pymupdf.open(stream=hostile.deep_array_pdf()) as doc:
        assert doc.page_count == 2
        pymupdf.TOOLS.mupdf_warnings(reset=True)
        assert doc[0].get_text().startswith("Page 1 of 2.\nThe harbour master kept a ledger")
        assert doc[1].get_text() == ""  # loaded as an empty page: what issue 12 found shipped as a page
        assert "stack overflow" in pymupdf.TOOLS.mupdf_warnings()


def test_a_5000_page_pdf_has_5000_pages():
    with pymupdf.open(stream=hostile.huge_page_count_pdf()) as doc:
        assert doc.page_count == 5000
        assert doc[4999].get_text().startswith("Page 5000 of 5000.\nThe harbour master")


def test_bombs_are_small_and_declare_what_they_would_cost():
    flate = hostile.flate_bomb_pdf()
    assert len(flate) < 10_000
    data = objects(flate)[4]
    inner = zlib.decompress(data[data.index(b"stream\n") + 7 : data.rindex(b"\nendstream")])
    inflater = zlib.decompressobj()
    assert len(inflater.decompress(inner, 1 << 20)) == 1 << 20  # layer two inflates on (1 GiB in all)
    image = objects(hostile.image_bomb_pdf())[6]
    assert b"/Width 40000 /Height 40000" in image and len(image) < 2000
    jbig2 = objects(hostile.jbig2_bomb_pdf())[6]
    segments = jbig2[jbig2.index(b"stream\n") + 7 : jbig2.rindex(b"\nendstream")]
    number, flags, _, page, length = struct.unpack(">IBBBI", segments[:11])
    assert (number, flags & 0x3F, page, length) == (0, 48, 1, 19)  # page information: 30000 x 30000
    assert struct.unpack(">II", segments[11:19]) == (30_000, 30_000)
    zip_bomb = hostile.zip_bomb()
    import zipfile

    with zipfile.ZipFile(io.BytesIO(zip_bomb)) as archive:
        assert archive.getinfo("zeros.bin").file_size == 1 << 30 and len(zip_bomb) < 2 << 20


def test_mutations_are_seeded_and_do_what_they_say():
    pdf = REPORT.read_bytes()
    one, two = (mutate.flip_bytes(pdf, random.Random(7), 16) for _ in range(2))
    assert one == two and one != pdf and sum(a != b for a, b in zip(one, pdf, strict=True)) <= 16
    assert mutate.truncate(pdf, 39843) == pdf[:39843]
    assert b"startxref" not in mutate.drop_startxref(pdf)
    scrambled = mutate.scramble_xref(pdf, random.Random(1))
    assert len(scrambled) == len(pdf) and scrambled != pdf
    assert mutate.shift_offsets(pdf).endswith(pdf) and mutate.shift_offsets(pdf).index(b"%PDF-") < 1024
    fixed = {n for n, _, _ in mutate.mutants("r", pdf, random.Random(0))}
    varied = {n for n, _, _ in mutate.mutants("r", pdf, random.Random(0), varied=True)}
    assert len(fixed) == len(varied) == 17 and len(fixed & varied) < 8  # a second round: other cuts and shifts
    pages = re.search(rb"/Pages\s+(\d+)\s+0\s+R", pdf).group(1)
    assert b"\n%s 0 obj" % pages not in mutate.delete_page_tree(pdf)


@pytest.mark.slow
def test_the_mutant_set_has_200_named_mutants_and_is_the_same_every_time():
    first = corpus.mutant_set(seed=3)
    assert len(first) >= 200 and len({m.name for m in first}) == len(first)
    kinds = {m.kind for m in first}
    assert {"truncated", "byte_flips", "xref_damage", "deleted_object", "nested_xobjects", "many_text_operators",
            "deep_array", "flate_bomb", "jbig2_bomb", "image_bomb", "encrypted", "zero_pages", "not_a_pdf_html",
            "huge_page_count"} <= kinds
    issue = next(m for m in first if m.name == "issue12-report_en-head-39843")
    assert issue.data == REPORT.read_bytes()[:39843]
    again = corpus.mutant_set(seed=3)
    assert [hashlib.sha256(m.data).digest() for m in first] == [hashlib.sha256(m.data).digest() for m in again]


def test_damaged_warcs_damage_one_record():
    records = [(f"https://w.example/{i}.pdf", hostile.text_pdf(f"record {i}")) for i in range(3)]
    intact, offsets = warcs.warc_file(records, gzip=False)
    assert intact == warcs.warc_file(records, gzip=False)[0]  # fixed ids and dates: the same bytes
    _, short = warcs.damaged_warc(records, "content_length_short")
    assert short[: offsets[1]] == intact[: offsets[1]] and short != intact
    suffix, cut = warcs.damaged_warc(records, "cut")
    gz, gz_offsets = warcs.warc_file(records, gzip=True)
    assert suffix == ".warc.gz" and gz_offsets[1] < len(cut) < gz_offsets[2] and gz.startswith(cut)


def test_a_small_corpus_lists_every_input_it_wrote(tmp_path):
    manifest = corpus.write_corpus(tmp_path / "c", count=60, seed=5, hostile_share=0.2, warc_share=0.5)
    root = tmp_path / "c" / "pdfs"
    listed = json.loads((tmp_path / "c" / "manifest.json").read_text())
    assert len(listed["inputs"]) == len(manifest.inputs) >= 60
    kinds = {i.kind for i in manifest.inputs}
    assert {"good", "scan", "duplicate", "hostile", "oddity"} <= kinds
    for entry in manifest.inputs:
        path = os.path.join(os.fsencode(root), hostile_bytes(entry.path))
        if entry.kind == "oddity":
            continue
        with open(path, "rb") as f:
            data = f.read()
        if entry.url is None:
            assert hashlib.sha256(data).hexdigest() == entry.sha256, entry.path
    assert stat.S_ISFIFO(os.lstat(root / "odd" / "fifo.pdf").st_mode)
    assert {e.warc_damage for e in manifest.inputs if e.warc_damage} == set(warcs.DAMAGES)
    urls = [e.url for e in manifest.inputs if e.url]
    assert len(urls) == len(set(urls))


def hostile_bytes(text: str) -> bytes:
    from urllib.parse import unquote_to_bytes

    return unquote_to_bytes(text)
