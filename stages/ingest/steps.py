"""ingest: a folder of PDFs and/or WARC files -> raw PDF shards (bytes as datatrove Media), exact-deduped.

Two passes over the same input, so that exact dedup on bytes is global (whatever --tasks, across WARC files and
folders) while every PDF's bytes are written once, by the task that reads it:

- ``hash`` (``PdfSourceReader`` -> ``PdfHashIndex``): every task reads its share of the inputs and records the
  sha256 of each PDF it finds, with where it was found (input, entry), in ``_hashes/<rank>.npy``;
- ``read`` (``PdfSourceReader`` -> ``DedupPdfBytes`` -> ShardWriter): every task reads its share again; of all
  copies of one sha256 in the whole input the first (in path order, then record order inside a WARC file) is
  kept, the others are dropped (``duplicate_pdf_bytes``). The kept set does not depend on the task count.

The read pass checks that it sees what the hash pass saw (the same listing, the same bytes for every entry);
an input changed between the passes fails the shard instead of keeping a wrong copy.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import uuid

import numpy as np
from datatrove.data import Document, DocumentsPipeline, Media, MediaType
from datatrove.io import DataFolderLike, get_datafolder
from datatrove.pipeline.base import PipelineStep
from datatrove.utils.logging import logger

from shared import outcomes, schemas
from shared.ledger import (
    LEDGER_DIR,
    ShardLedger,
    is_live,
    ledger_filename,
    mark_dropped,
    mark_failed,
    write_marker,
)
from stages.ingest import warc
from stages.ingest.listing import (
    KIND_PROBLEM,
    KIND_WARC,
    InputEntry,
    InputNames,
    Listing,
    assign,
    list_local,
    list_remote,
    not_regular_reason,
    path_text,
)

STAGE = "ingest"
PDF_MAGIC = b"%PDF-"
MAGIC_WINDOW = 1024  # the PDF spec tolerates junk before the header; readers look in the first 1 KiB
WARC_HEADER_ALLOWANCE = 1 << 20  # a record block may exceed the PDF bound by its HTTP headers
INPUT_KEY = "__ingest_input"  # index of the input in the listing (not a column)
ENTRY_KEY = "__ingest_entry"  # index of the document among those the input gave (a WARC gives many)
REFETCH_KEY = "__ingest_refetch"  # a truncated capture's placeholder: why it is fetched again ("index", "record")
INDEX_DTYPE = np.dtype([("sha256", "S32"), ("input", "<u4"), ("entry", "<u4")])
READ_RECORD_TYPES = ("response", "resource")


def common_crawl_dump(path: str) -> str | None:
    """FinePDFs' ``dump``: the Common Crawl snapshot a WARC file belongs to (``CC-MAIN-2019-43``), from its path."""
    import re

    match = re.search(r"CC-MAIN-\d{4}-\d{2}", path)
    return match.group(0) if match else None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_LISTINGS: dict[str, Listing] = {}  # by IngestInputs key: the tasks of one run in one process list once


class IngestInputs:
    """The input folder, listed once per process and shared by the steps of a pipeline (its per-task copies
    included), and which of its inputs each task reads."""

    def __init__(self, data_folder: DataFolderLike, extensions: tuple[str, ...], warc_extensions: tuple[str, ...]):
        self.data_folder = get_datafolder(data_folder)
        self.names = InputNames(extensions, warc_extensions)
        self._key = uuid.uuid4().hex

    @property
    def local_root(self) -> str | None:
        from fsspec.implementations.local import LocalFileSystem

        return self.data_folder.path if isinstance(self.data_folder.fs, LocalFileSystem) else None

    def listing(self) -> Listing:
        if self._key not in _LISTINGS:
            if not self.data_folder.isdir(""):
                raise FileNotFoundError(f"ingest input folder not found: {self.data_folder.path}")
            root = self.local_root
            _LISTINGS[self._key] = list_local(root, self.names) if root else list_remote(self.data_folder, self.names)
        return _LISTINGS[self._key]

    def mine(self, rank: int, world_size: int) -> list[tuple[int, InputEntry]]:
        entries = self.listing().entries
        tasks = assign(entries, world_size)
        return [(i, entry) for i, entry in enumerate(entries) if tasks[i] == rank]

    def owns(self, inputs: np.ndarray, entries: np.ndarray, rank: int, world_size: int) -> np.ndarray:
        """Which (input, entry) keys of the hash index this task reads: those of its inputs."""
        mine = [i for i, _ in self.mine(rank, world_size)]
        return np.isin(inputs, np.asarray(mine, dtype="<u4"))

    def describe(self, input: int, entry: int) -> str:
        """The kept copy of a duplicate, for the drop's details."""
        found = self.listing().entries[input]
        return found.text + (f" (PDF record {entry + 1} in it)" if found.kind == KIND_WARC else "")


