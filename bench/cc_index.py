"""Common Crawl input: ranged reads of the PDF captures (the index) against reading whole WARC files.

    .venv/bin/python -m bench.cc_index [--out bench-out/cc-index] [--filler-per-pdf 99] [--copies 4]

A crawl written by tools/cc_crawl.py from the bundled PDFs (text and scanned), where 1 record in
``filler_per_pdf + 1`` is a PDF (the rest HTML pages the index does not select), no truncated captures (no
network here). Both paths run ingest's own reader in this process, on local disk, warm (one pass first):

- ranged: ``CaptureReader`` over the index (Parquet footers and the columns it filters on, then one byte range
  per PDF capture);
- whole WARC: ``PdfSourceReader`` over the WARC files (every record decompressed and looked at).

Bytes read are the process's ``read_chars`` (psutil: every byte read from any file, the index included);
records/s are PDF records out per second of wall time, the best of ``repeats`` passes.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _pass(make_reader) -> tuple[int, int, float]:
    """(PDF documents out, bytes read by this process, wall seconds) of one pass of a reader."""
    import psutil

    from shared.ledger import is_live

    me = psutil.Process()
    reader = make_reader()
    before, started = me.io_counters().read_chars, time.perf_counter()
    pdfs = sum(1 for doc in reader.run(None, 0, 1) if is_live(doc))
    return pdfs, me.io_counters().read_chars - before, time.perf_counter() - started


def bench(work: Path, filler_per_pdf: int = 99, copies: int = 4, repeats: int = 3) -> dict:
    from shared.ledger import ShardLedger
    from stages.ingest.cc_index import CcIndexInputs
    from stages.ingest.steps import CaptureReader, IngestInputs, PdfSourceReader
    from tools.cc_crawl import INDEX_DIR, write_crawl

    shutil.rmtree(work, ignore_errors=True)
    pdf_dir = work / "pdfs"
    pdf_dir.mkdir(parents=True)
    samples = sorted(p for d in ("text", "scanned") for p in (REPO / "samples/pdfs" / d).glob("*.pdf"))
    for copy in range(copies):  # more PDFs (byte copies count as PDFs for both paths alike)
        for path in samples:
            (pdf_dir / f"{copy}-{path.name}").write_bytes(path.read_bytes() + f"\n% copy {copy}\n".encode())
    crawl = work / "crawl"
    written = write_crawl(crawl, sorted(pdf_dir.iterdir()), filler_per_pdf=filler_per_pdf, truncate_every=0,
                          warc_files=4, index_files=2, rows_per_group=1000, filler_bytes=40000)
    warc_bytes = sum(p.stat().st_size for p in crawl.rglob("*.warc.gz"))
    index_bytes = sum(p.stat().st_size for p in (crawl / INDEX_DIR).rglob("*.parquet"))
    cap = 256 * 2**20

    def ranged():
        return CaptureReader(CcIndexInputs(str(crawl / INDEX_DIR), "", str(crawl)), ShardLedger("bench", 0), cap, 64)

    def whole():
        return PdfSourceReader(IngestInputs(str(crawl / "crawl-data"), (".pdf",), (".warc", ".warc.gz")),
                               ShardLedger("bench", 0), cap)

    result = {"records": len(written), "pdf_records": sum(w.kind == "pdf" for w in written),
              "warc_bytes": warc_bytes, "index_bytes": index_bytes, "repeats": repeats}
    for name, make in (("ranged", ranged), ("whole_warc", whole)):
        _pass(make)  # warm: page cache, imports
        runs = [_pass(make) for _ in range(repeats)]
        pdfs, read, wall = min(runs, key=lambda r: r[2])
        result[name] = {"pdfs": pdfs, "bytes_read": read, "wall_s": round(wall, 4),
                        "pdf_records_per_s": round(pdfs / wall, 1) if wall else None}
    r, w = result["ranged"], result["whole_warc"]
    result["bytes_ratio"] = round(w["bytes_read"] / r["bytes_read"], 1) if r["bytes_read"] else None
    # what any reader of whole files must read at least: the WARC files' size
    result["warc_size_ratio"] = round(warc_bytes / r["bytes_read"], 1) if r["bytes_read"] else None
    result["speedup"] = round(w["wall_s"] / r["wall_s"], 1) if r["wall_s"] else None
    return result


def markdown(r: dict) -> list[str]:
    mb = 2**20
    lines = ["## Common Crawl input: ranged reads vs whole WARC files (bench/cc_index.py)", "",
             f"{r['records']} records in 4 WARC files ({r['warc_bytes'] / mb:.1f} MB, "
             f"{r['warc_bytes'] / r['records'] / 1024:.1f} KB per record), {r['pdf_records']} of them PDFs "
             f"(1 in {round(r['records'] / max(1, r['pdf_records']))}); index {r['index_bytes'] / 1024:.0f} KB. "
             f"Local disk, warm, best of {r['repeats']}.", "",
             "| path | PDFs out | bytes read | wall s | PDF records/s |", "|---|---:|---:|---:|---:|"]
    for name in ("ranged", "whole_warc"):
        s = r[name]
        lines.append(f"| {name.replace('_', ' ')} | {s['pdfs']} | {s['bytes_read']:,} | {s['wall_s']} | "
                     f"{s['pdf_records_per_s']} |")
    lines += ["", f"Ranged reads read {r['bytes_ratio']}x fewer bytes than ingest's whole-WARC reader and "
              f"{r['warc_size_ratio']}x fewer than the WARC files' size (the least any whole-file reader reads), "
              f"and are {r['speedup']}x faster. Bytes read: the process's read_chars (psutil), the index included.", ""]
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO / "bench-out" / "cc-index"))
    parser.add_argument("--filler-per-pdf", type=int, default=99)
    parser.add_argument("--copies", type=int, default=4)
    args = parser.parse_args(argv)
    result = bench(Path(args.out), args.filler_per_pdf, args.copies)
    Path(args.out, "cc-index.json").write_text(json.dumps(result, indent=1))
    print("\n".join(markdown(result)), file=sys.stdout)


if __name__ == "__main__":
    main()
