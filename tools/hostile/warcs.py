"""WARC files of PDF records, intact or damaged the ways issue 12 found: a wrong Content-Length, junk over a
record, a damaged gzip member, a .warc.gz cut in the middle. Written with warcio's WARCWriter, then damaged.

``warc_file(records, gzip)`` returns the bytes and the offset of each record, so a test can damage one record
exactly and know which records must still come out whole.
"""

from __future__ import annotations

import io
import re
import uuid

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

DAMAGES = ("content_length_short", "content_length_long", "junk_over_header", "gzip_member_flipped", "cut")


def warc_file(records: list[tuple[str, bytes]], gzip: bool = True,
              content_type: str = "application/pdf") -> tuple[bytes, list[int]]:
    """A WARC (a request record, then one response per (url, body)) and the offset of each response."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    writer.write_record(writer.create_warc_record("https://hostile.example/", "request", payload=io.BytesIO(
        b"GET / HTTP/1.1\r\nHost: hostile.example\r\n\r\n"), warc_headers_dict=_fixed("request")))
    offsets = []
    for url, body in records:
        offsets.append(buffer.tell())
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                                      warc_headers_dict=_fixed(url)))
    return buffer.getvalue(), offsets


def _fixed(url: str) -> dict:
    """A record id and date that do not change from run to run (WARCWriter draws a random id, stamps now)."""
    return {"WARC-Record-ID": f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}>",
            "WARC-Date": "2026-01-01T00:00:00Z"}


def with_content_length(data: bytes, offset: int, delta: int) -> bytes:
    """The Content-Length of the record at ``offset`` changed by ``delta`` (uncompressed WARCs)."""
    field = re.compile(rb"Content-Length: (\d+)").search(data, offset)
    return data[: field.start(1)] + str(int(field.group(1)) + delta).encode() + data[field.end(1):]


def damaged_warc(records: list[tuple[str, bytes]], damage: str, victim: int = 1) -> tuple[str, bytes]:
    """(file name suffix, bytes) of a WARC whose record ``victim`` has ``damage`` (one of DAMAGES)."""
    gzip = damage in ("gzip_member_flipped", "cut")
    data, offsets = warc_file(records, gzip=gzip)
    ends = offsets[1:] + [len(data)]
    if damage == "content_length_short":
        data = with_content_length(data, offsets[victim], -(len(records[victim][1]) // 3))
    elif damage == "content_length_long":
        data = with_content_length(data, offsets[victim], +700)
    elif damage == "junk_over_header":
        data = data[: offsets[victim]] + b"\x00garbage\xff" * 20 + data[offsets[victim] + 8:]
    elif damage == "gzip_member_flipped":
        flipped = bytearray(data)
        flipped[(offsets[victim] + ends[victim]) // 2] ^= 0xFF
        data = bytes(flipped)
    elif damage == "cut":
        data = data[: offsets[victim] + (ends[victim] - offsets[victim]) * 2 // 3]
    else:
        raise ValueError(f"unknown damage {damage!r}: one of {', '.join(DAMAGES)}")
    return (".warc.gz" if gzip else ".warc"), data