class PdfSourceReader(PipelineStep):
    """Yields one raw-PDF document per PDF file, per PDF record of a WARC file, and per input that cannot be
    read (an error row): this task's share of the input folder's listing."""

    name = "📂 PDF source"
    type = "📖 - READER"

    def __init__(self, inputs: IngestInputs, ledger: ShardLedger, max_pdf_bytes: int):
        super().__init__()
        self.inputs = inputs
        self.ledger = ledger
        self.max_pdf_bytes = max_pdf_bytes

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        self.ledger.reset()
        self.ledger.rank = rank
        listing = self.inputs.listing()
        mine = self.inputs.mine(rank, world_size)
        logger.info(f"ingest rank {rank}: {len(mine)} of {len(listing.entries)} inputs")
        if rank == 0:  # what the listing skipped, counted once (every task lists the same folder)
            if listing.directories_seen_twice:
                self.stat_update("directories_seen_twice", value=listing.directories_seen_twice)
            if listing.ignored_broken_links:
                self.stat_update("broken_links_without_input_name", value=listing.ignored_broken_links)
        from tqdm import tqdm

        # a bar per task in a terminal, like the other stages' readers (bytes: WARC files hold many PDFs)
        with tqdm(total=sum(entry.size for _, entry in mine), desc=f"ingest task {rank}", unit="B",
                  unit_scale=True, disable=not sys.stderr.isatty(), dynamic_ncols=True) as bar:
            for index, entry in mine:
                self.stat_update("input_files")
                for ordinal, doc in enumerate(self.read_entry(entry)):
                    doc.metadata[INPUT_KEY] = index
                    doc.metadata[ENTRY_KEY] = ordinal
                    self.ledger.docs_in += 1
                    yield doc
                bar.update(entry.size)

    # --- one input -------------------------------------------------------------------------------------
    def read_entry(self, entry: InputEntry) -> DocumentsPipeline:
        if entry.kind == KIND_PROBLEM:
            self.stat_update(f"input_{entry.error_class}")
            yield self._failed(entry.text, entry.error, 0)
        elif entry.kind == KIND_WARC:
            yield from self._read_warc(entry)
        else:
            yield self._read_pdf_file(entry)

    def _open(self, entry: InputEntry):
        """A binary file object, opened without blocking and checked to be a regular file (the entry may have
        been replaced since the listing: a FIFO opened for reading would block forever)."""
        root = self.inputs.local_root
        if root is None:
            return self.inputs.data_folder.open(entry.path, "rb")
        fd = os.open(os.path.join(root, entry.path), os.O_RDONLY | os.O_NONBLOCK)
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            os.close(fd)
            raise outcomes.NotARegularFile(f"{not_regular_reason(mode)}, not read")
        return os.fdopen(fd, "rb")

    def _read_pdf_file(self, entry: InputEntry) -> Document:
        if entry.size > self.max_pdf_bytes:
            return self._failed(entry.text, outcomes.PdfTooLarge(f"{entry.size} bytes > max_pdf_bytes {self.max_pdf_bytes}"), entry.size)
        try:
            with self._open(entry) as f:
                pdf_bytes = f.read(self.max_pdf_bytes + 1)
        except outcomes.StageError as error:
            return self._failed(entry.text, error, entry.size)
        except OSError as error:
            return self._failed(entry.text, outcomes.UnreadableFile(f"{type(error).__name__}: {error}"), entry.size)
        if len(pdf_bytes) > self.max_pdf_bytes:
            return self._failed(entry.text, outcomes.PdfTooLarge(f"over max_pdf_bytes {self.max_pdf_bytes} (the file grew)"), len(pdf_bytes))
        resolved = path_text(self.inputs.data_folder.resolve_paths(entry.path))
        return self._document(pdf_bytes, url=None, file_path=entry.text, date=None, is_truncated=False,
                              source_kind="file", resolved=resolved)

    def _read_warc(self, entry: InputEntry) -> DocumentsPipeline:
        try:
            f = self._open(entry)
        except outcomes.StageError as error:
            yield self._failed(entry.text, error, entry.size)
            return
        except OSError as error:
            yield self._failed(entry.text, outcomes.UnreadableFile(f"{type(error).__name__}: {error}"), entry.size)
            return
        with f:
            gzip = entry.path.lower().endswith(".gz") or f.read(2) == warc.GZIP_MAGIC[:2]
            try:
                for found in warc.scan(f, gzip, self.max_pdf_bytes + WARC_HEADER_ALLOWANCE):
                    doc = self._warc_document(entry, found)
                    if doc is not None:
                        yield doc
            except OSError as error:  # the file itself failed under us: the rest of it is one error row
                yield self._failed(f"{entry.text}#rest", outcomes.UnreadableArchive(f"reading stopped: {type(error).__name__}: {error}"), entry.size,
                                   file_path=entry.text)

    def _warc_document(self, entry: InputEntry, found) -> Document | None:
        if isinstance(found, warc.WarcGap):
            self.stat_update("warc_gaps")
            return self._failed(f"{entry.text}#{found.offset}", outcomes.UnreadableArchive(f"{found.length} bytes at offset {found.offset}: {found.reason}"), found.length,
                                file_path=entry.text)
        record: warc.WarcRecord = found
        if record.rec_type not in READ_RECORD_TYPES:
            self.stat_update("warc_records_other_type")
            return None
        body = warc.payload(record, self.max_pdf_bytes)
        damage = record.damage or (warc.DIGEST_MISMATCH if body.digest_failed else None)
        url = record.headers.get_header("WARC-Target-URI")
        is_pdf = "pdf" in body.content_type.lower() or PDF_MAGIC in body.data[:MAGIC_WINDOW]
        if not is_pdf:
            if damage and not body.http_ok:
                return self._failed(f"{entry.text}#{record.offset}", outcomes.UnreadableArchive(f"record at offset {record.offset} ({url}): {warc.DAMAGE[damage]}, and its "
                                    "content type cannot be read"), record.block_length, file_path=entry.text,
                                    url=url)
            self.stat_update("warc_records_not_pdf")
            return None
        if damage:
            self.stat_update(f"warc_record_{damage}")
            logger.warning(f"{entry.text}: record at offset {record.offset} ({url}): {warc.DAMAGE[damage]}; "
                           "ingested with is_truncated")
        if record.over_cap or len(body.data) > self.max_pdf_bytes:
            return self._failed(f"{entry.text}#{record.offset}", outcomes.PdfTooLarge(f"record over max_pdf_bytes {self.max_pdf_bytes}"), record.block_length,
                                file_path=entry.text, url=url)
        truncated = damage is not None or record.headers.get_header("WARC-Truncated") is not None
        return self._document(body.data, url=url, file_path=entry.text,
                              date=record.headers.get_header("WARC-Date"), is_truncated=truncated,
                              source_kind="warc", resolved=url,
                              offset=record.offset, dump=common_crawl_dump(entry.text))

    # --- documents -------------------------------------------------------------------------------------
    def _document(self, pdf_bytes, url, file_path, date, is_truncated, source_kind, resolved, offset=None,
                  dump=None) -> Document:
        return pdf_document(pdf_bytes, url, file_path, date, is_truncated, source_kind, resolved, offset, dump)

    def _failed(self, source: str, error: outcomes.StageError, size: int, file_path: str | None = None,
                url: str | None = None) -> Document:
        return failed_document(source, error, size, file_path, url)


