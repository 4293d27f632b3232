"""`just bench`: every stage on a fixed corpus, against baselines run in the same invocation, plus scaling.

    .venv/bin/python -m bench [--quick] [--out bench-out] [--docs N] [--skip ocr,dedup-bare,...]

Writes OUT/bench.json (every number) and OUT/bench.md (the tables), OUT/run-x1/stats/report.html (the run report
of the 1x pipeline run). This is a benchmark, not a test: nothing here asserts a speed.

Phases (each stage is a separate `python -m stages.cli <stage>` process, measured from outside):
  1. corpus: bundled samples + N generated PDFs (x1) and + 2N (x2), cached (bench/corpus.py)
  2. pipeline on x1, one worker: ingest, classify, extract-docling, ocr (CPU engine), filter, dedup, tokenize;
     per stage docs/s, pages/s, per CPU second, peak RSS per process role, start-up and shard overhead
  3. baselines: classify vs PyMuPDF reading the same pages (bench/classify.py) and FinePDFs' 14 PDFs/s;
     Docling vs pdftotext and PyMuPDF get_text on the same PDFs (speed, and text similarity to the truth);
     dedup vs datatrove's MinHash run bare (bench/dedup.py)
  4. scaling: classify and extract-docling with 1 and 2 workers; the docling chain on x1 and on x2
  5. OCR quality set (tools/ocr_quality): similarity and pages per CPU second per CPU engine and script on noisy
     scans of real PDFs, all engines in this run; skipped with a message while the set is not built
     (`just eval-ocr` builds it once); --quick: two pages per script
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.corpus import REPO, make_corpus, truth
from bench.measure import Measured, run_measured

FINEPDFS_PDFS_PER_S = 14.0  # FinePDFs' router on one thread (ANCHORS.md)
CLASSIFY_TARGET = 28.0  # PDFs/s/core: twice FinePDFs'
DOCLING_RSS_BUDGET_MB = 2048  # FinePDFs: under 2 GB per Docling worker
OVERHEAD_TARGET = 0.05


# --- running stages -----------------------------------------------------------------------------------------
def stage(name: str, args: list[str], log_dir: Path, env: dict | None = None) -> dict:
    """Run one stage as its own process; its measurements, its ledger and its datatrove timings."""
    from runfolder.report import stage_timing
    from shared.ledger import merge_ledgers, read_stage_ledgers

    output = Path(args[args.index("--output") + 1])
    if output.exists():
        shutil.rmtree(output)
    env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    log = log_dir / f"{output.parent.name}-{output.name}.log"
    measured = run_measured([sys.executable, "-m", "stages.cli", name, *args], env=env, cwd=str(REPO),
                            log_path=str(log))
    if measured.returncode != 0:
        raise RuntimeError(f"{name} failed ({measured.returncode}); log {log}:\n{measured.stderr_tail}")
    from shared import registry

    ledger = merge_ledgers(read_stage_ledgers(registry.get(name).ledger_folder(str(output))))
    timing = stage_timing(str(output)) or {}
    pages = _pages(output)
    return _stage_numbers(name, measured, ledger, timing, pages)


def _pages(output: Path) -> int | None:
    from runfolder.reader import read_columns
    from shared import schemas

    values = read_columns(str(output), [schemas.NUM_PAGES])[schemas.NUM_PAGES].to_pylist()
    return sum(v or 0 for v in values) if values else None


def _stage_numbers(name: str, m: Measured, ledger: dict, timing: dict, pages: int | None) -> dict:
    """Where a stage's time goes: process start-up (imports, models), then per task the shard overhead (our
    reader and writer: decoding, schema checks, writing, ledger, publishing), the stage's own steps (work), and
    the rest (datatrove's task set-up and stats, plumbing between the steps)."""
    docs = ledger["docs_in"]
    task_s = timing.get("task_s", 0.0)
    io_s = timing.get("shard_io_s", 0.0)
    work_s = sum(timing.get("steps_s", {}).values()) - io_s
    other_s = max(0.0, task_s - work_s - io_s)
    return {
        "stage": name,
        "docs": docs,
        "docs_out": ledger["docs_out"],
        "pages": pages,
        "tasks": timing.get("tasks"),
        "wall_s": round(m.wall_s, 2),
        "cpu_s": round(m.cpu_s, 2),
        "docs_per_s": _rate(docs, m.wall_s),
        "pages_per_s": _rate(pages, m.wall_s),
        "docs_per_cpu_s": _rate(docs, m.cpu_s),
        "pages_per_cpu_s": _rate(pages, m.cpu_s),
        "startup_s": round(max(0.0, m.wall_s - timing.get("wall_s", 0.0)), 2),
        "task_s": round(task_s, 2),
        "work_s": round(work_s, 2),
        "shard_io_s": round(io_s, 2),
        "other_task_s": round(other_s, 2),
        "overhead_frac": round(io_s / task_s, 4) if task_s else None,
        "max_rss_mb": round(m.max_rss_mb, 1),
        "peak_rss_mb_by_role": {k: round(v, 1) for k, v in m.peaks_by_role.items() if k != "gone"},
        "steps_s": {k: round(v, 2) for k, v in timing.get("steps_s", {}).items()},
    }


def _rate(n: float | None, seconds: float) -> float | None:
    return round(n / seconds, 2) if n and seconds > 0 else None


# Flags the bench gives a stage beyond the common ones: the CPU OCR engine it measures (a GPU one is not here).
BENCH_FLAGS = {"ocr": ["--engine", "cpu"]}  # the default CPU path; rapidocr and tesseract alone are baselines


def pipeline(corpus: Path, run_dir: Path, log_dir: Path, tasks: int, workers: int = 1, ocr: bool = True,
             only_docling: bool = False) -> dict[str, dict]:
    """The stages of `finepdfs run` (shared/registry.py, in order, stats apart), each measured with the same
    --tasks; ``only_docling`` skips OCR (the scaling chain)."""
    from shared import registry

    o = str(run_dir)
    results: dict[str, dict] = {}
    for s in registry.STAGES:
        if s.writes is None:  # stats: measured on its own (stats_memory)
            continue
        if s.name == "ocr" and (not ocr or only_docling or not results["classify"]["docs_out"]):
            continue
        inputs = ",".join(p for p in s.input_uris(o, str(corpus)).split(",") if Path(p).exists())
        results[s.name] = stage(s.name, ["--input", inputs, "--output", s.output_uri(o), "--tasks", str(tasks),
                                         "--workers", str(workers), *BENCH_FLAGS.get(s.name, [])], log_dir)
    return results


def _edu_counts(output: Path) -> dict:
    """The edu step's counters (documents scored, without weights) from the filter's datatrove stats."""
    counts: dict = {}
    for path in output.rglob("_logs/stats/*.json"):
        for step in json.loads(path.read_text()):
            if str(step.get("name", "")).endswith("Edu score"):
                for key, value in (step.get("stats") or {}).items():
                    counts[key] = counts.get(key, 0) + (value.get("total", 0) if isinstance(value, dict) else value)
    return counts


def edu_bench(run_dir: Path, work: Path, log_dir: Path, tasks: int) -> dict:
    """The filter's edu step in documents per CPU second: the filter with the classifier minus the filter without
    it, on the run's documents. A tiny random ModernBERT (tools/tiny_models.py: the plumbing, not the model's cost)
    and, where their weights are in the models folder, FinePDFs-Edu's real classifiers."""
    import re as _re

    from shared.config import models_dir, stage_settings
    from stages.filter.edu import model_folder, weights_present
    from tools.tiny_models import TINY_MARKER, make_tiny_edu_classifier

    inputs = ",".join(p for p in (f"{run_dir}/extract-docling", f"{run_dir}/ocr") if Path(p).exists())
    languages = sorted({p.name.removesuffix("_removed") for p in (run_dir / "filter").iterdir()
                        if _re.fullmatch(r"[a-z]{3}_[A-Z][a-z]{3}(_removed)?", p.name)})
    common = ["--input", inputs, "--tasks", str(tasks)]
    base = stage("filter", [*common, "--output", str(work / "filter-edu-off"), "--edu", "off"], log_dir)
    result: dict = {"languages": languages, "without": {"docs": base["docs"], "cpu_s": base["cpu_s"]}}
    pattern = stage_settings("filter")["edu_model"]

    def measure(label: str, root: Path, langs: list[str]) -> None:
        output = work / f"filter-edu-{label}"
        with_edu = stage("filter", [*common, "--output", str(output), "--edu", "required", "--edu-languages",
                                    ",".join(langs)], log_dir, env={"FINEPDFS_MODELS_DIR": str(root)})
        counts = _edu_counts(output)
        scored = counts.get("edu_scored", 0)
        extra_cpu = with_edu["cpu_s"] - base["cpu_s"]
        step_s = sum(v for k, v in with_edu["steps_s"].items() if k.endswith("Edu score"))
        result[label] = {"languages": langs, "docs_scored": scored, "cpu_s": with_edu["cpu_s"],
                         "edu_cpu_s": round(extra_cpu, 2), "edu_step_s": round(step_s, 2),
                         "docs_per_cpu_s": _rate(scored, extra_cpu), "docs_per_step_s": _rate(scored, step_s)}

    tiny_root = work / "tiny-models"
    for language in languages:
        make_tiny_edu_classifier(model_folder(tiny_root, pattern, language))
    measure("tiny", tiny_root, languages)
    real_root = models_dir()
    real = [lang for lang in languages if weights_present(model_folder(real_root, pattern, lang))
            and TINY_MARKER not in ((model_folder(real_root, pattern, lang) / "README.txt").read_text()
                                    if (model_folder(real_root, pattern, lang) / "README.txt").is_file() else "")]
    if real:
        measure("real", real_root, real)
    else:
        result["real"] = {"skipped": f"no real weights under {real_root} "
                                     f"(python -m scripts.models fetch --edu {','.join(languages)})"}
    return result


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def storage(run_dir: Path, corpus: Path) -> dict:
    """The run folder's size against the input's PDF bytes (plus one copy of the extracted text): PDF bytes are
    stored once (ingest), later datasets reference them."""
    from runfolder.reader import read_columns
    from shared import registry, schemas

    pdfs = [Path(root) / name for root, _, names in os.walk(corpus, followlinks=True)  # the corpus is symlinks
            for name in names if name.lower().endswith(".pdf")]
    input_bytes = sum(p.stat().st_size for p in pdfs)
    text_bytes = 0
    for s in registry.STAGES:
        if s.writes == "documents" and (run_dir / s.name).is_dir():
            texts = read_columns(str(run_dir / s.name), [schemas.TEXT])[schemas.TEXT].to_pylist()
            text_bytes += sum(len(t.encode()) for t in texts if t)
    by_stage = {s.name: folder_bytes(run_dir / s.name) for s in registry.STAGES if (run_dir / s.name).is_dir()}
    # the run's own folders and files (bench's baselines and scaling runs live beside them in run_dir: not counted)
    run_bytes = sum(by_stage.values()) + sum(p.stat().st_size for p in run_dir.iterdir() if p.is_file())
    run_bytes += sum(folder_bytes(run_dir / d) for d in ("_locks", "_logs") if (run_dir / d).is_dir())
    return {"input_pdf_bytes": input_bytes, "extracted_text_bytes": text_bytes, "run_folder_bytes": run_bytes,
            "by_stage_bytes": by_stage,
            "run_folder_vs_input": round(run_bytes / input_bytes, 3) if input_bytes else None,
            "run_folder_vs_input_plus_text": round(run_bytes / (input_bytes + text_bytes), 3) if input_bytes else None}


def stats_memory(run_dir: Path, work: Path, log_dir: Path, factors=(1, 4)) -> dict:
    """The stats stage on the final dataset and on copies of it k times as large: its peak RSS per factor (it
    streams the columns it needs, so memory should not grow with the corpus)."""
    from shared import registry
    from shared.ledger import LEDGER_DIR

    out = {}
    final = registry.STAGES[[s.name for s in registry.STAGES].index("stats")].inputs[0]
    for k in factors:
        folder = work / f"stats-x{k}"
        shutil.rmtree(folder, ignore_errors=True)
        shards = sorted((run_dir / final).glob("*/[0-9]*.parquet"))
        ledgers = sorted((run_dir / final).glob(f"{registry.BOOKKEEPING_DIR}/{LEDGER_DIR}/*.json"))
        for copy in range(k):
            for shard in shards:
                rank = int(shard.stem) + copy * 10000
                dest = folder / final / shard.parent.name / f"{rank:05d}.parquet"
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(shard, dest)
            for ledger in ledgers:  # a completed dataset: each copied shard with its ledger
                entry = json.loads(ledger.read_text())
                entry["rank"] += copy * 10000
                dest = folder / final / registry.BOOKKEEPING_DIR / LEDGER_DIR / f"{entry['rank']:05d}.json"
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_text(json.dumps(entry))
        result = stage("stats", ["--input", str(folder / final), "--output", str(folder / "stats")], log_dir)
        out[f"x{k}"] = {"docs": result["docs"], "max_rss_mb": result["max_rss_mb"], "wall_s": result["wall_s"],
                        "cpu_s": result["cpu_s"]}
    if len(factors) > 1:
        first, last = out[f"x{factors[0]}"], out[f"x{factors[-1]}"]
        out["rss_ratio"] = round(last["max_rss_mb"] / first["max_rss_mb"], 3) if first["max_rss_mb"] else None
    return out


def whole(results: dict[str, dict]) -> dict:
    """The whole pipeline: pages extracted (Docling + OCR) over the sum of the stages' wall and CPU time."""
    pages = sum(results[s]["pages"] or 0 for s in ("extract-docling", "ocr") if s in results)
    wall = sum(r["wall_s"] for r in results.values())
    cpu = sum(r["cpu_s"] for r in results.values())
    pdfs = results["ingest"]["docs"]
    return {"pdfs": pdfs, "pages": pages, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "pdfs_per_s": _rate(pdfs, wall), "pages_per_s": _rate(pages, wall), "pages_per_cpu_s": _rate(pages, cpu),
            "cpu_s_per_million_pages": round(cpu / pages * 1e6) if pages else None,
            "share_of_wall": {s: round(r["wall_s"] / wall, 3) for s, r in results.items()}}


# --- baselines ------------------------------------------------------------------------------------------------
def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2014", "-").replace("\u00ad", "")).strip()


def similarity(a: str, b: str) -> float:
    """Normalised Indel similarity of the whitespace-normalised texts (1.0 = identical)."""
    from rapidfuzz import fuzz

    return fuzz.ratio(_norm(a), _norm(b)) / 100


def truth_texts(corpus_root: Path) -> dict[str, str]:
    """file_path as ingest records it (relative to the x1/x2 folder) -> the true text of a readable PDF."""
    out = {}
    for name, entry in truth(corpus_root).items():
        if entry["kind"] != "broken" and entry["pages"]:
            out[name] = "\n\n".join(entry["pages"])
    samples = json.loads((REPO / "samples/ground_truth.json").read_text())["files"]
    for name, entry in samples.items():
        if entry["kind"] != "broken" and entry["pages"]:
            out[f"samples/{name}"] = "\n\n".join(p["text"] for p in entry["pages"])
    return out


PYMUPDF4LLM_PDFS = 40  # pymupdf4llm's layout mode converts about 1.5 pages per CPU second: it runs on these first


def extraction_baselines(run_dir: Path, corpus: Path, corpus_root: Path, limit: int | None) -> dict:
    """Docling (engine alone, in this process), the stage's default text path (PyMuPDF + textkit/layout.py),
    pymupdf4llm's layout mode, pdftotext and PyMuPDF get_text on the PDFs classify sent to Docling."""
    import pymupdf

    from runfolder.reader import read_columns
    from shared import schemas

    routed = read_columns(str(run_dir / "classify" / "docling"), [schemas.FILE_PATH])[schemas.FILE_PATH].to_pylist()
    paths = sorted(set(routed))[:limit] if limit else sorted(set(routed))
    files = [(p, corpus / p) for p in paths]
    truths = truth_texts(corpus_root)
    pymupdf.TOOLS.mupdf_display_errors(False)
    results: dict[str, dict] = {}

    def run(name: str, extract) -> None:
        texts, pages = {}, 0
        cpu0, wall0 = _cpu(), time.perf_counter()
        for rel, path in files:
            try:
                page_texts = extract(path)
            except Exception:  # noqa: BLE001 - a PDF an extractor cannot read counts as empty text
                page_texts = []
            pages += len(page_texts)
            texts[rel] = "\n\n".join(page_texts)
        wall, cpu = time.perf_counter() - wall0, _cpu() - cpu0
        sims = [similarity(texts[r], truths[r]) for r, _ in files if r in truths]
        results[name] = {"pdfs": len(files), "pages": pages, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
                         "pages_per_s": _rate(pages, wall), "pages_per_cpu_s": _rate(pages, cpu),
                         "similarity_to_truth": round(sum(sims) / len(sims), 4) if sims else None,
                         "compared": len(sims), "_texts": texts}

    def pdftotext(path: Path) -> list[str]:
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=120)
        return [p for p in out.stdout.decode("utf-8", "replace").split("\f")][:-1] if out.returncode == 0 else []

    def pymupdf_text(path: Path) -> list[str]:
        with pymupdf.open(path) as doc:
            return [page.get_text() for page in doc]

    from shared.config import stage_settings
    from stages.extract_docling.steps import DoclingSettings, build_extractor, extract

    cfg = stage_settings("extract-docling")
    state = build_extractor(cfg.pick(DoclingSettings, layout_artifacts=None, text_path="docling-native"))
    if files:
        extract(state, files[0][1].read_bytes())  # warm-up: the first conversion loads docling's lazy parts

    def docling(path: Path) -> list[str]:
        return extract(state, path.read_bytes())["pages"]

    default_state = build_extractor(cfg.pick(DoclingSettings, layout_artifacts=None))

    def default_text_path(path: Path) -> list[str]:
        return extract(default_state, path.read_bytes())["pages"]

    run("docling-native (engine, in-process)", docling)
    run(f"{cfg.pick(DoclingSettings, layout_artifacts=None).extractor} (default text path, in-process)", default_text_path)
    if shutil.which("pdftotext"):
        run("pdftotext (poppler)", pdftotext)
    else:
        results["pdftotext (poppler)"] = {"skipped": "pdftotext not installed (apt-get install poppler-utils)"}
    run("PyMuPDF get_text", pymupdf_text)
    if PYMUPDF4LLM_PDFS:  # last: importing pymupdf4llm switches PyMuPDF's layout model on in this process
        from tools.eval_quality.systems import pymupdf4llm_pages

        to_markdown = pymupdf4llm_pages()
        every = files
        files = files[:PYMUPDF4LLM_PDFS]  # about 1.5 pages per CPU second: a sample of the PDFs, named in the table
        run(f"pymupdf4llm layout mode (first {len(files)} PDFs)", lambda path: to_markdown(path.read_bytes()))
        files = every
        pymupdf._get_layout = None

    # the stage's own output text, against the truth and the baselines' texts
    docs = read_columns(str(run_dir / "extract-docling"), [schemas.FILE_PATH, schemas.TEXT]).to_pylist()
    stage_text = {d[schemas.FILE_PATH]: d[schemas.TEXT] for d in docs}
    sims = [similarity(stage_text[r], truths[r]) for r, _ in files if r in truths and r in stage_text]
    results["extract-docling stage output"] = {
        "similarity_to_truth": round(sum(sims) / len(sims), 4) if sims else None, "compared": len(sims)}
    reference = results["docling-native (engine, in-process)"]["_texts"]
    for r in results.values():
        texts = r.pop("_texts", None)
        if texts is not None:
            agree = [similarity(texts[k], reference[k]) for k in texts if k in reference]
            r["similarity_to_docling"] = round(sum(agree) / len(agree), 4) if agree else None
    return results


