"""Captures Common Crawl truncated, fetched again from their URL (FinePDFs' second path).

Common Crawl stores at most 1 MiB of a payload: about a quarter of the PDF captures of a crawl are cut. FinePDFs
fetches those again over HTTP(S) and marks the documents ``is_truncated`` (they came from this path). Here:

- ``Fetcher``: downloads with httpx (asyncio): at most ``refetch_workers`` in flight, at most
  ``refetch_host_rps`` requests per second to one host, retries with exponential backoff on 5xx / 429 / 408,
  timeouts and dropped connections, a per-request timeout and a cap on each download's time and size (a
  Content-Length over the bound is refused before any byte is read), redirects followed up to a bound, and a
  User-Agent naming the project.
- ``RefetchTruncated``: the pipeline step. In the hash step it fetches the placeholders the capture reader
  yields for truncated captures and stores each outcome (``OUTPUT/_hashes/refetched/<rank>.parquet``, written
  before the hash step's completion marker); in the read step it takes them back from there, in the same
  order, and fetches nothing. A completed hash shard is never fetched again; a killed one is redone.

Every truncated capture ends as a document (``is_truncated``, ``source_kind`` ``refetch``), an error row
(``FetchFailed`` with the HTTP status or the network error; ``PdfTooLarge``), or a counted drop
(``capture_not_pdf``: the fetched bytes are no PDF).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import pyarrow as pa
from datatrove.data import Document, DocumentsPipeline
from datatrove.io import DataFolderLike, get_datafolder
from datatrove.pipeline.base import PipelineStep

from shared import outcomes, schemas
from shared.ledger import is_live, mark_dropped
from stages.ingest.steps import (
    ENTRY_KEY,
    INPUT_KEY,
    MAGIC_WINDOW,
    PDF_MAGIC,
    REFETCH_KEY,
    STAGE,
    failed_document,
    pdf_document,
)

REFETCH_FOLDER = "refetched"
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
MAX_REDIRECTS = 10
PDF, NOT_PDF, FAILED = "pdf", "not_pdf", "failed"
BUFFER_FACTOR = 4  # documents held while a batch of truncated captures fills: at most this many batches' worth
ROWS_PER_GROUP = 8  # the read step streams the store: a row group holds a few PDFs


def refetch_filename(rank: int) -> str:
    return f"{REFETCH_FOLDER}/{rank:05d}.parquet"


@dataclass(frozen=True)
class FetchSettings:
    """The refetch's settings: the [ingest] refetch settings by their names (filled by Settings.pick)."""

    refetch_workers: int
    refetch_retries: int
    refetch_backoff_s: float
    refetch_timeout_s: float
    refetch_download_s: float
    refetch_host_rps: float
    user_agent: str
    max_pdf_bytes: int
    refetch_allow_private: bool = False


@dataclass
class Fetched:
    """What one URL gave: the bytes, or the declared error class and why."""

    url: str
    status: int | None = None
    final_url: str | None = None
    data: bytes | None = None
    error: outcomes.StageError | None = None  # why it could not be fetched (FetchFailed, PdfTooLarge)
    attempts: int = 1

    @property
    def error_class(self) -> str | None:
        return self.error.error_class if self.error is not None else None

    @property
    def message(self) -> str | None:
        return str(self.error) if self.error is not None else None

    @property
    def outcome(self) -> str:
        if self.error is not None:
            return FAILED
        return PDF if PDF_MAGIC in (self.data or b"")[:MAGIC_WINDOW] else NOT_PDF


class HostPacer:
    """At most ``rps`` request starts per second to one host: each request takes the next free slot of its host."""

    def __init__(self, rps: float, clock=time.monotonic):
        self.interval = 1.0 / rps if rps > 0 else 0.0
        self.clock = clock
        self.next_slot: dict[str, float] = {}

    def reserve(self, host: str) -> float:
        """Seconds to wait before starting a request to ``host`` (its slot is taken now)."""
        now = self.clock()
        slot = max(now, self.next_slot.get(host, now))
        self.next_slot[host] = slot + self.interval
        return slot - now

    async def wait(self, host: str) -> None:
        delay = self.reserve(host)
        if delay > 0:
            await asyncio.sleep(delay)