def pdf_document(pdf_bytes, url, file_path, date, is_truncated, source_kind, resolved, offset=None,
                 dump=None) -> Document:
    """A raw-PDF document holding the bytes (an error row when they are empty or no PDF)."""
    digest = sha256_hex(pdf_bytes)
    doc = Document(
        text="",
        id=digest,
        media=[Media(id=digest, type=MediaType.DOCUMENT, url=resolved or file_path, path=file_path,
                     length=len(pdf_bytes), media_bytes=pdf_bytes)],
        metadata={
            schemas.SHA256: digest,
            schemas.SIZE_BYTES: len(pdf_bytes),
            schemas.URL: url,
            schemas.FILE_PATH: file_path,
            schemas.OFFSET: offset,
            schemas.DATE: date,
            schemas.DUMP: dump,
            schemas.SOURCE_KIND: source_kind,
            schemas.IS_TRUNCATED: is_truncated,
        },
    )
    if not pdf_bytes:
        mark_failed(doc, STAGE, outcomes.EmptyFile("the file has zero bytes"))
    elif PDF_MAGIC not in pdf_bytes[:MAGIC_WINDOW]:
        mark_failed(doc, STAGE, outcomes.NotAPdf(f"no %PDF- header in the first {MAGIC_WINDOW} bytes"))
    return doc