def ocr_quality(run_dir: Path, corpus_root: Path, folder: str = "ocr") -> dict:
    from runfolder.reader import read_columns
    from shared import schemas

    if not (run_dir / folder).is_dir():
        return {}
    truths = truth_texts(corpus_root)
    meta = truth(corpus_root)
    rows = read_columns(str(run_dir / folder), [schemas.FILE_PATH, schemas.TEXT]).to_pylist()
    scanned = [similarity(r[schemas.TEXT], truths[r[schemas.FILE_PATH]]) for r in rows
               if meta.get(r[schemas.FILE_PATH], {}).get("kind") in ("scanned", "mixed")]
    return {"scanned_docs_compared": len(scanned),
            "similarity_to_truth_scanned": round(sum(scanned) / len(scanned), 4) if scanned else None}


def routing_accuracy(run_dir: Path, corpus_root: Path) -> dict:
    """Routes against the corpus truth: a generated PDF needs OCR iff it has image-only pages."""
    from runfolder.reader import read_columns
    from shared import schemas

    meta = truth(corpus_root)
    rows = read_columns(str(run_dir / "classify"), [schemas.FILE_PATH, schemas.ROUTE]).to_pylist()
    counts = {"ocr_needed_routed_ocr": 0, "ocr_needed_routed_docling": 0, "text_routed_docling": 0,
              "text_routed_ocr": 0}
    misrouted_languages: dict[str, int] = {}
    for r in rows:
        entry = meta.get(r[schemas.FILE_PATH])
        if not entry or entry["kind"] == "broken":
            continue
        needs = bool(entry["ocr_pages"])
        routed_ocr = r[schemas.ROUTE] == schemas.ROUTE_OCR
        key = ("ocr_needed" if needs else "text") + ("_routed_ocr" if routed_ocr else "_routed_docling")
        counts[key] += 1
        if routed_ocr and not needs:
            misrouted_languages[entry["language"]] = misrouted_languages.get(entry["language"], 0) + 1
    return {**counts, "text_routed_ocr_by_language": misrouted_languages}


