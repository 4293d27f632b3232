"""WARC files read record by record: damage is found and named, and never hides the records after it.

warcio parses what is inside a record (WARC and HTTP headers, chunked and compressed payloads, digests). The
framing, where one record ends and the next begins, is done here, because a damaged crawl file breaks warcio's:
it trusts Content-Length (a wrong one gives a record too short or too long, unflagged), writes a gzip error to
stderr and carries on with what it has (a cut .warc.gz yields its last record partial, unflagged), and one error
ends the iteration (every later record is lost).

A record is checked against what surrounds it: its block must end where a record separator (blank line) and
then the next ``WARC/1.x`` header or the end of the file (or gzip member) follow. A record that is not whole
carries a ``damage`` name:

- ``content_length_short``: data follows the declared end (the length is too small: the block is cut short);
- ``content_length_long``: the declared length runs past the record: over the next record (which is read
  from its header on) or past the end of its gzip member;
- ``cut``: the file ends inside the record;
- ``gzip_damaged``: its gzip member does not decompress (corrupt data, bad CRC);
- ``block_digest_mismatch``: warcio's digest check of the block (WARC-Block-Digest) fails.

Bytes that hold no record (junk, a member that does not decompress from its start, headers that do not parse)
are a ``WarcGap``. After damage, reading resynchronises on the next gzip member whose data starts a WARC record
(.warc.gz) or on the next line that starts ``WARC/1.`` (.warc), so every readable record is found.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from warcio.bufferedreaders import BufferedReader
from warcio.recordloader import ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser

LENGTH_SHORT = "content_length_short"
LENGTH_LONG = "content_length_long"
CUT = "cut"
GZIP_DAMAGED = "gzip_damaged"
DIGEST_MISMATCH = "block_digest_mismatch"
DAMAGE = {
    LENGTH_SHORT: "Content-Length is shorter than the record: the block is cut short",
    LENGTH_LONG: "Content-Length runs past the end of the record",
    CUT: "the file ends inside the record",
    GZIP_DAMAGED: "the record's gzip member does not decompress",
    DIGEST_MISMATCH: "the block does not match its WARC-Block-Digest",
}

GZIP_MAGIC = b"\x1f\x8b\x08"
WARC_LINE = b"WARC/1."
CHUNK = 1 << 20  # decompressed bytes per step (bounds what a compression bomb costs per read)
RAW_CHUNK = 1 << 18
FIRST_RAW_CHUNK = 1 << 15  # a gzip member is read in growing pieces: most of Common Crawl's are tens of KiB
MAX_LINE = 1 << 16
MAX_HEADER_BYTES = 1 << 18  # a WARC header block over 256 KiB is not a header
_NEXT_RECORD = re.compile(rb"\r?\n\r?\n(?=WARC/1\.[01]\r?\n)")  # a separator, then a record header line
_RECORD_LINE = re.compile(rb"WARC/1\.[01]\r?\n")
_WARC_PARSER = StatusAndHeadersParser(["WARC/1.0", "WARC/1.1"], verify=False)


@dataclass
class WarcRecord:
    offset: int  # where it starts in the file (.warc.gz: its gzip member)
    headers: StatusAndHeaders
    header_bytes: bytes
    block: bytes  # the block as found, at most `cap` bytes of it
    block_length: int  # bytes of block found (more than len(block) when over the cap)
    declared_length: int
    damage: str | None = None

    @property
    def over_cap(self) -> bool:
        return self.block_length > len(self.block)

    @property
    def rec_type(self) -> str:
        return (self.headers.get_header("WARC-Type") or "").lower()


@dataclass
class WarcGap:
    offset: int
    length: int
    reason: str


class _State:
    """How a source of bytes ended: ``damage`` is set when it ended abnormally, ``end`` is the raw offset
    after a gzip member that ended well."""

    def __init__(self, gzip: bool):
        self.gzip = gzip
        self.damage: str | None = None
        self.end: int | None = None


class _Segment:
    """A byte stream (a whole .warc, or one gzip member decompressed) with lookahead and push-back."""

    def __init__(self, chunks: Iterator[bytes], state: _State, start: int = 0):
        self._chunks = chunks
        self._buf = bytearray()
        self._off = 0  # start of the unread part of _buf
        self._done = False
        self.state = state
        self.pos = start  # stream offset of the next unread byte

    def _fill(self, n: int) -> None:
        while len(self._buf) - self._off < n and not self._done:
            chunk = next(self._chunks, None)
            if chunk is None:
                self._done = True
                break
            if self._off > CHUNK:
                del self._buf[: self._off]
                self._off = 0
            self._buf += chunk

    def peek(self, n: int) -> bytes:
        self._fill(n)
        return bytes(self._buf[self._off : self._off + n])

    def read(self, n: int) -> bytes:
        self._fill(n)
        out = bytes(self._buf[self._off : self._off + n])
        self._off += len(out)
        self.pos += len(out)
        return out

    def readline(self, limit: int = MAX_LINE) -> bytes:
        scanned = 0
        while True:
            end = self._buf.find(b"\n", self._off + scanned, self._off + limit)
            if end >= 0:
                return self.read(end + 1 - self._off)
            available = len(self._buf) - self._off
            if available >= limit or self._done:
                return self.read(min(limit, available))
            scanned = available
            self._fill(available + 1)

    def unread(self, data: bytes) -> None:
        if not data:
            return
        self._buf[self._off : self._off] = data
        self.pos -= len(data)

    def at_end(self) -> bool:
        self._fill(1)
        return len(self._buf) == self._off

    def skip_to_record(self) -> int:
        """Skip to the next ``WARC/1.x`` header line, wherever it starts (junk need not end in a newline), or to
        the end; the number of bytes skipped."""
        skipped = 0
        keep = len(b"WARC/1.0\r\n")
        while True:
            self._fill(CHUNK)
            found = _RECORD_LINE.search(self._buf, self._off)
            if found is not None:
                n = found.start() - self._off
                self.read(n)
                return skipped + n
            available = len(self._buf) - self._off
            if self._done:
                self.read(available)
                return skipped + available
            n = max(0, available - keep)
            self.read(n)
            skipped += n
            self._fill(available - n + CHUNK)

    def drain(self) -> None:
        while self.read(CHUNK):
            pass


def _read_block(seg: _Segment, length: int, cap: int) -> tuple[bytes, int]:
    kept, found = [], 0
    while found < length:
        piece = seg.read(min(CHUNK, length - found))
        if not piece:
            break
        if found < cap:
            kept.append(piece[: cap - found])
        found += len(piece)
    return b"".join(kept), found


def _blank(seg: _Segment) -> bytes:
    """The record separator after a block: CR and LF bytes (read, at most 16)."""
    sep = bytearray()
    while len(sep) < 16 and seg.peek(1) in (b"\r", b"\n"):
        sep += seg.read(1)
    return bytes(sep)


def _records(seg: _Segment, cap: int, origin) -> Iterator[WarcRecord | WarcGap]:
    """Records and gaps of one segment. ``origin(pos)`` is the file offset reported for a stream position."""
    while True:
        while True:
            start = seg.pos
            line = seg.readline()
            if not line:
                return
            if line.strip():
                break
        if not line.startswith(WARC_LINE):
            seg.unread(line)
            skipped = seg.skip_to_record()
            yield WarcGap(origin(start), skipped, "bytes that are no WARC record")
            continue
        header = bytearray(line)
        complete = False
        while len(header) <= MAX_HEADER_BYTES:
            line = seg.readline()
            if not line:
                break
            header += line
            if not line.strip():
                complete = True
                break
        if not complete:
            why = "over 256 KiB" if line else ("cut" if not seg.state.damage else seg.state.damage)
            skipped = seg.skip_to_record() if line else 0
            yield WarcGap(origin(start), len(header) + skipped, f"WARC record headers {why}")
            continue
        try:
            headers = _WARC_PARSER.parse(io.BytesIO(bytes(header)))
            declared = int(headers.get_header("Content-Length") or "")
            if declared < 0:
                raise ValueError(f"negative Content-Length {declared}")
        except Exception as error:  # noqa: BLE001 - any parse failure makes these bytes a gap
            skipped = seg.skip_to_record()
            yield WarcGap(origin(start), len(header) + skipped, f"unparsable WARC record headers: {error}")
            continue
        block, found = _read_block(seg, declared, cap)
        damage = None
        following = b""
        if found == declared:
            following = _blank(seg)
            if seg.at_end():
                pass
            elif seg.peek(len(WARC_LINE)) == WARC_LINE:
                damage = None if b"\n" in following else LENGTH_LONG  # else: the separator is inside the length
            else:
                next_record = _NEXT_RECORD.search(block) if found <= cap else None
                if next_record is not None:  # the length ran over the next record: give it back
                    seg.unread(block[next_record.end() :] + following)
                    block, damage = block[: next_record.start()], LENGTH_LONG
                elif following.count(b"\n") < 2:  # no separator where the block ends: it goes on
                    damage = LENGTH_SHORT
                    seg.skip_to_record()  # the rest of this record's bytes
                # else: the record ends well and junk follows it: the next round makes that a gap
        else:
            next_record = _NEXT_RECORD.search(block) if found <= cap else None
            if next_record is not None:
                seg.unread(block[next_record.end() :])
                block, damage = block[: next_record.start()], LENGTH_LONG
            elif seg.state.damage:
                damage = seg.state.damage
            else:
                damage = LENGTH_LONG if seg.state.gzip else CUT
        if damage is None and seg.at_end() and seg.state.damage:
            damage = seg.state.damage
        block_length = len(block) if damage == LENGTH_LONG and found <= cap else found
        yield WarcRecord(origin(start), headers, bytes(header), block, block_length, declared, damage)


def _member_chunks(f, start: int, state: _State) -> Iterator[bytes]:
    """The decompressed bytes of the gzip member at ``start``; sets state.end, or state.damage."""
    f.seek(start)
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    consumed = 0
    pending = b""
    size = FIRST_RAW_CHUNK
    while True:
        if not pending:
            pending = f.read(size)
            size = min(RAW_CHUNK, size * 2)
            if not pending:
                state.damage = CUT
                return
        before = decompressor.copy()
        try:
            out = decompressor.decompress(pending, CHUNK)
        except zlib.error:  # what decompressed before the damage is kept: the record ends there, flagged
            state.damage = GZIP_DAMAGED
            salvaged = _salvage(before, pending)
            if salvaged:
                yield salvaged
            return
        tail = decompressor.unconsumed_tail
        consumed += len(pending) - len(tail) - len(decompressor.unused_data)
        if decompressor.eof:
            state.end = start + consumed
            if out:
                yield out
            return
        pending = tail
        if out:
            yield out


def _salvage(decompressor, data: bytes) -> bytes:
    """The output of ``data`` up to the point where it stops decompressing (fed in small pieces)."""
    out = []
    for i in range(0, len(data), 64):
        try:
            out.append(decompressor.decompress(data[i : i + 64]))
        except zlib.error:
            break
    return b"".join(out)


def _starts_warc_member(f, at: int) -> bool:
    """Does a gzip member start at ``at`` whose data begins like a WARC record?"""
    f.seek(at)
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = b""
    try:
        for _ in range(64):  # up to 64 KiB, in small reads: the first bytes of a member are enough
            raw = f.read(1 << 10)
            if not raw:
                break
            out += decompressor.decompress(raw, 64)
            while decompressor.unconsumed_tail and len(out) < 16:
                out += decompressor.decompress(decompressor.unconsumed_tail, 64)
            if len(out) >= 16 or decompressor.eof:
                break
    except zlib.error:
        return False
    return out.lstrip(b"\r\n").startswith(WARC_LINE)


def _next_member(f, start: int) -> int | None:
    """The offset of the next gzip member at or after ``start`` that starts a WARC record (resync)."""
    pos = start
    while True:
        f.seek(pos)
        data = f.read(RAW_CHUNK)
        if len(data) < len(GZIP_MAGIC):
            return None
        i = data.find(GZIP_MAGIC)
        while i >= 0:
            if _starts_warc_member(f, pos + i):
                return pos + i
            i = data.find(GZIP_MAGIC, i + 1)
        if len(data) < RAW_CHUNK:
            return None
        pos += len(data) - len(GZIP_MAGIC) + 1


def _file_size(f) -> int:
    here = f.tell()
    size = f.seek(0, io.SEEK_END)
    f.seek(here)
    return size


def scan(f, gzip: bool, cap: int) -> Iterator[WarcRecord | WarcGap]:
    """Every record and gap of a WARC file (a seekable binary file object), in file order."""
    if not gzip:
        state = _State(gzip=False)
        f.seek(0)
        seg = _Segment(iter(lambda: f.read(RAW_CHUNK), b""), state)
        yield from _records(seg, cap, lambda pos: pos)
        return
    size = _file_size(f)
    pos = 0
    while pos < size:
        f.seek(pos)
        if f.read(len(GZIP_MAGIC)) != GZIP_MAGIC or not _starts_warc_member(f, pos):
            following = _next_member(f, pos + 1)
            end = size if following is None else following
            yield WarcGap(pos, end - pos, "bytes that are no gzip member of a WARC record")
            pos = end
            continue
        state = _State(gzip=True)
        seg = _Segment(_member_chunks(f, pos, state), state)
        member, found = pos, 0
        for entry in _records(seg, cap, lambda _pos, member=member: member):
            found += 1
            yield entry
        seg.drain()
        if state.end is not None and not state.damage:
            pos = state.end
            continue
        following = _next_member(f, pos + 1)
        end = size if following is None else following
        if not found:
            yield WarcGap(pos, end - pos, f"a gzip member that yields no record ({DAMAGE[state.damage]})")
        pos = end


@dataclass
class Payload:
    content_type: str
    data: bytes  # at most `cap` + 1 bytes
    http_ok: bool  # the HTTP headers (response records) parsed
    digest_failed: bool


def payload(record: WarcRecord, cap: int) -> Payload:
    """The record's payload (HTTP body of a response, block of a resource), decoded by warcio."""
    loader = ArcWarcRecordLoader(verify_http=False, arc2warc=False)
    stream = BufferedReader(io.BytesIO(record.header_bytes + record.block))
    try:
        parsed = loader.parse_record_stream(stream, known_format="warc", check_digests=True)
        data = parsed.content_stream().read(cap + 1)
        parsed.raw_stream.read()  # to the end of the block: the digest is checked there
        content_type = ""
        if parsed.http_headers is not None:
            content_type = parsed.http_headers.get_header("Content-Type") or ""
        elif record.rec_type == "resource":
            content_type = record.headers.get_header("Content-Type") or ""
        failed = parsed.digest_checker.passed is False
        return Payload(content_type, data, True, failed)
    except Exception:  # noqa: BLE001 - damaged HTTP headers: the block as it is, its type unknown
        return Payload("", record.block[: cap + 1], False, False)