def failed_document(source: str, error: outcomes.StageError | str, size: int, file_path: str | None = None,
                    url: str | None = None, message: str | None = None) -> Document:
    """An error row; ``source`` (valid UTF-8 text) names what failed and makes its id. ``error``: the declared
    error, or the name of one that a refetch recorded (with its ``message``)."""
    doc = Document(text="", id=sha256_hex(source.encode()),
                   metadata={schemas.FILE_PATH: file_path or source, schemas.SIZE_BYTES: size, schemas.URL: url})
    return mark_failed(doc, STAGE, error, message)


class CaptureReader(PipelineStep):
    """Yields one document per PDF capture of this task's rows of Common Crawl's index (``cc_index``): the
    record's PDF, read by byte range (batched: concurrent on S3 and HTTP) and framed by ``warc``; an error row
    (the range could not be read, no record in it, over the bound); a drop (``capture_not_pdf``); or, for a
    capture Common Crawl truncated (the index's content_truncated, or the record's WARC-Truncated header), a
    placeholder that ``refetch.RefetchTruncated`` settles."""

    name = "🗂 Common Crawl captures"
    type = "📖 - READER"

    def __init__(self, inputs, ledger: ShardLedger, max_pdf_bytes: int, read_batch: int):
        super().__init__()
        self.inputs = inputs  # cc_index.CcIndexInputs
        self.ledger = ledger
        self.max_pdf_bytes = max_pdf_bytes
        self.read_batch = max(1, read_batch)

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        self.ledger.reset()
        self.ledger.rank = rank
        lo, hi = self.inputs.row_range(rank, world_size)
        logger.info(f"ingest rank {rank}: index rows {lo}..{hi} of {self.inputs.total_rows()}")
        batch = []
        for capture in self.inputs.captures(rank, world_size, lambda name, n: self.stat_update(name, value=n)):
            batch.append(capture)
            if len(batch) >= self.read_batch:
                yield from self._batch(batch)
                batch = []
        yield from self._batch(batch)

    def _batch(self, batch) -> DocumentsPipeline:
        to_read = [c for c in batch if not c.truncated]
        with self.track_time():
            records = self.inputs.read_records(to_read)
        self.stat_update("range_bytes_read", value=sum(len(r) for r in records if isinstance(r, bytes)))
        by_capture = {id(c): r for c, r in zip(to_read, records, strict=True)}
        for capture in batch:
            if capture.truncated:
                doc = self._placeholder(capture, "index", capture.date)
            else:
                doc = self._document(capture, by_capture[id(capture)])
            doc.metadata[INPUT_KEY] = capture.input
            doc.metadata[ENTRY_KEY] = capture.entry
            self.ledger.docs_in += 1
            yield doc

    def _placeholder(self, capture, why: str, date: str | None) -> Document:
        self.stat_update(f"truncated_by_{why}")
        file_path = self.inputs.warc_uri(capture.warc)
        return Document(text="", id=sha256_hex(f"{file_path}#{capture.offset}".encode()),
                        metadata={schemas.URL: capture.url, schemas.FILE_PATH: file_path,
                                  schemas.OFFSET: capture.offset, schemas.DATE: date, schemas.DUMP: capture.dump,
                                  REFETCH_KEY: why})

    def _document(self, capture, data) -> Document:
        import io

        file_path = self.inputs.warc_uri(capture.warc)
        source = f"{file_path}#{capture.offset}"
        where = f"{capture.length} bytes at offset {capture.offset}"
        if isinstance(data, BaseException):
            unreadable = outcomes.UnreadableArchive(f"{where}: {type(data).__name__}: {data}")
            return failed_document(source, unreadable, capture.length, file_path, capture.url)
        if len(data) != capture.length:  # a server that ignores Range sends the whole file: never framed as one
            why = "the server ignored the byte range" if len(data) > capture.length else "a short read"
            return failed_document(source, outcomes.UnreadableArchive(f"{where}: got {len(data)} bytes ({why})"),
                                   len(data), file_path, capture.url)
        cap = self.max_pdf_bytes + WARC_HEADER_ALLOWANCE
        record = next((found for found in warc.scan(io.BytesIO(data), data[:3] == warc.GZIP_MAGIC, cap)
                       if isinstance(found, warc.WarcRecord) and found.rec_type in READ_RECORD_TYPES), None)
        if record is None:
            return failed_document(source, outcomes.UnreadableArchive(f"{where}: no WARC response record in them"),
                                   len(data), file_path, capture.url)
        date = capture.date or record.headers.get_header("WARC-Date")
        if record.headers.get_header("WARC-Truncated"):
            return self._placeholder(capture, "record", date)
        body = warc.payload(record, self.max_pdf_bytes)
        if record.over_cap or len(body.data) > self.max_pdf_bytes:
            return failed_document(source, outcomes.PdfTooLarge(f"record over max_pdf_bytes {self.max_pdf_bytes}"),
                                   record.block_length, file_path, capture.url)
        if PDF_MAGIC not in body.data[:MAGIC_WINDOW]:
            self.stat_update("warc_records_not_pdf")
            doc = Document(text="", id=sha256_hex(source.encode()),
                           metadata={schemas.URL: capture.url, schemas.FILE_PATH: file_path})
            return mark_dropped(doc, STAGE, outcomes.CAPTURE_NOT_PDF,
                                details={"content_type": body.content_type, "bytes": len(body.data),
                                         "starts_with": body.data[:16].decode("latin-1")})
        damage = record.damage or (warc.DIGEST_MISMATCH if body.digest_failed else None)
        if damage:
            self.stat_update(f"warc_record_{damage}")
        return pdf_document(body.data, capture.url, file_path, date, damage is not None, "warc", capture.url,
                            capture.offset, capture.dump)