def classify_bench(corpus: Path, repeat: int) -> dict:
    try:
        from bench.classify import bench, collect
    except ImportError as error:
        return {"skipped": f"bench.classify not importable: {error}"}
    import pymupdf

    # the corpus folder holds symlinks (samples, parts), which Path.rglob does not follow: give the targets
    paths = collect([str(p.resolve()) for p in sorted(corpus.iterdir())])
    result = bench([p for p in paths if _readable(pymupdf, p)], repeat=repeat)
    result["finepdfs_pdfs_per_s"] = FINEPDFS_PDFS_PER_S
    result["router_vs_finepdfs"] = round(result["router_pdfs_per_s"] / FINEPDFS_PDFS_PER_S, 2)
    result["router_vs_baseline_speed"] = round(result["router_pdfs_per_s"] / result["baseline_pdfs_per_s"], 3)
    return result


def _readable(pymupdf, path: Path) -> bool:
    """Both passes of the classify bench need a PDF that opens without a password."""
    try:
        with pymupdf.open(path) as doc:
            return not doc.needs_pass and doc.page_count > 0
    except Exception:  # noqa: BLE001 - unreadable: the stage makes it an error row; not a speed sample
        return False


def dedup_bench(docs: int, repeats: int, workdir: Path, log_dir: Path) -> dict:
    """bench/dedup.py in its own process (its datatrove task logs go to a log file, its JSON to us)."""
    if not (REPO / "bench/dedup.py").is_file():
        return {"skipped": "bench/dedup.py not found"}
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    argv = [sys.executable, "-m", "bench.dedup", "--docs", str(docs), "--repeats", str(repeats),
            "--max-overhead", "100"]
    with open(log_dir / "dedup-bench.log", "w") as log:
        done = subprocess.run(argv, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(workdir)},
                              stdout=subprocess.PIPE, stderr=log, text=True)
    shutil.rmtree(workdir, ignore_errors=True)
    try:
        result = json.loads(done.stdout[done.stdout.index("{"):])
    except ValueError:
        return {"skipped": f"bench.dedup failed ({done.returncode}); see {log_dir / 'dedup-bench.log'}"}
    result["ours_vs_bare_speed"] = round(result["docs_per_cpu_s_ours"] / result["docs_per_cpu_s_bare"], 3)
    return result


