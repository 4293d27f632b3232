"""`python -m tools.eval_quality` (`just eval-quality`): fetch the pages, run every system, score, report.

Each system runs in its own child process (its imports and models do not leak into the others: importing
pymupdf4llm switches PyMuPDF's layout model on process-wide) and is timed there: CPU seconds of the
conversions only (all threads of the process), start-up (imports, model loading) reported apart.
Writes OUT/report.md, OUT/report.json (every number, every failed check) and OUT/<system>/<page>.md.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import platform
import time
from pathlib import Path

from tools.eval_quality.fetch import REPO_ROOT, cache_dir, page_pdfs, read_manifest
from tools.eval_quality.labels import CHECKS
from tools.eval_quality.score import load_checks, run_checks, summarize, summarize_by
from tools.eval_quality.systems import DEFAULT_SYSTEMS, SYSTEMS

DEFAULT_OUT = REPO_ROOT / "build" / "eval-quality"
TYPES = ("present", "absent", "order", "table", "baseline")


def _run_system(name: str, pdfs: list[tuple[str, str]], out: str) -> dict:
    """In the child: build the system, convert every page PDF, write its text, time it."""
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    pages_of = SYSTEMS[name]()
    setup_cpu = time.process_time() - start_cpu
    folder = Path(out) / name
    folder.mkdir(parents=True, exist_ok=True)
    cpu = wall = 0.0
    pages = 0
    errors = {}
    for page_id, path in pdfs:
        data = Path(path).read_bytes()
        t_cpu, t_wall = time.process_time(), time.perf_counter()
        try:
            texts = pages_of(data)
        except Exception as error:  # noqa: BLE001 - a page a system cannot convert is its failure, not ours
            texts = None
            errors[page_id] = f"{type(error).__name__}: {error}"[:300]
        cpu += time.process_time() - t_cpu
        wall += time.perf_counter() - t_wall
        pages += 1
        if texts is not None:
            (folder / f"{page_id}.md").write_text("\n\n".join(texts))
    return {"system": name, "extractor": getattr(pages_of, "extractor", name), "pages": pages, "cpu_s": cpu,
            "wall_s": wall, "setup_cpu_s": setup_cpu, "total_wall_s": time.perf_counter() - start_wall,
            "errors": errors}


def run(systems: list[str], out: Path, only: str | None = None, log=print) -> dict:
    sources = read_manifest()
    if only:
        sources = [s for s in sources if only in s.page_id]
    pages = page_pdfs(sources, log=log)
    if not pages:
        raise SystemExit("eval-quality: no page could be fetched (no corpus folder, no Debian archive?)")
    checks = [c for c in load_checks(CHECKS) if c.pdf[: -len(".pdf")] in pages]
    pdfs = [(pid, str(path)) for pid, path in sorted(pages.items())]
    source_of = {f"{s.page_id}.pdf": (s.package or "corpus") for s in sources}
    kind_of = {f"{s.page_id}.pdf": s.kind for s in sources}
    # batch 1 was labelled while the text path was being written; batch 2 after it (not used to tune it)
    batch_of = {f"{s.page_id}.pdf": "batch 2" if "batch2" in s.features.split() else "batch 1" for s in sources}
    out.mkdir(parents=True, exist_ok=True)
    context = multiprocessing.get_context("spawn")
    report = {"pages": len(pdfs), "checks": len(checks), "cache": str(cache_dir()),
              "machine": platform.platform(), "systems": {}}
    skipped = len(read_manifest()) - len(pdfs) if not only else 0
    if skipped:
        report["skipped_pages"] = skipped
    for name in systems:
        log(f"eval-quality: {name} on {len(pdfs)} pages ...")
        with context.Pool(1) as pool:
            timing = pool.apply(_run_system, (name, pdfs, str(out)))
        texts = {f"{pid}.pdf": (out / name / f"{pid}.md").read_text()
                 for pid, _ in pdfs if (out / name / f"{pid}.md").is_file()}
        results = run_checks(checks, texts)
        summary = summarize(results)
        report["systems"][name] = {
            **summary, **timing,
            "pages_per_cpu_s": timing["pages"] / timing["cpu_s"] if timing["cpu_s"] else None,
            "by_source": summarize_by(results, source_of),
            "by_kind": summarize_by(results, kind_of),
            "by_batch": summarize_by(results, batch_of),
            "failed": [r for r in results if not r["passed"]],
        }
        log(f"eval-quality: {name}: {summary['overall']:.3f} of {summary['checks']} checks, "
            f"{report['systems'][name]['pages_per_cpu_s'] or 0:.1f} pages per CPU second")
    (out / "report.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    (out / "report.md").write_text(render_markdown(report, sources, pages))
    return report


def render_markdown(report: dict, sources, pages: dict) -> str:
    systems = report["systems"]
    names = list(systems)
    counts = next(iter(systems.values()))["count_by_type"] if systems else {}
    lines = [
        "# Text quality on real born-digital pages (olmOCR-bench checks)", "",
        f"{report['pages']} pages, {report['checks']} checks (non-math). Pass rate per check type; "
        "pages per CPU second of the conversions (start-up apart).", "",
        "| check type | n | " + " | ".join(names) + " |",
        "|---|---:|" + "---:|" * len(names),
    ]
    for t in TYPES:
        if t in counts:
            lines.append(f"| {t} | {counts[t]} | " + " | ".join(f"{systems[n]['by_type'].get(t, 0):.3f}"
                                                              for n in names) + " |")
    lines.append(f"| **overall** | {report['checks']} | " + " | ".join(f"**{systems[n]['overall']:.3f}**"
                                                                      for n in names) + " |")
    lines.append("| mean over types | | " + " | ".join(f"{systems[n]['mean_over_types']:.3f}" for n in names) + " |")
    lines.append("| pages per CPU second | | " + " | ".join(f"{systems[n]['pages_per_cpu_s'] or 0:.1f}"
                                                            for n in names) + " |")
    lines.append("| start-up CPU s | | " + " | ".join(f"{systems[n]['setup_cpu_s']:.1f}" for n in names) + " |")
    lines.append("| pages that failed to convert | | " + " | ".join(str(len(systems[n]["errors"]))
                                                                     for n in names) + " |")
    groups = sorted({g for n in names for g in systems[n]["by_source"]})
    lines += ["", "## Overall pass rate by source", "", "| source | pages | " + " | ".join(names) + " |",
              "|---|---:|" + "---:|" * len(names)]
    page_count: dict[str, int] = {}
    for s in sources:
        if s.page_id in pages:
            page_count[s.package or "corpus"] = page_count.get(s.package or "corpus", 0) + 1
    for g in groups:
        lines.append(f"| {g} | {page_count.get(g, 0)} | " + " | ".join(
            f"{systems[n]['by_source'].get(g, 0):.3f}" for n in names) + " |")
    lines += ["", "## Overall pass rate by labelling batch", "",
              "Batch 1 was labelled while our text path was being written, batch 2 after it (not used to tune).", "",
              "| batch | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for b in sorted({b for n in names for b in systems[n]["by_batch"]}):
        lines.append(f"| {b} | " + " | ".join(f"{systems[n]['by_batch'].get(b, 0):.3f}" for n in names) + " |")
    lines += ["", "Systems: " + "; ".join(f"`{n}` = {systems[n]['extractor']}" for n in names), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.eval_quality", description=__doc__.split("\n\n")[0])
    parser.add_argument("--systems", default=",".join(DEFAULT_SYSTEMS),
                        help=f"comma-separated, of: {', '.join(SYSTEMS)} (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="report folder (default: %(default)s)")
    parser.add_argument("--only", help="only pages whose id contains this")
    args = parser.parse_args(argv)
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = [s for s in systems if s not in SYSTEMS]
    if unknown:
        parser.error(f"unknown systems {unknown}; known: {', '.join(SYSTEMS)}")
    run(systems, args.out, args.only)
    print((args.out / "report.md").read_text())
    return 0
