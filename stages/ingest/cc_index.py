"""Common Crawl's columnar URL index as ingest's input: the PDF captures, each read by byte range from its WARC.

FinePDFs does not download whole WARC files: it reads the index (Parquet, one row per capture), keeps the PDF
captures (``is_pdf_capture``: the MIME type Common Crawl saw or detected says PDF, or the URL ends in ``.pdf``),
and reads each record alone (``warc_filename``, ``warc_record_offset``, ``warc_record_length``: one gzip member).
A snapshot is named ``cc-index://CC-MAIN-2024-10`` (``[ingest] cc_index_base``), or given as a path / URI of
index Parquet files; WARC files are read under ``[ingest] cc_data_base``.

The index is split across tasks by rows: the index files in path order make one sequence of rows, task r of N
reads rows [r*R/N, (r+1)*R/N) (only the row groups it needs), so the (shard, row) order is index order for any
task count. A capture is keyed by (index file, row in it), which is also its key in the hash index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC

import numpy as np

from shared.manifest import InputError
from stages.ingest.listing import InputEntry, Listing

SCHEME = "cc-index://"
KIND_INDEX = "cc-index"
CRAWL_NAME = re.compile(r"CC-MAIN-\d{4}-\d{2}")
INDEX_EXTENSION = ".parquet"

# Common Crawl's index columns (cc-index-table): those ingest needs, and those it uses when a crawl has them
URL_COLUMN = "url"
MIME_COLUMNS = ("content_mime_type", "content_mime_detected")
WARC_COLUMNS = ("warc_filename", "warc_record_offset", "warc_record_length")
TRUNCATED_COLUMN = "content_truncated"  # from CC-MAIN-2019-47 on: why the payload was cut (length, time, ...)
FETCH_TIME_COLUMN = "fetch_time"
CRAWL_COLUMN = "crawl"
REQUIRED_COLUMNS = (URL_COLUMN, MIME_COLUMNS[0], *WARC_COLUMNS)
OPTIONAL_COLUMNS = (MIME_COLUMNS[1], TRUNCATED_COLUMN, FETCH_TIME_COLUMN, CRAWL_COLUMN)


def is_index_uri(uri: str) -> bool:
    return uri.startswith(SCHEME)


def resolve(uri: str, index_base: str) -> str:
    """The URI of an index's Parquet files: ``cc-index://CRAWL`` under ``index_base``, anything else as given."""
    if not is_index_uri(uri):
        return uri
    crawl = uri[len(SCHEME):].strip("/")
    if not CRAWL_NAME.fullmatch(crawl):
        raise InputError(f"{uri}: a Common Crawl snapshot is named like cc-index://CC-MAIN-2024-10")
    return f"{index_base.rstrip('/')}/crawl={crawl}/subset=warc/"


def holds_index_files(data_folder) -> bool:
    """Does the folder hold Parquet files (Common Crawl's index; asked only of a folder with no PDF or WARC file)?"""
    return data_folder.isdir("") and any(n.endswith(INDEX_EXTENSION) for n in data_folder.find("", withdirs=False))


def is_pdf_capture(table) -> np.ndarray:
    """FinePDFs' rule, on a table of index rows: the MIME type (as sent, or as detected) says PDF, or the URL ends
    in .pdf. A boolean mask."""
    import pyarrow.compute as pc

    keep = pc.ends_with(pc.utf8_lower(table[URL_COLUMN]), ".pdf")
    for column in MIME_COLUMNS:
        if column in table.column_names:
            keep = pc.or_kleene(keep, pc.match_substring(pc.utf8_lower(table[column]), "pdf"))
    return np.asarray(pc.fill_null(keep, False))


@dataclass(frozen=True)
class Capture:
    """One PDF capture of the index: where its record is, and what the index says of it."""

    input: int  # the index file (its number in the listing)
    entry: int  # the row in that file
    url: str
    warc: str  # warc_filename, relative to cc_data_base
    offset: int
    length: int
    truncated: bool | None  # None: the crawl's index has no content_truncated column (judge from the record)
    date: str | None
    dump: str | None


@dataclass(frozen=True)
class IndexFile:
    entry: InputEntry
    rel: str  # path under the index folder ("" when the input is this one file)
    rows: int
    row_groups: tuple[int, ...]  # rows per row group
    columns: tuple[str, ...]


def _date(value) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")  # as WARC-Date writes it