def docling_on_samples(out: Path, log_dir: Path) -> dict:
    """extract-docling on the bundled samples, model-free and with the layout model: the Docling worker's memory
    against FinePDFs' 2 GB budget. The layout run uses the real weights when ./models has them, else a tiny
    random checkpoint (its cost is the pipeline's plumbing, not the real model's: said in the result)."""
    from shared.config import models_dir
    from stages.extract_docling.docling_model import layout_weights_present

    run = out / "samples-run"
    stage("ingest", ["--input", str(REPO / "samples/pdfs"), "--output", f"{run}/ingest"], log_dir)
    result = {"native": stage("extract-docling", ["--input", f"{run}/ingest", "--output", f"{run}/native",
                                                  "--layout-model", "off"], log_dir)}
    weights, env = "real (./models)", {}
    if not layout_weights_present(models_dir()):
        weights, tiny = "tiny random checkpoint (plumbing only)", out / "models"
        if not layout_weights_present(tiny):
            subprocess.run([sys.executable, "-m", "tools.tiny_models", "layout", "--models-dir", str(tiny)],
                           cwd=REPO, capture_output=True)
        env = {"FINEPDFS_MODELS_DIR": str(tiny)}
    try:
        result["layout"] = stage("extract-docling", ["--input", f"{run}/ingest", "--output", f"{run}/layout",
                                                     "--layout-model", "on"], log_dir, env=env)
        result["layout"]["weights"] = weights
    except RuntimeError as error:
        result["layout"] = {"skipped": str(error)[:300]}
    return result


# what each stage writes: (its output folder, schema name, partition column)
STAGE_OUTPUTS = {
    "classify": ("classify", "ROUTED_PDFS", "route"),
    "extract-docling": ("extract-docling", "DOCUMENTS", None),
    "ocr": ("ocr", "DOCUMENTS", None),
    "filter": ("filter", "FILTERED_DOCUMENTS", "language"),
    "dedup": ("dedup", "DEDUPED_DOCUMENTS", "language"),
    "tokenize": ("tokenize", "FINAL_DOCUMENTS", "language"),
}


def shard_io_warm(run_dir: Path, workdir: Path, passes: int = 3) -> dict:
    """Our reader and shard writer alone, in a warm process, on each stage's own output shards (read them, write
    them back, same schema and partitions): ms per document once one-time costs (imports, first Parquet writer)
    are paid. Twice: with the stage's own tasks (its shard sizes here), and as one task over all of them (the
    per-shard costs spread over many documents, as with production-sized shards)."""
    from datatrove.utils.logging import logger

    from shared import schemas
    from shared.ledger import ShardLedger
    from shared.shards import ShardReader, ShardWriter, list_shards

    logger.disable("shared")
    logger.disable("datatrove")
    out = {}
    try:
        for stage_name, (folder, schema_name, partition) in STAGE_OUTPUTS.items():
            source = run_dir / folder
            shards = list_shards(str(source))
            if not shards:
                continue
            schema = getattr(schemas, schema_name)
            row = {"tasks": len(shards)}
            for label, tasks in (("", len(shards)), ("_one_task", 1)):
                best = None
                for _ in range(passes):
                    target = workdir / stage_name
                    shutil.rmtree(target, ignore_errors=True)
                    io_s, docs = 0.0, 0
                    for rank in range(tasks):
                        ledger = ShardLedger("null", rank)
                        reader = ShardReader(str(source), schema, ledger)
                        writer = ShardWriter(str(target), schema, "null", ledger, partition_by=partition)
                        for _ in writer.run(reader.run(rank=rank, world_size=tasks), rank, tasks):
                            docs += 1
                        io_s += reader.stats.time_stats.total + writer.stats.time_stats.total
                    best = io_s if best is None else min(best, io_s)
                row |= {"docs": docs, f"io_s{label}": round(best, 3),
                        f"io_ms_per_doc{label}": round(best / docs * 1000, 3) if docs else None}
            out[stage_name] = row
    finally:
        logger.enable("shared")
        logger.enable("datatrove")
        shutil.rmtree(workdir, ignore_errors=True)
    return out


def _cpu() -> float:
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


# --- scaling --------------------------------------------------------------------------------------------------
BURN = "import time\nend = time.perf_counter() + {s}\nn = 0\nwhile time.perf_counter() < end:\n    n += 1\nprint(n)"


def parallel_capacity(seconds: float = 2.0) -> float:
    """How many CPU-bound processes this machine runs at full speed right now (2.0 = two free cores): the work
    two busy loops get done side by side over the work of one alone. On a shared machine this is the speed-up
    the best parallel code could show at that moment."""
    code = BURN.format(s=seconds)

    def burn(k: int) -> int:
        procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) for _ in range(k)]
        return sum(int(p.communicate()[0]) for p in procs)

    one = burn(1)
    return round(burn(2) / one, 2) if one else 0.0


def scaling_workers(run_dir: Path, log_dir: Path) -> dict:
    """classify and extract-docling with 1 then 2 workers on the same shards, back to back (same load), with
    the machine's parallel capacity measured just before: the speed-up to expect is min(2, capacity)."""
    out = {}
    o = str(run_dir)
    for name, args in [
        ("classify", ["--input", f"{o}/ingest", "--output", f"{o}/w/classify"]),
        ("extract-docling", ["--input", f"{o}/classify/docling", "--output", f"{o}/w/extract-docling"]),
    ]:
        capacity = parallel_capacity()
        one = stage(name, [*args, "--workers", "1"], log_dir)
        two = stage(name, [*args[:-1], args[-1] + "-2", "--workers", "2"], log_dir)
        out[name] = {"tasks": one["tasks"], "parallel_capacity": capacity,
                     "wall_s_1_worker": one["wall_s"], "wall_s_2_workers": two["wall_s"],
                     "cpu_s_1_worker": one["cpu_s"], "cpu_s_2_workers": two["cpu_s"],
                     "speedup": round(one["wall_s"] / two["wall_s"], 2) if two["wall_s"] else None,
                     "docs_per_s_1_worker": one["docs_per_s"], "docs_per_s_2_workers": two["docs_per_s"],
                     "peak_rss_mb_by_role_2_workers": two["peak_rss_mb_by_role"]}
    return out


