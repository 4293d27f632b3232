"""ingest from Common Crawl's columnar index, against real servers on this machine: the index and the WARC files
(written by tools/cc_crawl.py from the bundled PDFs) on local disk and on moto's S3 server (a local
S3-compatible STAND-IN for AWS, scripts/services.d/s3.sh), the captures Common Crawl truncated fetched again from
a local HTTP server (stdlib http.server on 127.0.0.1) that serves the whole PDFs and fails some requests on
purpose. Every capture the index selects must end as exactly one document, drop or error row."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from shared import schemas
from shared.shards import read_dataset
from stages.cli import run_stage
from tests.conftest import skip_or_fail
from tools.cc_crawl import CRAWL, INDEX_DIR, write_crawl

REPO = Path(__file__).resolve().parents[2]
PDFS = sorted(p for d in ("text", "scanned") for p in (REPO / "samples/pdfs" / d).glob("*.pdf"))
FAILING = ("500", "timeout", "drip", "loop", "huge", "html", "flaky", "gone")
# fast limits for the test server's failures; every refetch path is still taken
FETCH = dict(refetch_timeout_s=1.5, refetch_download_s=2.5, refetch_retries=1, refetch_backoff_s=0.05,
             refetch_host_rps=0, refetch_allow_private=True)  # the test server is on 127.0.0.1


class PdfServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.pdfs = {p.name: p.read_bytes() for p in PDFS}
        self.requests: Counter = Counter()
        self.user_agents: set[str] = set()
        self.lock = threading.Lock()
        self.hold: set[str] = set()  # paths that hang (the resume test kills the run there)
        self.stop_drip = threading.Event()


class Handler(BaseHTTPRequestHandler):
    server: PdfServer

    def log_message(self, *args):  # quiet
        pass

    def _send(self, status: int, body: bytes = b"", mime: str = "application/pdf", **headers):
        self.send_response(status)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", headers.pop("length", str(len(body))))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - http.server's name
        s = self.server
        with s.lock:
            s.requests[self.path] += 1
            count = s.requests[self.path]
            s.user_agents.add(self.headers.get("User-Agent", ""))
        while self.path in s.hold:
            time.sleep(0.05)
        kind = self.path.rsplit("/", 1)[-1].removesuffix(".pdf")
        if self.path.startswith("/pdf/") and kind + ".pdf" in s.pdfs:
            return self._send(200, s.pdfs[kind + ".pdf"])
        donor = s.pdfs[PDFS[0].name]
        if kind == "500":
            return self._send(500, b"oops", "text/plain")
        if kind == "timeout":
            time.sleep(4)  # longer than the client's timeout: it gives up first
            return None
        if kind == "drip":  # each byte well within the read timeout, the whole far over the download cap
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                for _ in range(60):
                    self.wfile.write(b"%")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
            return None
        if kind == "loop":
            return self._send(302, b"", "text/plain", Location=self.path)
        if kind == "huge":
            return self._send(200, donor[:100], length=str(2 * 1024**3))
        if kind == "html":
            return self._send(200, b"<html><body>moved</body></html>", "text/html")
        if kind == "flaky":
            return self._send(503, b"busy", "text/plain") if count == 1 else self._send(200, donor)
        return self._send(404, b"not found", "text/plain")


@pytest.fixture(scope="module")
def server():
    srv = PdfServer()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()


@pytest.fixture(scope="module")
def crawl(server, tmp_path_factory):
    root = tmp_path_factory.mktemp("cc") / "crawl"
    written = write_crawl(root, PDFS, f"http://127.0.0.1:{server.server_port}", failing=FAILING)
    return root, written


def selected(written) -> list:
    return [w for w in written if w.kind != "filler"]


def ingest(input: str, output: Path | str, tasks: int, data_base: str, **more) -> int:
    return run_stage("ingest", input=input, output=str(output), tasks=tasks, cc_data_base=data_base, **FETCH, **more)


def outcomes_of(out: Path | str, data_base: str) -> dict:
    """Every row of the ingest output, drops and errors, keyed by URL; the WARC path relative to its base."""
    rows = {}
    for row in read_dataset(str(out)).to_pylist():
        rows[row[schemas.URL]] = ("out", row[schemas.SHA256], row[schemas.IS_TRUNCATED], row[schemas.SOURCE_KIND],
                                  row[schemas.FILE_PATH].removeprefix(data_base.rstrip("/")), row[schemas.OFFSET],
                                  row[schemas.DATE], row[schemas.DUMP])
    for kind, column in (("drops", schemas.DROP_REASON), ("errors", schemas.ERROR_CLASS)):
        for row in read_dataset(f"{out}/{kind}").to_pylist():
            assert row[schemas.SOURCE] not in rows, f"{row[schemas.SOURCE]} accounted twice"
            rows[row[schemas.SOURCE]] = (kind, row[column], row.get(schemas.ERROR_MESSAGE) or "")
    return rows


def ledger_total(out) -> dict:
    totals = Counter()
    for path in Path(out, "ledger").glob("*.json"):
        data = json.loads(path.read_text())
        totals.update({k: data[k] for k in ("docs_in", "docs_out")})
        totals["dropped"] += sum(data["dropped"].values())
        totals["failed"] += sum(data["failed"].values())
    return totals


def check_every_capture(rows: dict, written, server: PdfServer, out) -> None:
    want = selected(written)
    assert sorted(rows) == sorted(w.url for w in want)
    totals = ledger_total(out)
    assert totals["docs_in"] == len(want) == totals["docs_out"] + totals["dropped"] + totals["failed"]
    seen = set()  # exact duplicates: the first copy in index order stays
    for w in want:
        row = rows[w.url]
        full = server.pdfs[Path(w.pdf).name] if w.pdf else server.pdfs[PDFS[0].name]
        sha = hashlib.sha256(full).hexdigest()
        if w.kind in ("pdf", "truncated_pdf") or w.url.endswith("/flaky.pdf"):
            if sha in seen:
                assert row[:2] == ("drops", "duplicate_pdf_bytes"), (w.url, row)
                continue
            seen.add(sha)
        if w.kind == "pdf":
            assert row[:4] == ("out", sha, False, "warc"), (w.url, row)
        elif w.kind == "truncated_pdf":  # fetched again, whole
            assert row[:4] == ("out", sha, True, "refetch"), (w.url, row)
        elif w.kind == "html_named_pdf":
            assert row[:2] == ("drops", "capture_not_pdf")
    by_kind = {w.url.rsplit("/", 1)[-1].removesuffix(".pdf"): rows[w.url] for w in want if w.kind == "failing"}
    assert by_kind["500"][:2] == ("errors", "FetchFailed") and "HTTP 500 (after 2 attempts)" in by_kind["500"][2]
    assert by_kind["gone"][:2] == ("errors", "FetchFailed") and by_kind["gone"][2] == "HTTP 404"
    assert by_kind["timeout"][:2] == ("errors", "FetchFailed") and "Timeout" in by_kind["timeout"][2]
    assert by_kind["drip"][:2] == ("errors", "FetchFailed") and "longer than 2.5 s" in by_kind["drip"][2]
    assert by_kind["loop"][:2] == ("errors", "FetchFailed") and "TooManyRedirects" in by_kind["loop"][2]
    assert by_kind["huge"][:2] == ("errors", "PdfTooLarge") and "Content-Length 2147483648" in by_kind["huge"][2]
    assert by_kind["html"][:2] == ("drops", "capture_not_pdf")
    assert by_kind["flaky"][0] in ("out", "drops")  # fetched on its second try (checked above)
    assert all(ua.startswith("finepdfs-stages/") for ua in server.user_agents)


@pytest.fixture(scope="module")
def local_run(crawl, server, tmp_path_factory):
    root, written = crawl
    out = tmp_path_factory.mktemp("local") / "ingest"
    assert ingest(str(root / INDEX_DIR), out, 1, str(root)) == 0
    server.first_run_requests = Counter(server.requests)
    return out


def test_every_capture_ends_once_and_four_tasks_give_the_same_rows(crawl, server, local_run, tmp_path):
    root, written = crawl
    rows = outcomes_of(local_run, str(root))
    check_every_capture(rows, written, server, local_run)
    # the (truncated) capture a flaky server answered 503 first was retried; a 404 was not
    first_run = server.first_run_requests
    assert first_run["/fail/gone.pdf"] == 1 and first_run["/fail/500.pdf"] == 2 and first_run["/fail/flaky.pdf"] == 2

    assert ingest(str(root / INDEX_DIR), tmp_path / "four", 4, str(root)) == 0
    assert outcomes_of(tmp_path / "four", str(root)) == rows
    # the split is by index rows: the four shards hold the captures in index order
    import pyarrow.parquet as pq

    order = [url for i in range(4)
             for url in pq.read_table(tmp_path / "four" / f"{i:05d}.parquet", columns=[schemas.URL])[0].to_pylist()]
    assert order == [w.url for w in selected(written) if rows[w.url][0] == "out"]


def test_ranged_reads_read_the_pdf_records_only(crawl, local_run):
    root, written = crawl
    stats = json.loads(Path(local_run, "_hashes", "_logs", "stats.json").read_text())
    reader = next(s for s in stats if s["name"].endswith("Common Crawl captures"))
    ranged = sum(w.length for w in written if w.kind in ("pdf", "html_named_pdf"))
    assert reader["stats"]["range_bytes_read"]["total"] == ranged
    assert ranged < sum(p.stat().st_size for p in root.rglob("*.warc.gz"))


def test_an_index_without_the_truncation_column_is_judged_by_the_records(crawl, server, local_run, tmp_path):
    root, written = crawl
    old = tmp_path / "old-crawl"
    write_crawl(old, PDFS, f"http://127.0.0.1:{server.server_port}", failing=FAILING, truncated_column=False)
    assert ingest(str(old / INDEX_DIR), tmp_path / "out", 2, str(old)) == 0

    def without_offsets(rows):  # the two crawls' WARC record ids differ, so may their gzip members' offsets
        return {url: row[:5] + row[6:] if row[0] == "out" else row for url, row in rows.items()}

    assert without_offsets(outcomes_of(tmp_path / "out", str(old))) == without_offsets(outcomes_of(local_run, str(root)))


def test_a_snapshot_name_that_is_not_one_is_a_usage_error(tmp_path):
    assert run_stage("ingest", input="cc-index://2024-10", output=str(tmp_path / "out")) == 2
    assert run_stage("ingest", input=f"cc-index://{CRAWL}", output=str(tmp_path / "out"),
                     cc_index_base=str(tmp_path / "nowhere")) == 2


# --- WARC files over HTTP -----------------------------------------------------------------------------------
class WarcFiles(BaseHTTPRequestHandler):
    """The crawl's files over HTTP, byte ranges honoured (``Range: bytes=a-b`` -> 206) unless ``ranges`` is off."""

    root: Path
    ranges = True

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 - http.server's name
        path = self.root / self.path.lstrip("/")
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        wanted = self.headers.get("Range", "")
        status = 200
        if self.ranges and wanted.startswith("bytes="):
            first, _, last = wanted[6:].partition("-")
            data = data[int(first): int(last) + 1 if last else None]
            status = 206
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.mark.parametrize("ranges", [True, False], ids=["ranges", "server-ignores-ranges"])
def test_warc_files_over_http(crawl, local_run, tmp_path, ranges):
    root, written = crawl
    handler = type("Handler", (WarcFiles,), {"root": root, "ranges": ranges})
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{srv.server_port}/"
        assert ingest(str(root / INDEX_DIR), tmp_path / "out", 2, base) == 0
    finally:
        srv.shutdown()
    rows, local = outcomes_of(tmp_path / "out", base), outcomes_of(local_run, str(root))
    if ranges:
        assert rows == local
    else:  # each range came back as the whole file: an error row each, never the file's first record
        read = [w for w in selected(written) if w.kind in ("pdf", "html_named_pdf")]
        assert {w.url: rows[w.url][:2] for w in read} == {w.url: ("errors", "UnreadableArchive") for w in read}
        assert all("ignored the byte range" in rows[w.url][2] for w in read), [rows[w.url] for w in read]
        # the truncated captures are fetched again all the same (a refetched copy of a PDF whose record failed is
        # no longer a duplicate: flaky's PDF is the first capture's, so only the other failing ones compare)
        assert all(rows[w.url] == local[w.url] for w in selected(written)
                   if w.kind == "failing" and not w.url.endswith("/flaky.pdf"))


