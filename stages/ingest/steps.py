"""ingest: a folder of PDFs and/or WARC files -> raw PDF shards (bytes as datatrove Media), exact-deduped."""

from __future__ import annotations

import hashlib
import os
import sys

from datatrove.data import Document, DocumentsPipeline, Media, MediaType
from datatrove.io import DataFolderLike, get_datafolder
from datatrove.pipeline.base import PipelineStep
from datatrove.utils.logging import logger

from shared import schemas
from shared.ledger import ShardLedger, mark_dropped, mark_failed
from shared.steps import DocumentStep

STAGE = "ingest"
PDF_MAGIC = b"%PDF-"
MAGIC_WINDOW = 1024  # the PDF spec tolerates junk before the header; readers look in the first 1 KiB


def common_crawl_dump(path: str) -> str | None:
    """FinePDFs' ``dump``: the Common Crawl snapshot a WARC file belongs to (``CC-MAIN-2019-43``), from its path."""
    import re

    match = re.search(r"CC-MAIN-\d{4}-\d{2}", path)
    return match.group(0) if match else None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def partition_of(size: int, path: str, world_size: int, is_warc: bool) -> int:
    """Which task ingests a file. PDFs go by their byte size: identical files always share a task, so the
    per-task exact dedup is global without a second pass. WARC files go by path (their records vary)."""
    key = path if is_warc else str(size)
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big") % world_size