def scaling_corpus(x1: dict[str, dict], x1_dir: Path, x2_corpus: Path, x2_dir: Path, log_dir: Path,
                   tasks: int) -> dict:
    """The Docling chain on twice the corpus (same mix) with one worker: time ratio against docs ratio.

    The 1x side reuses the 1x run's ingest/classify/extract-docling and reruns filter, dedup and tokenize on the
    Docling documents alone, so both sides do exactly the same kind of work (OCR is left out: its CPU engine
    would dominate the benchmark's time).
    """
    o1 = str(x1_dir / "docling-only")
    one = dict(x1)
    one["filter"] = stage("filter", ["--input", f"{x1_dir}/extract-docling", "--output", f"{o1}/filter"],
                          log_dir)
    one["dedup"] = stage("dedup", ["--input", f"{o1}/filter", "--output", f"{o1}/dedup"], log_dir)
    one["tokenize"] = stage("tokenize", ["--input", f"{o1}/dedup", "--output", f"{o1}/tokenize"], log_dir)
    two = pipeline(x2_corpus, x2_dir, log_dir, tasks=tasks * 2, only_docling=True)
    out = {}
    for name in ("ingest", "classify", "extract-docling", "filter", "dedup", "tokenize"):
        a, b = one[name], two[name]
        docs_ratio = b["docs"] / a["docs"] if a["docs"] else None
        time_ratio = b["wall_s"] / a["wall_s"] if a["wall_s"] else None
        cpu_ratio = b["cpu_s"] / a["cpu_s"] if a["cpu_s"] else None
        extra = b["docs"] - a["docs"]
        marginal_ms = (b["cpu_s"] - a["cpu_s"]) / extra * 1000 if extra > 0 else None
        marginal_io = (b["shard_io_s"] - a["shard_io_s"]) / extra * 1000 if extra > 0 else None
        marginal_task = (b["task_s"] - a["task_s"]) / extra * 1000 if extra > 0 else None
        marginal_work = (b["work_s"] - a["work_s"]) / extra * 1000 if extra > 0 else None
        out[name] = {"docs_1x": a["docs"], "docs_2x": b["docs"], "wall_s_1x": a["wall_s"], "wall_s_2x": b["wall_s"],
                     "cpu_s_1x": a["cpu_s"], "cpu_s_2x": b["cpu_s"],
                     "docs_ratio": _r(docs_ratio), "time_ratio": _r(time_ratio), "cpu_ratio": _r(cpu_ratio),
                     "work_ratio": _r(b["work_s"] / a["work_s"]) if a["work_s"] else None,
                     # cost model from the two points: CPU s = fixed + marginal * docs
                     "marginal_cpu_ms_per_doc": _r(marginal_ms),
                     "marginal_work_ms_per_doc": _r(marginal_work),
                     "fixed_cpu_s": _r(a["cpu_s"] - marginal_ms * a["docs"] / 1000) if marginal_ms is not None else None,
                     "marginal_shard_overhead": _r(marginal_io / marginal_task) if marginal_io is not None
                     and marginal_task and marginal_task > 0 else None}
    return out


def _r(value: float | None) -> float | None:
    return round(value, 2) if value is not None else None


# --- report ---------------------------------------------------------------------------------------------------
def machine() -> dict:
    import importlib.metadata as md

    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    versions = {}
    for dist in ("datatrove", "docling-slim", "docling-parse", "pymupdf", "xgboost-cpu", "rapidocr", "pyarrow"):
        try:
            versions[dist] = md.version(dist)
        except md.PackageNotFoundError:
            pass
    if shutil.which("pdftotext"):
        v = subprocess.run(["pdftotext", "-v"], capture_output=True, text=True)
        versions["poppler"] = (v.stderr or v.stdout).split("\n")[0].split()[-1]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO)
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(os.sysconf("SC_PAGE_SIZE") *
            os.sysconf("SC_PHYS_PAGES") / 2**30, 1), "python": platform.python_version(),
            "commit": commit.stdout.strip(), "versions": versions}