class PrivateAddress(Exception):
    """A URL (or a redirect) whose host resolves to this machine's own network: never fetched."""


async def refuse_private(request) -> None:
    """httpx request hook (every request, redirects included): a host that resolves to a loopback, private,
    link-local or reserved address is refused (a crawl's URL must not reach a cloud's metadata service or the
    cluster's own services). Checked at resolution time: it narrows the door, DNS rebinding may still pass it."""
    import ipaddress
    import socket

    host = request.url.host
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, request.url.port or 0, type=socket.SOCK_STREAM)
    except OSError:
        return  # unresolvable: httpx says so itself (ConnectError)
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            raise PrivateAddress(f"{host} resolves to {address}, not a public address: not fetched "
                                 "([ingest] refetch_allow_private)")


class Fetcher:
    def __init__(self, settings: FetchSettings):
        self.settings = settings
        self.pacer = HostPacer(settings.refetch_host_rps)

    def fetch_all(self, urls: list[str]) -> list[Fetched]:
        return asyncio.run(self._all(urls)) if urls else []

    async def _all(self, urls: list[str]) -> list[Fetched]:
        import httpx

        s = self.settings
        limits = httpx.Limits(max_connections=s.refetch_workers, max_keepalive_connections=s.refetch_workers)
        hooks = {} if s.refetch_allow_private else {"request": [refuse_private]}
        async with httpx.AsyncClient(follow_redirects=True, max_redirects=MAX_REDIRECTS, limits=limits,
                                     timeout=httpx.Timeout(s.refetch_timeout_s), headers={"User-Agent": s.user_agent},
                                     event_hooks=hooks) as client:
            slots = asyncio.Semaphore(s.refetch_workers)

            async def one(url: str) -> Fetched:
                async with slots:
                    return await self.fetch(client, url)

            return list(await asyncio.gather(*(one(url) for url in urls)))

    async def fetch(self, client, url: str) -> Fetched:
        import httpx

        s = self.settings
        last = Fetched(url, error=outcomes.FetchFailed("not tried"))
        for attempt in range(s.refetch_retries + 1):
            if attempt:
                await asyncio.sleep(s.refetch_backoff_s * 2 ** (attempt - 1))
            await self.pacer.wait(urlsplit(url).netloc.lower())
            try:
                got = await asyncio.wait_for(self._download(client, url), s.refetch_download_s)
            except TimeoutError:  # a slow drip: the next try would drip as slowly
                return Fetched(url, attempts=attempt + 1,
                               error=outcomes.FetchFailed(f"the download took longer than {s.refetch_download_s:g} s"))
            except PrivateAddress as error:
                return Fetched(url, attempts=attempt + 1, error=outcomes.FetchFailed(str(error)))
            except httpx.TooManyRedirects as error:
                return Fetched(url, attempts=attempt + 1,
                               error=outcomes.FetchFailed(f"TooManyRedirects: more than {MAX_REDIRECTS} ({error})"))
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as error:
                return Fetched(url, attempts=attempt + 1,
                               error=outcomes.FetchFailed(f"{type(error).__name__}: {error}"))
            except (httpx.TimeoutException, httpx.TransportError) as error:
                last = Fetched(url, attempts=attempt + 1,
                               error=outcomes.FetchFailed(f"{type(error).__name__}: {error or 'no detail'}"))
                continue
            except httpx.HTTPError as error:
                return Fetched(url, attempts=attempt + 1,
                               error=outcomes.FetchFailed(f"{type(error).__name__}: {error}"))
            got.attempts = attempt + 1
            if got.status in RETRY_STATUSES:
                last = got
                continue
            return got
        last.error = type(last.error)(f"{last.message} (after {last.attempts} attempts)")
        return last

    async def _download(self, client, url: str) -> Fetched:
        cap = self.settings.max_pdf_bytes
        async with client.stream("GET", url) as response:
            final = str(response.url)
            status = response.status_code
            if not 200 <= status < 300:
                return Fetched(url, status, final, error=outcomes.FetchFailed(f"HTTP {status}"))
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > cap:
                too_large = outcomes.PdfTooLarge(f"Content-Length {declared} > max_pdf_bytes {cap}: not downloaded")
                return Fetched(url, status, final, error=too_large)
            chunks, size = [], 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > cap:
                    too_large = outcomes.PdfTooLarge(f"over max_pdf_bytes {cap} while downloading: stopped")
                    return Fetched(url, status, final, error=too_large)
                chunks.append(chunk)
            return Fetched(url, status, final, b"".join(chunks))


