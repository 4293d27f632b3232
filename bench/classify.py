"""Router speed on one core: features + prediction, against PyMuPDF merely reading the same pages' text.

    python -m bench.classify PATH [PATH ...] [--label text] [--repeat 5]

PATH is a PDF, a folder (recursive) or a manifest CSV (``file,label``; ``--label`` keeps one label). Both
passes run in this one process, pinned to one CPU, over PDFs already in memory, alternating baseline and
router ``repeat`` times after a warm-up pass of each (MuPDF caches fonts on first use); the median pass
counts. Wall-clock rates depend on what else runs on the machine; CPU-time rates (``*_per_cpu_s``) are what
one core delivers to this process.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import time
from pathlib import Path


def collect(paths: list[str], label: str | None = None) -> list[Path]:
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.suffix.lower() == ".csv":
            with path.open(newline="") as f:
                found += [
                    path.parent / r["file"] for r in csv.DictReader(f) if not label or r["label"] == label
                ]
        elif path.is_dir():
            found += sorted(path.rglob("*.pdf"))
        else:
            found.append(path)
    return found


def _baseline_pass(pdfs: list[bytes], keys: list[str], sample_pages: int, seed: int) -> None:
    import pymupdf

    from stages.classify.features import sample_page_indexes

    for data, key in zip(pdfs, keys, strict=True):
        try:
            with pymupdf.open(stream=data, filetype="pdf") as doc:
                if doc.needs_pass:
                    continue
                for index in sample_page_indexes(doc.page_count, sample_pages, seed, key):
                    doc.load_page(index).get_text()
        except Exception:  # noqa: BLE001 - the router turns these PDFs into error rows
            continue


def _router_pass(pdfs: list[bytes], keys: list[str], sample_pages: int, seed: int, model) -> None:
    from shared.outcomes import StageError
    from stages.classify.features import extract_features

    for data, key in zip(pdfs, keys, strict=True):
        try:
            feats = extract_features(data, key=key, sample_pages=sample_pages, seed=seed)
        except StageError:
            continue
        model.predict_one(feats.vector)


def bench(
    paths: list[Path], repeat: int = 5, sample_pages: int = 8, seed: int = 42, one_cpu: bool = True
) -> dict:
    """PDFs/s of the router (features + XGBoost) and of the baseline (open + text of the same pages)."""
    import pymupdf

    from stages.classify.features import document_key
    from stages.classify.model import RouterModel

    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    pdfs = [p.read_bytes() for p in paths]
    keys = [document_key(d) for d in pdfs]
    model = RouterModel()
    affinity = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    if one_cpu and affinity:
        os.sched_setaffinity(0, {min(affinity)})
    try:
        _baseline_pass(pdfs, keys, sample_pages, seed)
        _router_pass(pdfs, keys, sample_pages, seed, model)
        base_s, router_s, base_cpu, router_cpu = [], [], [], []
        for _ in range(repeat):
            t, c = time.perf_counter(), time.process_time()
            _baseline_pass(pdfs, keys, sample_pages, seed)
            base_s.append(time.perf_counter() - t)
            base_cpu.append(time.process_time() - c)
            t, c = time.perf_counter(), time.process_time()
            _router_pass(pdfs, keys, sample_pages, seed, model)
            router_s.append(time.perf_counter() - t)
            router_cpu.append(time.process_time() - c)
    finally:
        if one_cpu and affinity:
            os.sched_setaffinity(0, affinity)
    n = len(pdfs)
    base, router = statistics.median(base_s), statistics.median(router_s)
    cpu_base, cpu_router = statistics.median(base_cpu), statistics.median(router_cpu)
    return {
        "pdfs": n,
        "pages": sum(_pages(d) for d in pdfs),
        "repeat": repeat,
        "one_cpu": bool(one_cpu and affinity),
        "baseline_pdfs_per_s": round(n / base, 1),
        "router_pdfs_per_s": round(n / router, 1),
        "router_over_baseline_time": round(router / base, 2),
        # CPU time of this process: what one core delivers, whatever else shares the machine
        "baseline_pdfs_per_cpu_s": round(n / cpu_base, 1),
        "router_pdfs_per_cpu_s": round(n / cpu_router, 1),
        "router_cpu_ms_per_pdf": round(1000 * cpu_router / n, 2),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def _pages(data: bytes) -> int:
    import pymupdf

    try:
        with pymupdf.open(stream=data, filetype="pdf") as doc:
            return doc.page_count
    except Exception:  # noqa: BLE001
        return 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--label", default=None, help="with a manifest: keep this label only (e.g. text)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sample-pages", type=int, default=8)
    args = parser.parse_args(argv)
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        raise SystemExit(f"bench: not found: {', '.join(missing)}")
    paths = collect(args.paths, args.label)
    if not paths:
        raise SystemExit("bench: no PDFs found")
    print(json.dumps(bench(paths, args.repeat, args.sample_pages), indent=1))


if __name__ == "__main__":
    main()
