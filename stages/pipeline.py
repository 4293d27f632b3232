"""`finepdfs run`: the whole pipeline on one machine, each stage through its own CLI command in order.

    OUT/ingest -> OUT/classify/{docling,ocr} -> OUT/extract-docling + OUT/ocr -> OUT/filter/<lang>
    -> OUT/dedup/<lang> -> OUT/tokenize/<lang> (the released dataset) -> OUT/stats (+ OUT/report.html)

Every stage skips the shards it already completed, so a second run is a no-op and an interrupted run resumes.
A stage whose code is not installed here is reported and skipped (the run says what it did instead).
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from typing import Annotated

import typer
from rich.console import Console

from shared.cli import ConfigOpt, WorkersOpt

console = Console(stderr=True)


class StageFailed(RuntimeError):
    pass


def _stage_command(module: str) -> Callable | None:
    try:
        return importlib.import_module(module).command
    except (ModuleNotFoundError, AttributeError):
        return None


def _run(name: str, command: Callable, **kwargs) -> float:
    console.rule(f"[bold]{name}")
    start = time.monotonic()
    try:
        command(**kwargs)
        code = 0
    except typer.Exit as exit_:
        code = exit_.exit_code
    if code:
        raise StageFailed(f"stage {name} failed with exit code {code}; fix the cause and re-run: completed "
                          "shards are kept")
    return time.monotonic() - start


def command(
    input: Annotated[str, typer.Option("--input", "-i", help="Folder of PDFs and/or WARC files.")] = "samples/pdfs",
    output: Annotated[str, typer.Option("--output", "-o", help="Run folder: one subfolder per stage.")] = "out",
    tasks: Annotated[int, typer.Option("--tasks", help="Shards made by ingest; later stages follow them.")] = 1,
    workers: WorkersOpt = 1,
    config: ConfigOpt = None,
    ocr_engine: Annotated[str | None, typer.Option(help="OCR engine (see `finepdfs ocr --help`).")] = None,
) -> None:
    """Run ingest -> classify -> extract-docling / ocr -> filter -> dedup -> tokenize -> stats locally."""
    out = output.rstrip("/")
    common = dict(workers=workers, config=config)
    timings: dict[str, float] = {}
    try:
        timings["ingest"] = _run("ingest", _stage_command("stages.ingest.cli"),
                                 input=input, output=f"{out}/ingest", tasks=tasks, **common)

        classify = _stage_command("stages.classify.cli")
        if classify:
            timings["classify"] = _run("classify", classify, input=f"{out}/ingest", output=f"{out}/classify",
                                       **common)
            docling_input, ocr_input = f"{out}/classify/docling", f"{out}/classify/ocr"
        else:
            console.print("[yellow]classify is not available: every PDF goes to Docling[/yellow]")
            docling_input, ocr_input = f"{out}/ingest", None

        timings["extract-docling"] = _run("extract-docling", _stage_command("stages.extract_docling.cli"),
                                          input=docling_input, output=f"{out}/extract-docling", **common)
        documents = [f"{out}/extract-docling"]

        ocr = _stage_command("stages.ocr.cli")
        if ocr_input and ocr:
            ocr_kwargs = {"engine": ocr_engine} if ocr_engine else {}
            timings["ocr"] = _run("ocr", ocr, input=ocr_input, output=f"{out}/ocr", **ocr_kwargs, **common)
            documents.append(f"{out}/ocr")
        elif ocr_input:
            console.print("[yellow]ocr is not available: PDFs routed to OCR are not extracted[/yellow]")

        final = ",".join(documents)
        filter_ = _stage_command("stages.filter.cli")
        if filter_:
            timings["filter"] = _run("filter", filter_, input=final, output=f"{out}/filter", **common)
            final = f"{out}/filter"
            dedup = _stage_command("stages.dedup.cli")
            if dedup:
                timings["dedup"] = _run("dedup", dedup, input=final, output=f"{out}/dedup", **common)
                final = f"{out}/dedup"
            tokenize = _stage_command("stages.tokenize.cli")
            if tokenize:
                timings["tokenize"] = _run("tokenize", tokenize, input=final, output=f"{out}/tokenize", **common)
                final = f"{out}/tokenize"

        timings["stats"] = _run("stats", _stage_command("stages.stats.cli"), input=final,
                                output=f"{out}/stats", pipeline_dir=out, **common)
        report = _stage_command("stages.stats.report")
        if report:
            _run("report", report, pipeline_dir=out, output=f"{out}/report.html", config=config)
    except StageFailed as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error

    console.rule("[bold green]done")
    console.print(f"final dataset: {final}   stats: {out}/stats/summary.md")
    console.print("stage wall times: " + ", ".join(f"{k} {v:.1f}s" for k, v in timings.items()))