# --- pass 1: the hash index ------------------------------------------------------------------------------
def index_filename(rank: int) -> str:
    return f"{rank:05d}.npy"


class PdfHashIndex(PipelineStep):
    """Last step of the hash pass: the sha256 of every PDF this task found, with where it was found, and a
    completion marker (``ledger/<rank>.json``) that records the listing it saw."""

    name = "🔑 PDF hash index"
    type = "🫂 - DEDUP"

    def __init__(self, output_folder: DataFolderLike, inputs: IngestInputs, ledger: ShardLedger):
        super().__init__()
        self.output_folder = get_datafolder(output_folder)
        self.inputs = inputs
        self.ledger = ledger

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if self.output_folder.isfile(ledger_filename(rank)):
            self.output_folder.rm(ledger_filename(rank))
        rows = []
        for doc in data:
            with self.track_time():
                if is_live(doc):
                    rows.append((bytes.fromhex(doc.metadata[schemas.SHA256]), doc.metadata[INPUT_KEY],
                                 doc.metadata[ENTRY_KEY]))
                    self.stat_update("pdfs")
            yield doc
        with self.track_time():
            table = np.array(rows, dtype=INDEX_DTYPE)
            with self.output_folder.open(index_filename(rank), "wb") as f:
                np.save(f, table)
            marker = {"stage": f"{STAGE}-hash", "rank": rank, "tasks": world_size,
                      "listing": self.inputs.listing().digest(), "pdfs": len(rows), "docs_in": self.ledger.docs_in}
            write_marker(self.output_folder, rank, marker)


