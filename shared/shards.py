"""Shard I/O on datatrove's Parquet reader and writer, with the stage contract built in.

- ShardReader: reads a stage's input shards (``[0-9]*.parquet`` in one folder), checks their schema, rebuilds
  datatrove Documents (PDF bytes as ``Media``), counts docs_in.
- ShardWriter: the last step of every stage. Routes each document by its fate (output, drops, errors), writes
  into a per-rank staging folder, moves the files into place and writes the shard's ledger last. A shard is
  complete exactly when ``ledger/<rank>.json`` exists; re-running a rank first removes whatever it left before.
"""

from __future__ import annotations

import json
import os
import sys
import uuid

import pyarrow as pa
from datatrove.data import Document, DocumentsPipeline, Media
from datatrove.io import DataFolderLike, get_datafolder
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.readers.parquet import ParquetReader
from datatrove.pipeline.writers.parquet import ParquetWriter
from datatrove.utils.logging import logger

from shared import schemas
from shared.ledger import (
    DETAILS_KEY,
    DROPPED,
    ERROR_CLASS_KEY,
    ERROR_MESSAGE_KEY,
    FAILED,
    KEEP_IN_KEY,
    LEDGER_DIR,
    REASON_KEY,
    STAGE_KEY,
    ShardLedger,
    clear_fate,
    ledger_filename,
    write_marker,
)
from shared.pdf_bytes import absolute_location, as_reference, located
from shared.registry import BOOKKEEPING_DIR

SHARD_GLOB = "[0-9]*.parquet"
STAGING_DIR = "_staging"
STAGED_DATA_DIR = "data"  # inside a rank's staging folder: files bound for a separate data folder
ERRORS_DIR = "errors"
DROPS_DIR = "drops"
MEDIA_FIELDS = [f.name for f in schemas.MEDIA_STRUCT]


def row_to_document(row: dict) -> Document:
    """One Parquet row -> a datatrove Document; every column but text/id/media goes to metadata."""
    text = row.pop(schemas.TEXT, "") or ""
    doc_id = row.pop(schemas.ID)
    media = [Media(**m) for m in (row.pop(schemas.MEDIA, None) or [])]
    return Document(text=text, id=doc_id, media=media, metadata=row)


def document_to_row(doc: Document, schema: pa.Schema, stage: str, media_folder: str | None = None) -> dict:
    """A Document -> one row of ``schema``; a missing required column is a bug in the stage, so it raises.

    ``media_folder``: write media as references to where their bytes live, relative to this folder."""
    row = {}
    for field in schema:
        name = field.name
        if name == schemas.ID:
            value = doc.id
        elif name == schemas.TEXT:
            value = doc.text
        elif name == schemas.MEDIA:
            value = [{k: getattr(m, k) for k in MEDIA_FIELDS} for m in doc.media]
            if media_folder is not None:
                value = [as_reference(m, media_folder) for m in value]
        else:
            value = doc.metadata.get(name)
        if value is None and not field.nullable:
            raise ValueError(f"stage {stage}: document {doc.id} has no value for required column {name!r}")
        row[name] = value
    return row


RESERVED_DIRS = (STAGING_DIR, ERRORS_DIR, DROPS_DIR, LEDGER_DIR, "_logs", "_locks", BOOKKEEPING_DIR)