def _source(doc: Document) -> str:
    return f"{doc.metadata[schemas.FILE_PATH]}#{doc.metadata[schemas.OFFSET]}"


def settle(doc: Document, outcome: str, data: bytes | None, status: int | None, final_url: str | None,
           error_class: str | None, message: str | None) -> Document:
    """The placeholder of a truncated capture as what its refetch gave: a document, an error row or a drop."""
    meta = doc.metadata
    url, file_path = meta[schemas.URL], meta[schemas.FILE_PATH]
    if outcome == PDF:
        out = pdf_document(data, url, file_path, meta.get(schemas.DATE), True, "refetch", final_url or url,
                           meta.get(schemas.OFFSET), meta.get(schemas.DUMP))
    elif outcome == NOT_PDF:
        out = Document(text="", id=doc.id, metadata={schemas.URL: url, schemas.FILE_PATH: file_path})
        mark_dropped(out, STAGE, outcomes.CAPTURE_NOT_PDF,
                     details={"refetched": True, "http_status": status, "bytes": len(data or b""),
                              "starts_with": (data or b"")[:16].decode("latin-1")})
    else:
        out = failed_document(_source(doc), error_class, 0, file_path, url, message=message)
    out.metadata[INPUT_KEY] = meta[INPUT_KEY]
    out.metadata[ENTRY_KEY] = meta[ENTRY_KEY]
    return out