# --- S3 (moto) --------------------------------------------------------------------------------------------
S3_PORT = os.environ.get("FINEPDFS_S3_PORT", "5317")
S3_ENDPOINT = f"http://127.0.0.1:{S3_PORT}"


@pytest.fixture(scope="module")
def s3():
    started = subprocess.run(["bash", str(REPO / "scripts/services.d/s3.sh"), "start"], capture_output=True, text=True,
                             timeout=600, env={**os.environ, "FINEPDFS_S3_PORT": S3_PORT,
                                               "FINEPDFS_VENV": str(Path(sys.executable).parents[1])})
    if started.returncode != 0:
        skip_or_fail(f"no local S3 server (moto) could be started: {started.stderr.strip()[-400:]}")
    import fsspec.config
    import s3fs

    options = {"key": "testing", "secret": "testing", "client_kwargs": {"endpoint_url": S3_ENDPOINT}}
    saved = fsspec.config.conf.get("s3")
    fsspec.config.conf["s3"] = options  # every s3:// URI of the stage goes to moto
    yield s3fs.S3FileSystem(**options)
    if saved is None:
        fsspec.config.conf.pop("s3", None)
    else:
        fsspec.config.conf["s3"] = saved


def test_on_s3_every_capture_ends_once_with_the_local_rows(crawl, server, local_run, s3):
    root, written = crawl
    bucket = f"cc-{uuid.uuid4().hex[:12]}"
    s3.mkdir(bucket)
    s3.put(str(root) + "/", f"{bucket}/", recursive=True)
    local = outcomes_of(local_run, str(root))
    for tasks, source in ((1, f"cc-index://{CRAWL}"), (4, f"s3://{bucket}/{INDEX_DIR}")):
        out = f"s3://{bucket}/out-{tasks}"
        assert ingest(source, out, tasks, f"s3://{bucket}/", cc_index_base=f"s3://{bucket}/{INDEX_DIR}") == 0
        s3.get(out[5:], str(root.parent / f"s3-out-{tasks}"), recursive=True)
        assert outcomes_of(root.parent / f"s3-out-{tasks}", f"s3://{bucket}/") == local


