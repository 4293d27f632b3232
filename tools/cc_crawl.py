"""A small Common Crawl snapshot made from real PDFs: WARC files and the matching columnar index, laid out as
Common Crawl lays them out, for ingest's tests and `just bench` (not shipped in any image).

    python -m tools.cc_crawl OUT [--pdfs samples/pdfs] [--filler-per-pdf 3] [--truncate-every 3]
                             [--url-base http://127.0.0.1:8000] [--no-truncated-column]

writes ``OUT/crawl-data/CRAWL/segments/.../warc/*.warc.gz`` (one gzip member per record, warcio) and
``OUT/cc-index/table/cc-main/warc/crawl=CRAWL/subset=warc/part-*.parquet`` (the index's columns, several
files and small row groups so that a split by rows crosses both). Captures:

- every PDF (sorted by path) as a response record; every ``truncate_every``-th one cut to its first third with
  ``WARC-Truncated: length`` and ``content_truncated = "length"`` in the index (as Common Crawl's 1 MiB limit
  does), its URL ``URL_BASE/pdf/<name>`` (a server that serves the whole PDF there makes the refetch work);
- ``failing`` truncated captures whose URLs are ``URL_BASE/fail/<kind>`` (a test server fails them);
- one capture whose URL ends in .pdf but whose payload is an HTML page (the index selects it, its bytes are not
  a PDF) and ``filler_per_pdf`` HTML captures per PDF that the index does not select.

``--no-truncated-column`` writes an index without ``content_truncated`` (crawls before CC-MAIN-2019-47): the
truncation is then only in the WARC records. ``write_crawl`` returns what was written: every capture with its
expected kind, so that tests can account for each.
"""

from __future__ import annotations

import argparse
import io
import json
import random
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

CRAWL = "CC-MAIN-2024-10"
INDEX_DIR = "cc-index/table/cc-main/warc"
WORDS = ("harbour lighthouse ledger bakery bicycle river archive minutes letter library council meeting report "
         "weather orchard engine granite vessel cargo timber market").split()


@dataclass
class Written:
    url: str
    kind: str  # pdf, truncated_pdf, failing, html_named_pdf, filler
    warc: str
    offset: int
    length: int
    pdf: str | None = None  # the PDF file it came from
    mime: str = "application/pdf"


def _vocabulary(rng: random.Random, n: int = 4000) -> list[str]:
    """Made-up words: pages built from them compress about as web pages do (a few times), not 100x."""
    letters = "etaoinshrdlcumwfgypbvkjxqz"
    weights = [26 - i for i in range(26)]
    return WORDS + ["".join(rng.choices(letters, weights, k=rng.randint(2, 10))) for _ in range(n)]