class HashIndex:
    """Every task's hash index, read back by the read pass: which (input, entry) pairs are later copies."""

    def __init__(self, folder: DataFolderLike, listing_digest: str):
        import json

        folder = get_datafolder(folder)
        markers = []
        if folder.isdir(LEDGER_DIR):
            for path in sorted(folder.list_files(LEDGER_DIR, glob_pattern="*.json")):
                with folder.open(path, "rt") as f:
                    markers.append(json.load(f))
        where = folder.path
        if not markers:
            raise RuntimeError(f"ingest: no hash index in {where}: run the hash step first (--step hash)")
        tasks = {m["tasks"] for m in markers}
        if len(tasks) != 1 or {m["rank"] for m in markers} != set(range(next(iter(tasks)))):
            raise RuntimeError(f"ingest: the hash index in {where} is incomplete or mixes task counts "
                               f"({sorted((m['rank'], m['tasks']) for m in markers)}): finish or redo --step hash")
        if {m["listing"] for m in markers} != {listing_digest}:
            raise RuntimeError(f"ingest: the input changed since the hash step listed it ({where}): redo ingest "
                               "from scratch (both steps) so that the dedup decisions match what is read")
        tables = []
        for rank in range(next(iter(tasks))):
            with folder.open(index_filename(rank), "rb") as f:
                tables.append(np.load(f))
        table = np.concatenate(tables) if tables else np.zeros(0, INDEX_DTYPE)
        self.table = table[np.lexsort((table["entry"], table["input"], table["sha256"]))]

    def for_task(self, owns) -> tuple[dict[tuple[int, int], bytes], dict[tuple[int, int], tuple[int, int]]]:
        """(sha256 of every entry this task reads, the entries among them that are later copies -> the kept one).
        ``owns(inputs, entries)``: a mask of the index rows this task reads."""
        table = self.table
        first = np.ones(len(table), dtype=bool)
        first[1:] = table["sha256"][1:] != table["sha256"][:-1]
        mine = owns(table["input"], table["entry"])
        # numpy's S32 drops trailing NUL bytes when it hands a value out: pad them back
        expected = {(int(r["input"]), int(r["entry"])): bytes(r["sha256"]).ljust(32, b"\0") for r in table[mine]}
        # the kept copy of each group: the first row of its run of equal hashes
        kept_row = np.maximum.accumulate(np.where(first, np.arange(len(table)), 0))
        later = {(int(table[i]["input"]), int(table[i]["entry"])): (int(table[k]["input"]), int(table[k]["entry"]))
                 for i, k in zip(np.flatnonzero(mine & ~first), kept_row[mine & ~first], strict=True)}
        return expected, later


class DedupPdfBytes(PipelineStep):
    """Exact dedup on the PDF bytes (sha256), global over the whole input: the first copy in input order (path,
    then record order in a WARC file) stays, later ones are dropped. Reads the hash pass's index."""

    name = "🫂 exact dedup (PDF bytes)"
    type = "🫂 - DEDUP"

    def __init__(self, index_folder: DataFolderLike, inputs: IngestInputs):
        super().__init__()
        self.index_folder = index_folder
        self.inputs = inputs

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        index = HashIndex(self.index_folder, self.inputs.listing().digest())
        expected, later = index.for_task(lambda inputs, entries: self.inputs.owns(inputs, entries, rank, world_size))
        seen = set()
        for doc in data:
            if is_live(doc):
                with self.track_time():
                    key = (doc.metadata[INPUT_KEY], doc.metadata[ENTRY_KEY])
                    if expected.get(key) != bytes.fromhex(doc.metadata[schemas.SHA256]):
                        raise RuntimeError(f"ingest: {doc.metadata[schemas.FILE_PATH]} (entry {key[1]}) is not "
                                           "what the hash step read: the input changed; redo ingest from scratch")
                    seen.add(key)
                    if key in later:
                        kept = self.inputs.describe(*later[key])
                        mark_dropped(doc, STAGE, outcomes.DUPLICATE_PDF_BYTES,
                                     details={"sha256": doc.metadata[schemas.SHA256], "kept": kept})
                        self.stat_update("duplicates")
            yield doc
        if len(seen) != len(expected):
            raise RuntimeError(f"ingest: {len(expected) - len(seen)} PDF(s) the hash step read are no longer "
                               "readable: the input changed; redo ingest from scratch")