class RefetchTruncated(PipelineStep):
    """Turns the placeholders of truncated captures into what fetching them again gives. ``fetch``: fetch (the
    hash step) and store the outcomes in ``store``; None: take them from ``store`` (the read step)."""

    name = "🌐 refetch truncated captures"
    type = "📖 - READER"

    def __init__(self, store: DataFolderLike, fetch: FetchSettings | None, batch: int = 64):
        super().__init__()
        self.store = get_datafolder(store)
        self.fetch_settings = fetch
        self.batch = batch

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if self.fetch_settings is None:
            yield from self._load(data, rank)
        else:
            yield from self._fetch_and_store(data, rank)

    @staticmethod
    def _pending(doc: Document) -> bool:
        return is_live(doc) and REFETCH_KEY in doc.metadata

    # --- the hash step: fetch, store -------------------------------------------------------------------------
    def _fetch_and_store(self, data: DocumentsPipeline, rank: int) -> DocumentsPipeline:
        import pyarrow.parquet as pq

        fetcher = Fetcher(self.fetch_settings)
        final = refetch_filename(rank)
        tmp = f"{REFETCH_FOLDER}/.{rank:05d}.parquet.tmp"
        self.store.makedirs(REFETCH_FOLDER, exist_ok=True)
        if self.store.isfile(final):
            self.store.rm(final)  # a shard is redone from scratch
        with self.store.open(tmp, "wb") as f, pq.ParquetWriter(f, schemas.REFETCHED) as writer:
            buffer: list[Document] = []
            pending = 0
            for doc in data:
                buffer.append(doc)
                pending += self._pending(doc)
                # a batch of captures to fetch, or (when truncated captures are rare) a bound on what waits
                if pending >= self.batch or len(buffer) >= BUFFER_FACTOR * self.batch:
                    yield from self._flush(buffer, fetcher, writer)
                    buffer, pending = [], 0
            yield from self._flush(buffer, fetcher, writer)
        self.store.fs.mv(self.store.resolve_paths(tmp), self.store.resolve_paths(final))

    def _flush(self, buffer: list[Document], fetcher: Fetcher, writer) -> DocumentsPipeline:
        pending = [doc for doc in buffer if self._pending(doc)]
        with self.track_time():
            results = fetcher.fetch_all([doc.metadata[schemas.URL] for doc in pending])
        by_doc = {}
        rows = []
        for doc, got in zip(pending, results, strict=True):
            outcome = got.outcome
            self.stat_update(f"refetch_{outcome}")
            if got.attempts > 1:
                self.stat_update("refetch_retries", value=got.attempts - 1)
            keep = got.data if outcome == PDF else (got.data or b"")[:MAGIC_WINDOW] if outcome == NOT_PDF else None
            rows.append({schemas.REFETCH_INPUT: doc.metadata[INPUT_KEY], schemas.REFETCH_ENTRY: doc.metadata[ENTRY_KEY],
                         schemas.URL: got.url, schemas.REFETCH_OUTCOME: outcome, schemas.REFETCH_STATUS: got.status,
                         schemas.REFETCH_FINAL_URL: got.final_url, schemas.ERROR_CLASS: got.error_class,
                         schemas.ERROR_MESSAGE: got.message, schemas.REFETCH_BYTES: keep})
            by_doc[id(doc)] = settle(doc, outcome, keep, got.status, got.final_url, got.error_class, got.message)
        for start in range(0, len(rows), ROWS_PER_GROUP):
            writer.write_table(pa.Table.from_pylist(rows[start:start + ROWS_PER_GROUP], schema=schemas.REFETCHED))
        for doc in buffer:
            yield by_doc.get(id(doc), doc)

    # --- the read step: take them back -----------------------------------------------------------------------
    def _stored_rows(self, rank: int):
        import pyarrow.parquet as pq

        path = refetch_filename(rank)
        if not self.store.isfile(path):
            raise RuntimeError(f"ingest: no refetched captures for task {rank} in {self.store.path}: run the hash "
                               "step with the same --tasks first (--step hash)")
        with self.store.open(path, "rb") as f:
            for batch in pq.ParquetFile(f).iter_batches(batch_size=ROWS_PER_GROUP):
                yield from batch.to_pylist()

    def _load(self, data: DocumentsPipeline, rank: int) -> DocumentsPipeline:
        rows = None
        for doc in data:
            if not self._pending(doc):
                yield doc
                continue
            if rows is None:
                rows = self._stored_rows(rank)
            row = next(rows, None)
            key = (doc.metadata[INPUT_KEY], doc.metadata[ENTRY_KEY])
            if row is None or (row[schemas.REFETCH_INPUT], row[schemas.REFETCH_ENTRY]) != key:
                raise RuntimeError(f"ingest: {doc.metadata[schemas.URL]} was not fetched again by the hash step "
                                   "(the index or --tasks changed): redo ingest from scratch")
            self.stat_update(f"refetch_{row[schemas.REFETCH_OUTCOME]}")
            yield settle(doc, row[schemas.REFETCH_OUTCOME], row[schemas.REFETCH_BYTES], row[schemas.REFETCH_STATUS],
                         row[schemas.REFETCH_FINAL_URL], row[schemas.ERROR_CLASS], row[schemas.ERROR_MESSAGE])
        if rows is not None and next(rows, None) is not None:
            raise RuntimeError("ingest: the hash step fetched captures this read did not find (the index changed): "
                               "redo ingest from scratch")