def _html(rng: random.Random, size: int, vocabulary: list[str]) -> bytes:
    words = " ".join(rng.choice(vocabulary) for _ in range(size // 7))
    return f"<!doctype html><html><head><title>page</title></head><body><p>{words}</p></body></html>".encode()


def _response(writer, url: str, body: bytes, mime: str, date: str, truncated: bool) -> None:
    from warcio.statusandheaders import StatusAndHeaders

    http = StatusAndHeaders("200 OK", [("Content-Type", mime), ("Content-Length", str(len(body)))],
                            protocol="HTTP/1.1")
    headers = {"WARC-Date": date}
    if truncated:
        headers["WARC-Truncated"] = "length"
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                       warc_headers_dict=headers)
    writer.write_record(record)


def write_crawl(out: Path, pdfs: list[Path], url_base: str = "http://127.0.0.1:8000", filler_per_pdf: int = 3,
                truncate_every: int = 3, failing: tuple[str, ...] = (), truncated_column: bool = True,
                warc_files: int = 2, index_files: int = 2, rows_per_group: int = 4, filler_bytes: int = 4000,
                seed: int = 7, crawl: str = CRAWL) -> list[Written]:
    """Write the WARC files and the index under ``out``; every capture written, in index order."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from warcio.warcwriter import WARCWriter

    rng = random.Random(seed)
    vocabulary = _vocabulary(rng)
    url_base = url_base.rstrip("/")
    plan: list[tuple[str, str, bytes, str, bool, str | None]] = []  # kind, url, body, mime, truncated, pdf
    for n, path in enumerate(sorted(pdfs)):
        data = path.read_bytes()
        cut = truncate_every and n % truncate_every == truncate_every - 1
        body = data[: max(1, len(data) // 3)] if cut else data
        plan.append(("truncated_pdf" if cut else "pdf", f"{url_base}/pdf/{path.name}", body, "application/pdf",
                     bool(cut), str(path)))
        for f in range(filler_per_pdf):
            plan.append(("filler", f"{url_base}/page/{n}-{f}.html", _html(rng, filler_bytes, vocabulary), "text/html", False,
                         None))
        if n == 1:  # a .pdf URL that served an HTML page (a soft 404): selected by the index, not a PDF
            plan.append(("html_named_pdf", f"{url_base}/missing/report.pdf", _html(rng, 600, vocabulary), "text/html", False,
                         None))
    donor = sorted(pdfs)[0].read_bytes()
    for kind in failing:
        plan.append(("failing", f"{url_base}/fail/{kind}.pdf", donor[: len(donor) // 3], "application/pdf", True,
                     None))

    start = datetime(2024, 2, 20, 12, 0, 0, tzinfo=UTC)
    segment = "1707947474699.42"
    names = [f"crawl-data/{crawl}/segments/{segment}/warc/{crawl}-20240220120000-{i:05d}.warc.gz"
             for i in range(warc_files)]
    per_warc = -(-len(plan) // warc_files)
    written: list[Written] = []
    rows: list[dict] = []
    for w, name in enumerate(names):
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as f:
            writer = WARCWriter(f, gzip=True)
            for i, (kind, url, body, mime, truncated, pdf) in enumerate(plan[w * per_warc:(w + 1) * per_warc]):
                when = start + timedelta(seconds=w * per_warc + i)
                offset = f.tell()
                _response(writer, url, body, mime, when.strftime("%Y-%m-%dT%H:%M:%SZ"), truncated)
                length = f.tell() - offset
                written.append(Written(url, kind, name, offset, length, pdf, mime))
                row = {"url": url, "url_host_name": url.split("/")[2].split(":")[0], "fetch_time": when,
                       "fetch_status": 200, "content_mime_type": mime,
                       "content_mime_detected": "application/pdf" if mime == "application/pdf" else "text/html",
                       "warc_filename": name, "warc_record_offset": offset, "warc_record_length": length,
                       "warc_segment": segment, "crawl": crawl, "subset": "warc"}
                if truncated_column:
                    row["content_truncated"] = "length" if truncated else None
                rows.append(row)
    schema = pa.schema([("url", pa.string()), ("url_host_name", pa.string()),
                        ("fetch_time", pa.timestamp("us", tz="UTC")), ("fetch_status", pa.int16()),
                        ("content_mime_type", pa.string()), ("content_mime_detected", pa.string()),
                        *([("content_truncated", pa.string())] if truncated_column else []),
                        ("warc_filename", pa.string()), ("warc_record_offset", pa.int32()),
                        ("warc_record_length", pa.int32()), ("warc_segment", pa.string()), ("crawl", pa.string()),
                        ("subset", pa.string())])
    index = out / INDEX_DIR / f"crawl={crawl}" / "subset=warc"
    index.mkdir(parents=True, exist_ok=True)
    per_file = -(-len(rows) // index_files)
    for i in range(index_files):
        part = rows[i * per_file:(i + 1) * per_file]
        pq.write_table(pa.Table.from_pylist(part, schema=schema), index / f"part-{i:05d}.parquet",
                       row_group_size=rows_per_group)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--pdfs", default="samples/pdfs", help="a folder of PDFs (recursive)")
    parser.add_argument("--url-base", default="http://127.0.0.1:8000")
    parser.add_argument("--filler-per-pdf", type=int, default=3)
    parser.add_argument("--truncate-every", type=int, default=3)
    parser.add_argument("--no-truncated-column", action="store_true")
    args = parser.parse_args(argv)
    pdfs = sorted(p for p in Path(args.pdfs).rglob("*.pdf") if p.is_file())
    written = write_crawl(Path(args.out), pdfs, args.url_base, args.filler_per_pdf, args.truncate_every,
                          truncated_column=not args.no_truncated_column)
    print(json.dumps([asdict(w) for w in written], indent=1))


if __name__ == "__main__":
    main()