def safe_partition(value) -> str:
    """A partition value as a folder name (letters, digits, - and _)."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in str(value))


def split_uris(uris: str | list[str]) -> list[str]:
    """``--input`` may name several datasets separated by commas (e.g. the docling and ocr outputs)."""
    if isinstance(uris, str):
        uris = uris.split(",")
    return [u.strip() for u in uris if u.strip()]


def is_bookkeeping(name: str) -> bool:
    """A folder of a dataset that holds no data: ledger/, drops/, errors/, and anything ``_``- or
    ``.``-prefixed (staging, logs, locks, MinHash caches, the final dataset's __stage/)."""
    return name in RESERVED_DIRS or name.startswith(("_", "."))


def is_shard(relative_path: str) -> bool:
    """The one rule for which files of a dataset folder are its data shards: ``[0-9]*.parquet`` in the folder
    itself or one partition level down (classify's routes, filter's languages), never under a bookkeeping
    folder."""
    parts = relative_path.strip("/").split("/")
    name = parts[-1]
    return (len(parts) <= 2 and name[:1].isdigit() and name.endswith(".parquet")
            and not any(is_bookkeeping(part) for part in parts[:-1]))


def dataset_shards(folder: DataFolderLike) -> list[str]:
    """The shards of one dataset folder (paths relative to it), partitions included, in a stable order."""
    folder = get_datafolder(str(folder) if isinstance(folder, os.PathLike) else folder)
    if not folder.isdir(""):
        return []
    found = folder.list_files(recursive=False, glob_pattern=SHARD_GLOB)
    found += folder.list_files(recursive=True, glob_pattern="*/" + SHARD_GLOB)
    return sorted(p for p in set(found) if is_shard(p))


def list_shards(uris: DataFolderLike | list[str]) -> list[str]:
    """Complete data shards (full paths) of one or more dataset folders, in a stable order."""
    if isinstance(uris, os.PathLike):
        uris = str(uris)
    folders = [get_datafolder(u) for u in split_uris(uris)] if isinstance(uris, (str, list)) else [uris]
    return [folder.resolve_paths(p) for folder in folders for p in dataset_shards(folder)]


def shards_of_rank(listing: list[str], rank: int, world_size: int) -> list[str]:
    """A contiguous run of the listing: (shard, row) order stays input order whatever the task counts of the
    stages before, so dedup keeps the same copy of a near duplicate for any --tasks."""
    return listing[rank * len(listing) // world_size:(rank + 1) * len(listing) // world_size]


# input listings by reader (its id survives the executor's per-task deep copies); a new stage run lists again
_LISTINGS: dict[str, list[str]] = {}


class ShardReader(ParquetReader):
    """Reads one dataset's shards for this rank; never skips a row (datatrove's reader skips empty text)."""

    name = "📒 Shards"

    def __init__(
        self,
        data_folder: str,
        schema: pa.Schema,
        ledger: ShardLedger,
        batch_size: int = 64,
        limit: int = -1,
        columns: list[str] | None = None,
    ):
        self.input_uris = split_uris(data_folder)
        super().__init__(
            self.input_uris[0],
            batch_size=batch_size,
            limit=limit,
            recursive=False,
            glob_pattern=SHARD_GLOB,
            doc_progress=False,  # ours below knows the shard's row count: a bar with a rate and an ETA
        )
        self.progress = sys.stderr.isatty()
        self._listing = uuid.uuid4().hex  # shared by the per-task copies of this step: one listing per run
        self.add_file_path = False
        self.schema = schema
        self.ledger = ledger
        self.columns = columns  # read only these (stats): None = the whole schema

    def read_file(self, filepath: str):
        import posixpath

        import pyarrow.parquet as pq
        from datatrove.io import open_file

        expected = pa.schema([self.schema.field(c) for c in self.columns]) if self.columns else self.schema
        folder = posixpath.dirname(filepath)
        row_index = 0
        with open_file(filepath, "rb") as f, pq.ParquetFile(f) as pqf:
            with self.track_time("batch"):  # the reader's own time (decode, checks, Documents): the shard overhead
                schemas.check_compatible(pqf.schema_arrow, expected, filepath)
                batches = pqf.iter_batches(batch_size=self.batch_size, columns=self.columns)
            while True:
                with self.track_time("batch"):
                    batch = next(batches, None)
                    docs = [row_to_document(row) for row in batch.to_pylist()] if batch is not None else None
                if docs is None:
                    return
                for doc in docs:
                    for media in doc.media:  # where the bytes live: this row, or the row a reference names
                        if media.media_bytes:
                            located(media, filepath, row_index)
                        elif media.path:
                            media.path = absolute_location(media.path, folder)
                    row_index += 1
                    self.ledger.docs_in += 1
                    yield doc

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        self.ledger.reset()
        self.ledger.rank = rank
        if data:
            yield from data
        if self._listing not in _LISTINGS:  # every task of this run, in this process, reuses one listing
            _LISTINGS[self._listing] = list_shards(self.input_uris)
        shard = shards_of_rank(_LISTINGS[self._listing], rank, world_size)
        if not shard:
            logger.warning(f"no input shards in {self.input_uris} for {rank=}: writing an empty shard")
        from tqdm import tqdm

        total = _count_rows(shard) if self.progress else None
        with tqdm(total=total, desc=f"{self.ledger.stage} task {rank}", unit="doc", disable=not self.progress,
                  dynamic_ncols=True) as bar:
            for doc in self.read_files_shard(shard):
                self.update_doc_stats(doc)
                yield doc
                bar.update()  # after the document went through the stage's steps


def _count_rows(paths: list[str]) -> int:
    """Rows in these shards, from their Parquet footers (no data read)."""
    import pyarrow.parquet as pq
    from datatrove.io import open_file

    total = 0
    for path in paths:
        with open_file(path, "rb") as f, pq.ParquetFile(f) as pqf:
            total += pqf.metadata.num_rows
    return total


def _output_adapter(self, doc: Document) -> dict:
    folder = None
    if self.media_root is not None:  # a by-reference dataset: relative to the shard's final folder
        folder = self.media_root + (f"/{self.partition_of(doc)}" if self.partition_of else "")
    return document_to_row(doc, self.schema, self.stage_name, folder)


def _error_adapter(self, doc: Document) -> dict:
    return {
        schemas.ID: doc.id,
        schemas.STAGE: doc.metadata.get(STAGE_KEY) or self.stage_name,
        schemas.ERROR_CLASS: doc.metadata.get(ERROR_CLASS_KEY) or "UnknownError",
        schemas.ERROR_MESSAGE: doc.metadata.get(ERROR_MESSAGE_KEY) or "",
        schemas.SOURCE: _source_of(doc),
    }


def _drop_adapter(self, doc: Document) -> dict:
    details = doc.metadata.get(DETAILS_KEY)
    return {
        schemas.ID: doc.id,
        schemas.STAGE: doc.metadata.get(STAGE_KEY) or self.stage_name,
        schemas.DROP_REASON: doc.metadata.get(REASON_KEY),
        schemas.SOURCE: _source_of(doc),
        schemas.DETAILS: json.dumps(details, sort_keys=True, default=str) if details else None,
    }


def _source_of(doc: Document) -> str | None:
    return doc.metadata.get(schemas.URL) or doc.metadata.get(schemas.FILE_PATH)


# Rows per row group; a dataset that carries PDF bytes also closes a row group at this many bytes, so that a
# reader of one row (a reference) decodes little more than that row.
ROWS_PER_GROUP = 256
BYTES_PER_GROUP = 32 * 2**20


class _StageParquetWriter(ParquetWriter):
    def __init__(self, folder, filename: str, schema: pa.Schema, dataset: str, stage: str, adapter,
                 media_root: str | None = None, partition_of=None):
        super().__init__(
            folder,
            output_filename=filename,
            compression="zstd",
            adapter=adapter,
            schema=schemas.with_version(schema, dataset),
            max_file_size=-1,
            use_content_defined_chunking=False,
            batch_size=ROWS_PER_GROUP,
        )
        self.stage_name = stage
        self.media_root = media_root  # by-reference datasets: the output folder the shard ends up in
        self.partition_of = partition_of
        self._buffered_bytes: dict[str, int] = {}

    def _write(self, document: dict, file_handler, filename: str):
        super()._write(document, file_handler, filename)
        size = sum(len(m.get("media_bytes") or b"") for m in document.get(schemas.MEDIA) or [])
        total = self._buffered_bytes.get(filename, 0) + size if self._batches.get(filename) else 0
        if total >= BYTES_PER_GROUP:
            self._write_batch(filename)
            total = 0
        self._buffered_bytes[filename] = total


LOCK_DIR = "_locks"


class FolderLocked(RuntimeError):
    """Another process holds this lock right now."""


class FolderLock:
    """An exclusive lock (``<folder>/_locks/<name>.lock``, flock; the file is created once and never written, so a
    no-op rerun writes nothing) held while a process writes there: a second
    writer (a second run into the same folder, a Slurm task resubmitted while the first still runs) stops at
    once, saying so, instead of deleting the files the first is writing. Local and network filesystems with flock
    support; object stores have no locks (a warning says so once)."""

    _warned = False

    def __init__(self, folder, name: str, what: str):
        self.folder = get_datafolder(folder) if isinstance(folder, str) else folder
        self.name, self.what = name, what
        self._file = None

    def __enter__(self):
        import fcntl

        from fsspec.implementations.local import LocalFileSystem

        if not isinstance(self.folder.fs, LocalFileSystem):
            if not FolderLock._warned:
                logger.warning(f"{self.folder.path} is not on a local filesystem: no lock against a second writer "
                               "(run one writer per output folder)")
                FolderLock._warned = True
            return self
        self.folder.makedirs(LOCK_DIR, exist_ok=True)
        path = self.folder.resolve_paths(f"{LOCK_DIR}/{self.name}.lock")
        self._file = open(path, "a+")  # noqa: SIM115 - held for as long as the lock
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.close()
            self._file = None
            raise FolderLocked(f"{self.what} is being written by another process (`fuser {path}` names it): not "
                               "touching it; wait for it to end, or write to another output folder") from None
        return self

    def __exit__(self, *exc):
        if self._file is not None:
            self._file.close()  # closing releases the lock; the small file stays
            self._file = None


def rank_lock(folder, rank: int, stage: str) -> FolderLock:
    return FolderLock(folder, f"{rank:05d}", f"{stage} shard {rank:05d} of {folder.path}")


class ShardWriter(PipelineStep):
    """Last step of a stage: output rows, drops and errors, then the ledger that marks the shard complete.

    A dropped document that a step asked to keep on disk (``ledger.mark_dropped(..., keep_in=SUBSET)``, the
    filter's ``<lang>_removed`` subsets) is a drop in the ledger *and* a row of the output partition SUBSET,
    counted in ``ledger.removed``: docs_in = out + dropped + failed still holds, and the next stage reads those
    rows like any other partition (docs_in there = out + removed here).
    """

    name = "🧾 Shard writer"
    type = "💽 - WRITER"

    def __init__(
        self,
        output_folder: DataFolderLike,
        schema: pa.Schema | None,
        stage: str,
        ledger: ShardLedger,
        partition_by: str | None = None,
        input_check=None,
        data_folder: DataFolderLike | None = None,
    ):
        """``schema`` None: a stage that writes no documents (stats): outputs are counted, drops, errors and the
        ledger written as usual. ``input_check``: called before publishing (shared.manifest.InputCheck).
        ``data_folder``: where the documents go when not in ``output_folder`` (which then holds only the ledger,
        drops, errors and staging: the final dataset, see registry.Step.data)."""
        super().__init__()
        self.output_folder = get_datafolder(output_folder)
        self.data_folder = get_datafolder(data_folder) if data_folder is not None else self.output_folder
        self.schema = schema
        self.dataset = schemas.dataset_name(schema) if schema is not None else None
        self.stage = stage
        self.ledger = ledger
        self.partition_by = partition_by
        self.carried = set(schema.names) if schema is not None else set()
        self.input_check = input_check

    @property
    def _separate_data(self) -> bool:
        return self.data_folder.resolve_paths("").rstrip("/") != self.output_folder.resolve_paths("").rstrip("/")

    def _partition(self, doc: Document) -> str:
        value = doc.metadata.get(self.partition_by) or "unknown"
        return safe_partition(value)

    def _remove_previous_attempt(self, rank: int) -> None:
        """A rank that is being (re)run owns nothing yet: drop its staging folder, ledger and old shards.

        Only the places this rank writes to are looked at (its shard, errors, drops, and one level of partition
        folders): the cost per rank does not grow with the number of shards other ranks have written.
        """
        name = f"{rank:05d}.parquet"
        folder = self.output_folder
        if folder.exists(f"{STAGING_DIR}/{rank:05d}"):
            folder.rm(f"{STAGING_DIR}/{rank:05d}", recursive=True)
        if folder.isfile(ledger_filename(rank)):
            folder.rm(ledger_filename(rank))
        if folder.isdir(""):
            for path in (f"{ERRORS_DIR}/{name}", f"{DROPS_DIR}/{name}", name):
                if folder.isfile(path):
                    folder.rm(path)
        data = self.data_folder
        if not data.isdir(""):
            return
        candidates = [name] + ([f"{part}/{name}" for part in self._partition_folders()] if self.partition_by else [])
        for path in candidates:
            if data.isfile(path):
                data.rm(path)

    def _partition_folders(self) -> list[str]:
        folders = []
        for entry in self.data_folder.ls("", detail=True):
            part = entry["name"].rstrip("/").rsplit("/", 1)[-1]
            if entry["type"] == "directory" and not is_bookkeeping(part):
                folders.append(part)
        return folders

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        with rank_lock(self.output_folder, rank, self.stage):  # one writer per shard, whatever starts it
            yield from self._run(data, rank)

    def _run(self, data: DocumentsPipeline, rank: int) -> DocumentsPipeline:
        # Everything this step does is timed (track_time), set-up, closing and publishing included: its total
        # plus the reader's is the stage's shard overhead (the bench and the run report show it).
        with self.track_time():
            self._remove_previous_attempt(rank)
            staging = get_datafolder((f"{self.output_folder.path}/{STAGING_DIR}/{rank:05d}", self.output_folder.fs))
            out_name = "${partition}/${rank}.parquet" if self.partition_by else "${rank}.parquet"
            if self._separate_data:  # staged apart from drops/errors: published into the data folder
                out_name = f"{STAGED_DATA_DIR}/{out_name}"
            outputs = None
            if self.schema is not None:
                by_reference = self.dataset in schemas.MEDIA_BY_REFERENCE
                outputs = _StageParquetWriter(
                    staging, out_name, self.schema, self.dataset, self.stage, _output_adapter,
                    media_root=self.data_folder.resolve_paths("").rstrip("/") if by_reference else None,
                    partition_of=self._partition if by_reference and self.partition_by else None,
                )
            errors = _StageParquetWriter(
                staging, f"{ERRORS_DIR}/${{rank}}.parquet", schemas.ERRORS, "errors", self.stage, _error_adapter
            )
            drops = _StageParquetWriter(
                staging, f"{DROPS_DIR}/${{rank}}.parquet", schemas.DROPS, "drops", self.stage, _drop_adapter
            )
        ledger = self.ledger
        not_carried: set[str] = set()
        try:
            for doc in data:
                with self.track_time():
                    fate = ledger.count(doc)
                    if fate == FAILED:
                        errors.write(doc, rank)
                        self.stat_update("failed")
                    elif fate == DROPPED:
                        drops.write(doc, rank)
                        self.stat_update("dropped", doc.metadata[REASON_KEY])
                        subset = doc.metadata.get(KEEP_IN_KEY)
                        if subset and outputs is not None:  # a drop kept on disk: a removed subset
                            subset = safe_partition(subset)
                            outputs.write(doc, rank, partition=subset)
                            ledger.removed[subset] = ledger.removed.get(subset, 0) + 1
                            self.stat_update("kept_in_removed_subset")
                    else:
                        clear_fate(doc)
                        partition = self._partition(doc) if self.partition_by else ""
                        if outputs is not None:
                            not_carried.update(k for k in doc.metadata if k not in self.carried
                                               and not k.startswith("__"))
                            outputs.write(doc, rank, partition=partition)
                        ledger.outputs[partition] = ledger.outputs.get(partition, 0) + 1
                        self.stat_update("out")
                yield doc
        finally:
            with self.track_time():  # closing writes each writer's last batch
                for writer in (outputs, errors, drops):
                    if writer is not None:
                        writer.close()
        # Metadata that steps set but this dataset has no column for: said, not silently lost (ledger + stats).
        ledger.not_carried = sorted(not_carried)
        for key in ledger.not_carried:
            self.stat_update("metadata_not_carried", key)
        if not ledger.balanced:
            raise RuntimeError(
                f"stage {self.stage} rank {rank}: ledger does not balance, a document was lost: {ledger.to_dict()}"
            )
        if self.input_check is not None:
            self.input_check()  # the input is still what this step started from (no other run redid it)
        with self.track_time():
            self._publish(staging, rank)

    def _publish(self, staging, rank: int) -> None:
        """Move staged files into place, then write the ledger: the shard's completion marker."""
        fs = self.output_folder
        for path in sorted(staging.list_files(recursive=True)):
            target, relative = fs, path
            if path.startswith(STAGED_DATA_DIR + "/"):
                target, relative = self.data_folder, path[len(STAGED_DATA_DIR) + 1:]
            if "/" in relative:
                target.makedirs(relative.rsplit("/", 1)[0], exist_ok=True)
            target.fs.mv(staging.resolve_paths(path), target.resolve_paths(relative))
        fs.rm(f"{STAGING_DIR}/{rank:05d}", recursive=True) if fs.exists(f"{STAGING_DIR}/{rank:05d}") else None
        write_marker(fs, rank, self.ledger.to_dict())
        logger.info(f"{self.stage} shard {rank:05d} complete: {self.ledger.to_dict()}")


def read_dataset(folder: DataFolderLike, columns: list[str] | None = None, partial: bool = False) -> pa.Table:
    """All shards of a dataset folder (partitions too) as one table; empty if none. ``columns``: only those;
    a shard lacking one of them is skipped, or with ``partial`` read for the columns it has."""
    import pyarrow.parquet as pq

    folder = get_datafolder(str(folder) if isinstance(folder, os.PathLike) else folder)
    tables = []
    for path in dataset_shards(folder):
        with folder.open(path, "rb") as f, pq.ParquetFile(f) as shard:
            present = [c for c in columns if c in set(shard.schema_arrow.names)] if columns else None
            if present is None or present == columns or (partial and present):
                tables.append(shard.read(columns=present))
    if not tables:
        return pa.table({c: [] for c in columns}) if columns else pa.table({})
    return pa.concat_tables(tables, promote_options="default")


__all__ = [
    "ShardReader",
    "ShardWriter",
    "read_dataset",
    "list_shards",
    "row_to_document",
    "document_to_row",
]