# --- resume -----------------------------------------------------------------------------------------------
def test_a_refetch_killed_midway_resumes_without_fetching_a_complete_shard_again(crawl, server, local_run, tmp_path):
    root, written = crawl
    want = selected(written)
    half = len([w for w in written]) // 2  # two tasks: the index rows split in two
    rows_in_first = {w.url for w in written[:half]}
    truncated = [w for w in want if w.kind == "truncated_pdf"]
    first = [w for w in truncated if w.url in rows_in_first]
    second = [w for w in truncated if w.url not in rows_in_first]
    assert first and second
    held = "/" + second[-1].url.split("/", 3)[3]
    server.hold.add(held)
    out = tmp_path / "ingest"
    args = [sys.executable, "-m", "stages.cli", "ingest", "--input", str(root / INDEX_DIR), "--output", str(out),
            "--tasks", "2", "--workers", "1", "--cc-data-base", str(root)]
    patient = {**FETCH, "refetch_timeout_s": 60, "refetch_download_s": 120}  # the held request hangs until killed
    args += [f"--{k.replace('_', '-')}" if v is True else f"--{k.replace('_', '-')}={v}" for k, v in patient.items()]
    before = Counter(server.requests)
    proc = subprocess.Popen(args, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while server.requests[held] == before[held] and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert server.requests[held] > before[held], proc.stderr.read().decode()[-3000:] if proc.poll() else ""
        assert (out / "_hashes" / "ledger" / "00000.json").is_file()  # shard 0 complete, shard 1 fetching
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the run this test started, by its process group
        proc.wait()
        server.hold.discard(held)
    assert not (out / "_hashes" / "ledger" / "00001.json").exists()
    middle = Counter(server.requests)
    # resumed with other network settings: how it fetches is not what it reads (the manifest leaves them out)
    assert ingest(str(root / INDEX_DIR), out, 2, str(root), workers=1) == 0
    assert all(server.requests["/pdf/" + Path(w.pdf).name] == middle["/pdf/" + Path(w.pdf).name] for w in first)
    assert all(server.requests["/pdf/" + Path(w.pdf).name] > middle["/pdf/" + Path(w.pdf).name] for w in second)
    assert outcomes_of(out, str(root)) == outcomes_of(local_run, str(root))


# --- politeness ---------------------------------------------------------------------------------------------
def test_the_host_pacer_gives_each_host_its_own_slots():
    from stages.ingest.refetch import HostPacer

    now = [100.0]
    pacer = HostPacer(rps=2.0, clock=lambda: now[0])
    assert [pacer.reserve("a.example") for _ in range(3)] == [0.0, 0.5, 1.0]
    assert pacer.reserve("b.example") == 0.0  # another host is not slowed by the first
    now[0] += 5.0
    assert pacer.reserve("a.example") == 0.0  # idle time is not saved up as a burst
    assert HostPacer(rps=0).reserve("a.example") == 0.0  # 0: no limit


def test_a_url_that_resolves_to_this_machine_is_not_fetched_by_default(server):
    from shared import outcomes
    from stages.ingest.refetch import Fetcher, FetchSettings

    settings = FetchSettings(refetch_workers=2, refetch_retries=2, refetch_backoff_s=0.01, refetch_timeout_s=2,
                             refetch_download_s=5, refetch_host_rps=0, user_agent="finepdfs-stages/test",
                             max_pdf_bytes=1 << 20)
    url = f"http://127.0.0.1:{server.server_port}/pdf/{PDFS[0].name}"
    before = server.requests[f"/pdf/{PDFS[0].name}"]
    refused, = Fetcher(settings).fetch_all([url])
    assert refused.error_class == outcomes.FETCH_FAILED and "not a public address" in refused.message
    assert server.requests[f"/pdf/{PDFS[0].name}"] == before and refused.attempts == 1  # never sent, not retried
    from dataclasses import replace

    fetched, = Fetcher(replace(settings, refetch_allow_private=True)).fetch_all([url])
    assert fetched.outcome == "pdf" and fetched.data == server.pdfs[PDFS[0].name]