class CcIndexInputs:
    """The index, listed once per process (footers only: rows and row groups per file), and which rows each task
    reads. The same interface as ``steps.IngestInputs`` where the steps share it (``listing``, ``owns``,
    ``describe``)."""

    def __init__(self, uri: str, index_base: str, data_base: str):
        from datatrove.io import get_datafolder

        self.uri = uri
        self.data_folder = get_datafolder(resolve(uri, index_base))
        self.data_base = data_base
        self._files: list[IndexFile] | None = None

    # --- listing -------------------------------------------------------------------------------------------
    def files(self) -> list[IndexFile]:
        if self._files is None:
            self._files = self._list()
        return self._files

    def _paths(self) -> list[tuple[str, int]]:
        folder = self.data_folder
        if folder.path.endswith(INDEX_EXTENSION) and not folder.isdir(""):
            info = folder.fs.info(folder.path)
            return [("", int(info.get("size") or 0))]
        if not folder.isdir(""):
            raise FileNotFoundError(f"ingest: Common Crawl index not found: {folder.path}")
        root = folder.path.rstrip("/")
        found = folder.find("", detail=True, withdirs=False)
        paths = []
        for path, info in found.items():
            rel = path[len(root):].lstrip("/") if path.startswith(root) else path
            if rel.endswith(INDEX_EXTENSION):
                paths.append((rel, int(info.get("size") or 0)))
        return sorted(paths)

    def _list(self) -> list[IndexFile]:
        import pyarrow.parquet as pq

        files = []
        for rel, size in self._paths():
            with self._open(rel) as f:
                meta = pq.ParquetFile(f).metadata
                names = tuple(meta.schema.to_arrow_schema().names)
            missing = [c for c in REQUIRED_COLUMNS if c not in names]
            if missing:
                raise InputError(f"{self.where(rel)} is not a Common Crawl index file: no column(s) {missing}")
            groups = tuple(meta.row_group(g).num_rows for g in range(meta.num_row_groups))
            entry = InputEntry(rel or self.data_folder.path.rsplit("/", 1)[-1], size, KIND_INDEX)
            files.append(IndexFile(entry, rel, meta.num_rows, groups, names))
        if not files:
            raise InputError(f"no index Parquet files under {self.data_folder.path}")
        return files

    def _open(self, rel: str):
        return self.data_folder.open(rel, "rb") if rel else self.data_folder.fs.open(self.data_folder.path, "rb")

    def where(self, rel: str) -> str:
        return f"{self.data_folder.path.rstrip('/')}/{rel}" if rel else self.data_folder.path

    def listing(self) -> Listing:
        return Listing([f.entry for f in self.files()])

    # --- tasks ---------------------------------------------------------------------------------------------
    def _starts(self) -> np.ndarray:
        return np.concatenate([[0], np.cumsum([f.rows for f in self.files()])]).astype(np.int64)

    def row_range(self, rank: int, world_size: int) -> tuple[int, int]:
        total = int(self._starts()[-1])
        return rank * total // world_size, (rank + 1) * total // world_size

    def owns(self, inputs: np.ndarray, entries: np.ndarray, rank: int, world_size: int) -> np.ndarray:
        """Which (index file, row) keys fall in this task's rows."""
        lo, hi = self.row_range(rank, world_size)
        rows = self._starts()[inputs.astype(np.int64)] + entries.astype(np.int64)
        return (rows >= lo) & (rows < hi)

    def describe(self, input: int, entry: int) -> str:
        return f"{self.files()[input].entry.text} row {entry}"

    def total_rows(self) -> int:
        return int(self._starts()[-1])

    # --- captures ------------------------------------------------------------------------------------------
    def captures(self, rank: int, world_size: int, stats=None):
        """This task's PDF captures, in index order. ``stats(name, value)`` counts the rows read and kept."""
        import pyarrow.parquet as pq

        lo, hi = self.row_range(rank, world_size)
        starts = self._starts()
        for number, index_file in enumerate(self.files()):
            first, end = int(starts[number]), int(starts[number + 1])
            if end <= lo or first >= hi:
                continue
            wanted = [c for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in index_file.columns]
            with self._open(index_file.rel) as f:
                parquet = pq.ParquetFile(f)
                group_start = first
                for group, group_rows in enumerate(index_file.row_groups):
                    g_lo, g_hi = max(lo, group_start), min(hi, group_start + group_rows)
                    if g_lo < g_hi:
                        table = parquet.read_row_group(group, columns=wanted)
                        table = table.slice(g_lo - group_start, g_hi - g_lo)
                        keep = is_pdf_capture(table)
                        if stats:
                            stats("index_rows", len(table))
                            stats("index_pdf_captures", int(keep.sum()))
                        yield from self._captures_of(number, table, np.flatnonzero(keep),
                                                     g_lo - first)
                    group_start += group_rows

    def _captures_of(self, number: int, table, rows: np.ndarray, first_row: int):
        from stages.ingest.steps import common_crawl_dump

        taken = table.take(rows).to_pydict()
        nothing = [None] * len(rows)
        truncated = taken.get(TRUNCATED_COLUMN)
        crawls, times = taken.get(CRAWL_COLUMN, nothing), taken.get(FETCH_TIME_COLUMN, nothing)
        for i, row in enumerate(rows):
            warc = taken["warc_filename"][i]
            yield Capture(number, first_row + int(row), taken[URL_COLUMN][i], warc,
                          int(taken["warc_record_offset"][i]), int(taken["warc_record_length"][i]),
                          None if truncated is None else bool(truncated[i]), _date(times[i]),
                          crawls[i] or common_crawl_dump(warc))

    # --- WARC records ---------------------------------------------------------------------------------------
    def warc_uri(self, warc: str) -> str:
        return f"{self.data_base.rstrip('/')}/{warc.lstrip('/')}"

    def read_records(self, captures: list[Capture]) -> list[bytes | BaseException]:
        """The bytes of each capture's record, read by byte range; concurrent on S3 and HTTP (fsspec's async
        filesystems), an exception in place of the bytes that could not be read."""
        from fsspec.core import url_to_fs

        if not captures:
            return []
        fs, root = url_to_fs(self.data_base)
        root = root.rstrip("/")
        paths = [f"{root}/{c.warc.lstrip('/')}" if root else c.warc for c in captures]
        starts = [c.offset for c in captures]
        ends = [c.offset + c.length for c in captures]
        extra = {"batch_size": len(captures)} if getattr(fs, "async_impl", False) else {}
        try:
            return list(fs.cat_ranges(paths, starts, ends, on_error="return", **extra))
        except Exception as error:  # noqa: BLE001 - a filesystem that raises for the whole batch: read one by one
            out: list[bytes | BaseException] = []
            for path, start, end in zip(paths, starts, ends, strict=True):
                try:
                    out.append(fs.cat_file(path, start=start, end=end))
                except Exception as one:  # noqa: BLE001 - recorded as this capture's error row
                    out.append(one)
            if not any(isinstance(o, bytes) for o in out):
                out = [error] * len(captures)
            return out