def _f(value, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def markdown(result: dict) -> str:
    m = result["machine"]
    lines = [
        "# finepdfs bench", "",
        f"{result['mode']} run, {result['corpus']['pdfs_x1']} PDFs (x1: {result['corpus']['generated_per_part']} "
        f"generated + {result['corpus']['samples']} samples), {m['cores']} cores ({m['cpu']}), "
        f"{m['memory_gb']} GB, commit {m['commit']}, load average {result['load_before']} before / "
        f"{result['load_after']} after, {result['bench_wall_s'] / 60:.1f} min.", "",
        "Wall rates are what a user waits for on this machine (shared: see the load average); per-CPU-second "
        "rates divide by the CPU time of the stage's whole process tree and are steadier.", "",
        "## Stages on the 1x corpus (1 worker)", "",
        "| stage | docs | pages | wall s | CPU s | docs/s | pages/s | docs/CPU s | pages/CPU s | start-up s | "
        "work s | shard I/O s | shard overhead | peak RSS MB (largest process) | peak RSS by role MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, s in result["stages"].items():
        roles = ", ".join(f"{k} {v:,.0f}" for k, v in sorted(s["peak_rss_mb_by_role"].items()))
        overhead = "-" if s["overhead_frac"] is None else f"{s['overhead_frac']:.1%}"
        lines.append(f"| {name} | {_f(s['docs'])} | {_f(s['pages'])} | {_f(s['wall_s'])} | {_f(s['cpu_s'])} | "
                     f"{_f(s['docs_per_s'])} | {_f(s['pages_per_s'])} | {_f(s['docs_per_cpu_s'])} | "
                     f"{_f(s['pages_per_cpu_s'])} | {_f(s['startup_s'])} | {_f(s['work_s'])} | {_f(s['shard_io_s'])} | "
                     f"{overhead} | {_f(s['max_rss_mb'], 0)} | {roles} |")
    lines += ["", "start-up: process wall time outside the tasks (imports, models, checks). work: the stage's own "
              "steps. shard I/O: our reader and shard writer (decode, schema checks, write, ledger, publish); "
              "shard overhead = shard I/O / task time. Ingest reads PDFs in its reader: its shard I/O is its work."]
    edu = result.get("edu")
    if edu:
        lines += ["", "## Educational-quality classifier (filter's edu step)", "",
                  "| model | languages | docs scored | edu CPU s (filter with - without) | docs/CPU s | "
                  "step s | docs/step s |", "|---|---|---:|---:|---:|---:|---:|"]
        for label in ("tiny", "real"):
            e = edu.get(label) or {}
            if "skipped" in e:
                lines.append(f"| {label} | skipped: {e['skipped']} | | | | | |")
            elif e:
                lines.append(f"| {label} | {', '.join(e['languages'])} | {e['docs_scored']} | {_f(e['edu_cpu_s'])} | "
                             f"{_f(e['docs_per_cpu_s'])} | {_f(e['edu_step_s'])} | {_f(e['docs_per_step_s'])} |")
        lines += ["", "tiny: a random ModernBERT of 2 layers (tools/tiny_models.py), the step's plumbing (chunking, "
                  "tokenizing, batching), not the real model's cost."]
    st = result.get("storage")
    if st:
        mb = 2**20
        lines += ["", "## Storage: PDF bytes stored once", "",
                  f"input PDFs {st['input_pdf_bytes'] / mb:,.1f} MB, extracted text {st['extracted_text_bytes'] / mb:,.1f} MB, "
                  f"run folder {st['run_folder_bytes'] / mb:,.1f} MB = **{st['run_folder_vs_input']}x** the input, "
                  f"{st['run_folder_vs_input_plus_text']}x input + text (target: at most 1.1x input + text).", "",
                  "| stage folder | MB |", "|---|---:|"]
        lines += [f"| {k} | {v / mb:,.2f} |" for k, v in st["by_stage_bytes"].items()]
    sm = result.get("stats_memory")
    if sm:
        lines += ["", "## stats stage memory vs corpus size", "", "| final dataset | docs | peak RSS MB | wall s |",
                  "|---|---:|---:|---:|"]
        lines += [f"| {k} | {v['docs']} | {v['max_rss_mb']:,.0f} | {v['wall_s']} |" for k, v in sm.items()
                  if isinstance(v, dict)]
        lines += ["", f"peak RSS at 4x / at 1x: **{sm.get('rss_ratio')}** (target: within 1.2)."]
    w = result["pipeline"]
    lines += ["", f"**Whole pipeline**: {_f(w['pages'])} pages from {_f(w['pdfs'])} PDFs in {_f(w['wall_s'])} s wall "
              f"/ {_f(w['cpu_s'])} CPU s: **{_f(w['pages_per_s'])} pages/s**, {_f(w['pages_per_cpu_s'])} pages per CPU "
              f"second ({_f(w['cpu_s_per_million_pages'] / 3600 if w['cpu_s_per_million_pages'] else None, 0)} "
              "CPU hours per million pages). Share of wall time: "
              + ", ".join(f"{k} {v:.0%}" for k, v in w["share_of_wall"].items()) + ".", ""]

    warm = result.get("shard_io_warm")
    if warm:
        lines += ["### Shard I/O alone (warm process, each stage's output read and written back)", "",
                  "| stage output | docs | tasks | I/O s | ms/doc | ms/doc as one task |", "|---|---:|---:|---:|---:|---:|"]
        lines += [f"| {k} | {_f(v['docs'])} | {v['tasks']} | {_f(v['io_s'], 3)} | {_f(v['io_ms_per_doc'], 3)} | "
                  f"{_f(v['io_ms_per_doc_one_task'], 3)} |" for k, v in warm.items()]
        lines += ["", "One task over all the shards spreads the per-shard costs (files, staging, ledger) as "
                  "production-sized shards do: its ms/doc is the per-document shard overhead at scale.", ""]
    lines += ["## Baselines (same invocation, same PDFs)", ""]
    c = result["baselines"].get("classify", {})
    if "skipped" not in c and c:
        lines += ["### classify: features + XGBoost vs PyMuPDF reading the same pages (one CPU, in memory)", "",
                  "| | PDFs/s | ratio |", "|---|---:|---:|",
                  f"| router (features + predict) | {_f(c['router_pdfs_per_s'])} | 1 |",
                  f"| PyMuPDF open + get_text of the sampled pages | {_f(c['baseline_pdfs_per_s'])} | "
                  f"router is {c['router_vs_baseline_speed']:.2f}x its speed |",
                  f"| FinePDFs' router (published) | {FINEPDFS_PDFS_PER_S} | router is {c['router_vs_finepdfs']:.2f}x |",
                  f"| target | {CLASSIFY_TARGET} | {'met' if c['router_pdfs_per_s'] >= CLASSIFY_TARGET else 'NOT met'} |",
                  "", f"{c['pdfs']} PDFs, {c['pages']} pages, median of {c['repeat']} passes.", ""]
    elif c:
        lines += [f"classify: {c['skipped']}", ""]
    e = result["baselines"].get("extract", {})
    if e:
        lines += ["### extract: the default text path vs Docling, pymupdf4llm, pdftotext, PyMuPDF on the PDFs routed "
                  "to Docling", "",
                  "| extractor | PDFs | pages | pages/s | pages/CPU s | similarity to truth | similarity to Docling |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        dl = e.get("docling-native (engine, in-process)", {})
        for name, r in e.items():
            if "skipped" in r:
                lines.append(f"| {name} | {r['skipped']} | | | | | |")
                continue
            lines.append(f"| {name} | {_f(r.get('pdfs'))} | {_f(r.get('pages'))} | {_f(r.get('pages_per_s'))} | "
                         f"{_f(r.get('pages_per_cpu_s'))} | {_f(r.get('similarity_to_truth'), 3)} | "
                         f"{_f(r.get('similarity_to_docling'), 3)} |")
        if dl.get("pages_per_cpu_s"):
            ratios = [f"{name} {r['pages_per_cpu_s'] / dl['pages_per_cpu_s']:.2f}x Docling's pages/CPU s"
                      for name, r in e.items() if r.get("pages_per_cpu_s") and name != next(iter(e))]
            lines += ["", "Ratios: " + "; ".join(ratios) + ".", ""]
    o = result["baselines"].get("ocr")
    if o:
        lines += ["### OCR stage with the CPU engines (PDFs routed to OCR)", "",
                  "| engine | pages | pages/s | pages/CPU s | similarity to truth (scanned PDFs) |",
                  "|---|---:|---:|---:|---:|"]
        for engine, r in o.items():
            lines.append(f"| {engine} | {_f(r['pages'])} | {_f(r['pages_per_s'])} | {_f(r['pages_per_cpu_s'])} | "
                         f"{_f(r.get('similarity_to_truth_scanned'), 3)} ({r.get('scanned_docs_compared')} docs) |")
        lines.append("")
    d = result["baselines"].get("dedup", {})
    if d and "skipped" not in d:
        lines += ["### dedup: our stage vs datatrove's four MinHash steps run bare", "",
                  "| | docs/CPU s | CPU s (runs) |", "|---|---:|---|",
                  f"| ours | {_f(d['docs_per_cpu_s_ours'])} | {d['cpu_seconds_ours']} |",
                  f"| datatrove bare | {_f(d['docs_per_cpu_s_bare'])} | {d['cpu_seconds_bare']} |",
                  "", f"{d['docs']} synthetic docs; ours is {d['ours_vs_bare_speed']:.2f}x bare's speed "
                  f"(overhead {d['overhead']:.1%}); kept: ours {d['kept_ours']}, bare {d['kept_bare']}.", ""]
    r = result.get("routing")
    if r:
        lines += ["### Routing against the corpus truth", "",
                  f"needs OCR -> ocr {r['ocr_needed_routed_ocr']}, -> docling {r['ocr_needed_routed_docling']}; "
                  f"text -> docling {r['text_routed_docling']}, -> ocr {r['text_routed_ocr']} "
                  f"(by language: {r['text_routed_ocr_by_language'] or '-'}).", ""]

    ds = result.get("docling_samples")
    if ds:
        lines += ["## extract-docling on the bundled samples (worker memory vs FinePDFs' 2 GB)", "",
                  "| pipeline | docs | pages | wall s | pages/CPU s | Docling worker peak RSS MB | largest process MB |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for kind, r in ds.items():
            if "skipped" in r:
                lines.append(f"| {kind} | {r['skipped']} | | | | | |")
                continue
            label = kind + (f" ({r['weights']})" if r.get("weights") else "")
            lines.append(f"| {label} | {_f(r['docs'])} | {_f(r['pages'])} | {_f(r['wall_s'])} | "
                         f"{_f(r['pages_per_cpu_s'])} | {_f(r['peak_rss_mb_by_role'].get('spawned worker'), 0)} | "
                         f"{_f(r['max_rss_mb'], 0)} |")
        lines.append("")
    sw = result.get("scaling", {}).get("workers")
    if sw:
        lines += ["## Scaling: 1 vs 2 workers (x1 corpus, back to back)", "",
                  "| stage | tasks | parallel capacity | wall s, 1 worker | wall s, 2 workers | speed-up | CPU s 1 / 2 "
                  "workers | peak RSS by role, 2 workers MB |",
                  "|---|---:|---:|---:|---:|---:|---|---|"]
        for name, s in sw.items():
            roles = ", ".join(f"{k} {v:,.0f}" for k, v in sorted(s["peak_rss_mb_by_role_2_workers"].items())
                              if v >= 1)
            lines.append(f"| {name} | {s['tasks']} | {_f(s['parallel_capacity'])} | {_f(s['wall_s_1_worker'])} | "
                         f"{_f(s['wall_s_2_workers'])} | {_f(s['speedup'])}x | {_f(s['cpu_s_1_worker'])} / "
                         f"{_f(s['cpu_s_2_workers'])} | {roles} |")
        lines += ["", "parallel capacity: how many CPU-bound processes ran at full speed on this (shared) machine just "
                  "before the pair (2.00 = two free cores); the best speed-up possible at that moment.", ""]
    sc = result.get("scaling", {}).get("corpus")
    if sc:
        lines += ["## Scaling: 1x vs 2x corpus (Docling chain, 1 worker)", "",
                  "| stage | docs 1x | docs 2x | docs ratio | wall ratio | CPU ratio | work ratio | fixed CPU s | "
                  "marginal CPU ms/doc | marginal shard overhead |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for name, s in sc.items():
            mso = "-" if s["marginal_shard_overhead"] is None else f"{s['marginal_shard_overhead']:.0%}"
            lines.append(f"| {name} | {_f(s['docs_1x'])} | {_f(s['docs_2x'])} | {_f(s['docs_ratio'])} | "
                         f"{_f(s['time_ratio'])} | {_f(s['cpu_ratio'])} | {_f(s['work_ratio'])} | "
                         f"{_f(s['fixed_cpu_s'])} | {_f(s['marginal_cpu_ms_per_doc'])} | {mso} |")
        lines += ["", "work ratio: time inside the stage's own steps (datatrove's per-step timers). fixed / marginal: "
                  "CPU s = fixed + marginal x docs through the two points (start-up, models, per-task set-up are the "
                  "fixed part: why small stages grow by less than 2x). marginal shard overhead: the extra shard I/O "
                  "per extra document over the extra task time per extra document.", ""]

    if result.get("cc_index"):
        from bench import cc_index

        lines += cc_index.markdown(result["cc_index"])

    q = result.get("ocr_quality_set")
    if q:
        lines += ["## OCR quality set (tools/ocr_quality): CPU engines on noisy scans of real PDFs", ""]
        lines += [q["skipped"], ""] if "skipped" in q else [q["markdown"]]
    q = result.get("ocr_real_set")
    if q:
        lines += ["## OCR on real scans with human truth (tools/ocr_quality/real.py)", ""]
        lines += [q["skipped"], ""] if "skipped" in q else [q["markdown"]]

    t = result["targets"]
    lines += ["## Targets", "", "| target | measured | |", "|---|---|---|"]
    for name, (value, ok) in t.items():
        lines.append(f"| {name} | {value} | {'met' if ok else 'NOT met'} |")
    return "\n".join(lines) + "\n"


OCR_TARGETS = {"Latin": 0.95, "Cyrillic": 0.92, "two columns": 0.93, "Han": 0.85, "Arabic": 0.85}


def targets(result: dict) -> dict:
    out = {}
    systems = (result.get("ocr_quality_set") or {}).get("systems") or {}
    cpu, before = (systems.get("cpu") or {}).get("summary"), (systems.get("rapidocr-before") or {}).get("summary")
    if cpu:
        for group, target in OCR_TARGETS.items():
            if group in cpu:
                value = cpu[group]["similarity"]
                out[f"OCR set, default engine: {group} similarity >= {target}"] = (f"{value:.3f}", value >= target)
        if before and cpu["all"]["pages_per_cpu_s"] and before["all"]["pages_per_cpu_s"]:
            ratio = cpu["all"]["pages_per_cpu_s"] / before["all"]["pages_per_cpu_s"]
            out["OCR set: default >= 2x rapidocr's pages per CPU s"] = (f"{ratio:.2f}x", ratio >= 2)
        rate = cpu["all"]["pages_per_cpu_s"]
        script = (systems.get("cpu-script") or {}).get("summary")
        if rate:
            old = f" (script packs only, same run: {script['all']['pages_per_cpu_s']:.3f})" if script else ""
            out["OCR set: default >= 0.5 pages per CPU s"] = (f"{rate:.3f}{old}", rate >= 0.5)
    real = (result.get("ocr_real_set") or {}).get("systems") or {}
    plain, default = (real.get("tesseract-plain") or {}).get("summary"), (real.get("cpu") or {}).get("summary")
    if plain and default:
        for group, cell in plain.items():
            if group.startswith(("script ", "all")) and group in default:
                value, bar = default[group]["similarity"], cell["similarity"]
                out[f"real scans, {group}: default >= plain tesseract told the language"] = (
                    f"{value:.3f} vs {bar:.3f}", value >= bar)
    cc = result.get("cc_index") or {}
    if cc.get("warc_size_ratio"):
        out["Common Crawl, 1 PDF in 100 records: ranged reads >= 10x fewer bytes than whole WARC files"] = (
            f"{cc['warc_size_ratio']}x (WARC size; {cc['bytes_ratio']}x ingest's WARC reader)", cc["warc_size_ratio"] >= 10)
    st = result.get("storage") or {}
    if st.get("run_folder_vs_input_plus_text"):
        out["run folder <= 1.1x input PDF bytes + text"] = (f"{st['run_folder_vs_input_plus_text']}x",
                                                             st["run_folder_vs_input_plus_text"] <= 1.1)
    sm = result.get("stats_memory") or {}
    if sm.get("rss_ratio"):
        out["stats peak RSS at 4x within 1.2x of 1x"] = (f"{sm['rss_ratio']}x", sm["rss_ratio"] <= 1.2)
    c = result["baselines"].get("classify", {})
    if c.get("router_pdfs_per_s"):
        out[f"classify >= {CLASSIFY_TARGET:g} PDFs/s/core"] = (f"{c['router_pdfs_per_s']:.1f} PDFs/s",
                                                              c["router_pdfs_per_s"] >= CLASSIFY_TARGET)
    runs = {"bench corpus": result["stages"].get("extract-docling", {})}
    runs |= {f"samples, {k}": v for k, v in (result.get("docling_samples") or {}).items() if "skipped" not in v}
    for label, run in runs.items():
        worker = (run.get("peak_rss_mb_by_role") or {}).get("spawned worker")
        if worker:
            out[f"Docling worker < 2 GB RSS ({label})"] = (f"{worker:,.0f} MB", worker < DOCLING_RSS_BUDGET_MB)
    warm = result.get("shard_io_warm", {})
    corpus = result.get("scaling", {}).get("corpus", {})
    for name, s in result["stages"].items():
        if s["overhead_frac"] is None or name == "ingest":  # ingest's reader is its work
            continue
        measured = f"{s['overhead_frac']:.1%} of task time at {s['docs'] / max(1, s['tasks'] or 1):.0f} docs/task"
        ok = s["overhead_frac"] < OVERHEAD_TARGET
        io = (warm.get(name) or {}).get("io_ms_per_doc_one_task")
        work = (corpus.get(name) or {}).get("marginal_work_ms_per_doc") or (s["work_s"] / s["docs"] * 1000
                                                                           if s["docs"] else None)
        if io is not None and work and work > 0:
            steady = io / (io + work)
            measured += f"; {steady:.1%} per document at scale ({io:.2f} ms I/O vs {work:.2f} ms work)"
            ok = ok or steady < OVERHEAD_TARGET
        out[f"{name}: shard overhead < 5%"] = (measured, ok)
    return out


def ocr_quality_set(work: Path, quick: bool) -> dict:
    """tools/ocr_quality's evaluation (its systems, through the ocr stage) when its scans are built here."""
    from tools.ocr_quality.build import build_set, set_is_built
    from tools.ocr_quality.evaluate import BENCH_SYSTEMS, SYSTEMS, evaluate
    from tools.ocr_quality.report import markdown as quality_markdown

    if not set_is_built():
        return {"skipped": "the OCR quality set is not built here: `just eval-ocr` fetches its Debian packages "
                           "(about 1.3 GB) and builds it once"}
    pages = build_set(log=lambda message: None)
    if quick:  # two pages per script and layout
        taken: dict = {}
        chosen = []
        for page in pages:
            group = (page.entry["script"], page.entry["columns"])
            taken[group] = taken.get(group, 0) + 1
            if taken[group] <= 2:
                chosen.append(page)
        pages = chosen
    if work.exists():
        shutil.rmtree(work)
    report = evaluate(pages, [SYSTEMS[name] for name in BENCH_SYSTEMS], work_dir=work, log=lambda message: None)
    report.pop("rows", None)
    report["markdown"] = quality_markdown(report)
    return report


def ocr_real_set(work: Path, quick: bool) -> dict:
    """tools/ocr_quality/real.py's evaluation (plain Tesseract told the language vs the stage) when its set is
    built here (python -m tools.ocr_quality.real build)."""
    from tools.ocr_quality import real

    if not (real.set_root() / "manifest.json").is_file():
        return {"skipped": "the real-scan set is not built here: see tools/ocr_quality/README.md (real scans)"}
    pages = real.load_set()
    if quick:
        pages = [p for p in pages if p.entry["split"] == "heldout"][:8]
    if work.exists():
        shutil.rmtree(work)
    report = real.evaluate(pages, [real.PLAIN, "cpu-script", "cpu"], work, log=lambda message: None)
    report["split"] = "all" if not quick else "8 held-out pages"
    report["markdown"] = real.markdown(report)
    report.pop("rows", None)
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small corpus, fewer repeats (a few minutes)")
    parser.add_argument("--out", default=str(REPO / "bench-out"))
    parser.add_argument("--docs", type=int, default=None, help="generated PDFs per corpus part (default 500; 60 "
                        "with --quick)")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--skip", default="", help="comma-separated: ocr, baselines, samples, scaling, ocr-quality, "
                        "edu, cc-index")
    parser.add_argument("--reuse", action="store_true", help="reuse the x1 pipeline run a previous bench left in "
                        "OUT (run only the baselines and scaling)")
    args = parser.parse_args(argv)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    n = args.docs or (60 if args.quick else 500)
    tasks = 2 if args.quick else 4
    out = Path(args.out).resolve()
    log_dir = out / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    result: dict = {"mode": "quick" if args.quick else "full", "machine": machine(),
                    "load_before": [round(v, 2) for v in os.getloadavg()]}

    def say(message: str) -> None:
        print(f"[bench {time.perf_counter() - started:6.0f}s] {message}", file=sys.stderr, flush=True)

    say(f"corpus: {n} generated PDFs per part (cached in {out / 'corpus'})")
    corpus_root = out / "corpus"
    folders = make_corpus(corpus_root, n, seed=args.seed)
    sample_count = sum(1 for p in (REPO / "samples/pdfs").rglob("*.pdf"))
    result["corpus"] = {"generated_per_part": n, "samples": sample_count, "pdfs_x1": n + sample_count,
                        "pdfs_x2": 2 * n + sample_count, "seed": args.seed}

    x1 = out / "run-x1"
    saved = x1 / "bench-stages.json"
    if args.reuse and saved.is_file():
        say(f"pipeline on x1: reusing {saved}")
        stages = json.loads(saved.read_text())
    else:
        say("pipeline on x1, one stage at a time")
        stages = pipeline(folders["x1"], x1, log_dir, tasks=tasks, ocr="ocr" not in skip)
        saved.write_text(json.dumps(stages, indent=1))
    result["stages"] = stages
    result["pipeline"] = whole(stages)
    say("stats on x1 (the run's report) and its memory at 1x and 4x of the final dataset")
    stage("stats", ["--input", f"{x1}/tokenize", "--output", f"{x1}/stats"], log_dir)
    result["stats_memory"] = stats_memory(x1, out / "stats-memory", log_dir)
    result["storage"] = storage(x1, folders["x1"])

    if "edu" not in skip:
        say("filter's edu step: documents per CPU second (tiny random ModernBERT; real weights when present)")
        result["edu"] = edu_bench(x1, out / "edu", log_dir, tasks)

    say("shard I/O alone, warm (reader + writer on each stage's output)")
    result["shard_io_warm"] = shard_io_warm(x1, out / "null-stage")

    baselines: dict = {}
    if "baselines" not in skip:
        say("baseline: classify vs PyMuPDF (bench/classify.py)")
        baselines["classify"] = classify_bench(folders["x1"], repeat=1 if args.quick else 3)
        say("baseline: Docling vs pdftotext vs PyMuPDF")
        baselines["extract"] = extraction_baselines(x1, folders["x1"], corpus_root, limit=None)
        say("baseline: dedup vs datatrove MinHash bare (bench/dedup.py)")
        baselines["dedup"] = dedup_bench(docs=400 if args.quick else 2000, repeats=1 if args.quick else 2,
                                         workdir=out / "dedup-bench", log_dir=log_dir)
    if "ocr" in stages:
        s = stages["ocr"]
        baselines["ocr"] = {"cpu (default)": {"pages": s["pages"], "pages_per_s": s["pages_per_s"],
                                              "pages_per_cpu_s": s["pages_per_cpu_s"], **ocr_quality(x1, corpus_root)}}
        if "baselines" not in skip:
            for engine in ("rapidocr", "tesseract"):
                say(f"baseline: OCR with {engine} alone on the same PDFs")
                # outside run-x1: that folder is a run (its report shows its stages only)
                t = stage("ocr", ["--input", f"{x1}/classify/ocr", "--output", f"{out}/baselines/ocr-{engine}",
                                  "--engine", engine], log_dir)
                baselines["ocr"][engine] = {"pages": t["pages"], "pages_per_s": t["pages_per_s"],
                                            "pages_per_cpu_s": t["pages_per_cpu_s"],
                                            **ocr_quality(out / "baselines", corpus_root, f"ocr-{engine}")}
    result["baselines"] = baselines
    result["routing"] = routing_accuracy(x1, corpus_root)
    if "samples" not in skip:
        say("extract-docling on the samples: native and layout pipelines (worker memory)")
        result["docling_samples"] = docling_on_samples(out, log_dir)

    if "scaling" not in skip:
        say("scaling: 2 workers")
        result["scaling"] = {"workers": scaling_workers(x1, log_dir)}
        say("scaling: 2x corpus")
        result["scaling"]["corpus"] = scaling_corpus(stages, x1, folders["x2"], out / "run-x2", log_dir, tasks)

    if "cc-index" not in skip:
        say("Common Crawl input: ranged reads of the PDF captures vs whole WARC files (bench/cc_index.py)")
        from bench import cc_index

        result["cc_index"] = cc_index.bench(out / "cc-index", repeats=1 if args.quick else 3)

    if "ocr-quality" not in skip:
        say("OCR quality set (tools/ocr_quality): every CPU engine on noisy scans of real PDFs")
        result["ocr_quality_set"] = ocr_quality_set(out / "ocr-quality", quick=args.quick)
        result["ocr_real_set"] = ocr_real_set(out / "ocr-real", quick=args.quick)

    result["targets"] = targets(result)
    result["load_after"] = [round(v, 2) for v in os.getloadavg()]
    result["bench_wall_s"] = round(time.perf_counter() - started, 1)
    (out / "bench.json").write_text(json.dumps(result, indent=1, default=str))
    (out / "bench.md").write_text(markdown(result))
    say(f"done: {out / 'bench.md'}, {out / 'bench.json'}, report {x1 / 'stats' / 'report.html'}")
    print(markdown(result))


if __name__ == "__main__":
    main()