class PdfSourceReader(PipelineStep):
    """Lists PDFs and WARC files under a folder (recursive) and yields one raw-PDF document per PDF."""

    name = "📂 PDF source"
    type = "📖 - READER"

    def __init__(
        self,
        data_folder: DataFolderLike,
        ledger: ShardLedger,
        max_pdf_bytes: int,
        extensions: tuple[str, ...],
        warc_extensions: tuple[str, ...],
    ):
        super().__init__()
        self.data_folder = get_datafolder(data_folder)
        self.ledger = ledger
        self.max_pdf_bytes = max_pdf_bytes
        self.extensions = tuple(e.lower() for e in extensions)
        self.warc_extensions = tuple(e.lower() for e in warc_extensions)

    def _is_warc(self, path: str) -> bool:
        return path.lower().endswith(self.warc_extensions)

    def list_inputs(self) -> list[tuple[str, int]]:
        """(relative path, size) of every input file, sorted so that every task sees the same order."""
        if not self.data_folder.isdir(""):
            raise FileNotFoundError(f"ingest input folder not found: {self.data_folder.path}")
        files = []
        for rel, size in self._walk():
            if rel.lower().endswith(self.extensions) or self._is_warc(rel):
                files.append((rel, size))
        return sorted(files)

    def _walk(self):
        """(relative path, size) of every file; local folders follow symlinks (fsspec's find does not)."""
        from fsspec.implementations.local import LocalFileSystem

        root = self.data_folder.path
        if isinstance(self.data_folder.fs, LocalFileSystem):
            for dirpath, _, filenames in os.walk(root, followlinks=True):
                for name in filenames:
                    full = os.path.join(dirpath, name)
                    yield os.path.relpath(full, root), os.path.getsize(full)
            return
        for path, info in self.data_folder.find("", detail=True, withdirs=False).items():
            rel = path[len(root):].lstrip("/") if path.startswith(root) else path
            yield rel, int(info.get("size") or 0)

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        self.ledger.reset()
        self.ledger.rank = rank
        inputs = self.list_inputs()
        mine = [(p, s) for p, s in inputs if partition_of(s, p, world_size, self._is_warc(p)) == rank]
        logger.info(f"ingest rank {rank}: {len(mine)} of {len(inputs)} input files")
        from tqdm import tqdm

        # a bar per task in a terminal, like the other stages' readers (bytes: WARC files hold many PDFs)
        with tqdm(total=sum(size for _, size in mine), desc=f"ingest task {rank}", unit="B", unit_scale=True,
                  disable=not sys.stderr.isatty(), dynamic_ncols=True) as bar:
            for path, size in mine:
                self.stat_update("input_files")
                if self._is_warc(path):
                    yield from self._read_warc(path)
                else:
                    self.ledger.docs_in += 1
                    yield self._read_pdf_file(path, size)
                bar.update(size)

    def _read_pdf_file(self, path: str, size: int) -> Document:
        resolved = self.data_folder.resolve_paths(path)
        if size > self.max_pdf_bytes:
            return self._failed(path, "PdfTooLarge", f"{size} bytes > max_pdf_bytes {self.max_pdf_bytes}", size)
        try:
            with self.data_folder.open(path, "rb") as f:
                pdf_bytes = f.read()
        except OSError as error:
            return self._failed(path, error, None, size)
        return self._document(pdf_bytes, url=None, file_path=path, date=None, is_truncated=False,
                              source_kind="file", resolved=resolved)

    def _read_warc(self, path: str) -> DocumentsPipeline:
        from warcio.archiveiterator import ArchiveIterator

        dump = common_crawl_dump(path)
        try:
            with self.data_folder.open(path, "rb") as f:
                records = ArchiveIterator(f)
                for record in records:
                    offset = records.offset  # FinePDFs' offset: where the record starts in the WARC
                    if record.rec_type not in ("response", "resource"):
                        continue
                    content_type = ""
                    if record.http_headers is not None:
                        content_type = record.http_headers.get_header("Content-Type") or ""
                    else:
                        content_type = record.rec_headers.get_header("Content-Type") or ""
                    payload = record.content_stream().read(self.max_pdf_bytes + 1)
                    url = record.rec_headers.get_header("WARC-Target-URI")
                    if "pdf" not in content_type.lower() and PDF_MAGIC not in payload[:MAGIC_WINDOW]:
                        self.stat_update("warc_records_not_pdf")
                        continue
                    self.ledger.docs_in += 1
                    if len(payload) > self.max_pdf_bytes:
                        yield self._failed(url or path, "PdfTooLarge", f"record over {self.max_pdf_bytes} bytes",
                                           len(payload), file_path=path)
                        continue
                    yield self._document(
                        payload,
                        url=url,
                        file_path=path,
                        date=record.rec_headers.get_header("WARC-Date"),
                        is_truncated=record.rec_headers.get_header("WARC-Truncated") is not None,
                        source_kind="warc",
                        resolved=url,
                        offset=offset,
                        dump=dump,
                    )
        except Exception as error:  # noqa: BLE001 - a corrupt WARC is one error row, the shard goes on
            self.ledger.docs_in += 1
            yield self._failed(path, error, f"unreadable WARC file: {error}", 0)

    def _document(self, pdf_bytes, url, file_path, date, is_truncated, source_kind, resolved, offset=None,
                  dump=None) -> Document:
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
            mark_failed(doc, STAGE, "EmptyFile", "the file has zero bytes")
        elif PDF_MAGIC not in pdf_bytes[:MAGIC_WINDOW]:
            mark_failed(doc, STAGE, "NotAPdf", f"no %PDF- header in the first {MAGIC_WINDOW} bytes")
        return doc

    def _failed(self, source: str, error, message, size: int, file_path: str | None = None) -> Document:
        doc = Document(text="", id=sha256_hex(source.encode()),
                       metadata={schemas.FILE_PATH: file_path or source, schemas.SIZE_BYTES: size})
        return mark_failed(doc, STAGE, error, message)


class DedupPdfBytes(DocumentStep):
    """Exact dedup on the PDF bytes (sha256): the first copy in input order stays, later ones are dropped."""

    name = "🫂 exact dedup (PDF bytes)"
    type = "🫂 - DEDUP"
    stage = STAGE

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        self._seen: dict[str, str | None] = {}  # sha256 -> where the kept copy came from
        yield from super().run(data, rank, world_size)

    def process(self, doc: Document) -> None:
        digest = doc.metadata[schemas.SHA256]
        source = doc.metadata.get(schemas.URL) or doc.metadata.get(schemas.FILE_PATH)
        if digest in self._seen:
            mark_dropped(doc, STAGE, "duplicate_pdf_bytes", details={"sha256": digest, "kept": self._seen[digest]})
            self.stat_update("duplicates")
        else:
            self._seen[digest] = source

