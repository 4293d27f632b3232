"""`finepdfs run`: the whole pipeline on one machine, every stage of shared/registry.py in order.

    OUT/ingest -> OUT/classify/{docling,ocr} -> OUT/extract-docling + OUT/ocr -> OUT/filter/<lang>
    -> OUT/dedup/<lang> -> OUT/tokenize/<lang> (the released dataset) -> OUT/stats (summary.md, report.html)

Every stage gets the same --tasks (each writes that many shards), and skips the shards it already completed, so a
second run is a no-op and an interrupted run resumes. A stage's settings are given as `--<stage>-<setting>`
(`--ocr-engine tesseract`), as FINEPDFS_<STAGE>_<SETTING> in the environment, or in the --config file.

One Common Crawl snapshot's PDFs, as FinePDFs reads them (the columnar index, each PDF capture read by byte
range, the captures Common Crawl truncated fetched again from their URLs):

\b
    finepdfs run --input cc-index://CC-MAIN-2024-10 --output out-2024-10 --tasks 64
"""

from __future__ import annotations

import time

import click

from shared import registry
from shared.cli import common_options, run_settings, setting_options, settings_from_flags
from shared.config import ConfigError, stage_settings
from shared.runner import UsageError, check_manifest, make_runs, run_step, stage_module


def _prefix(stage: registry.Stage) -> str:
    return f"{stage.name}-"


# The stage CLI's common options that `finepdfs run` shares, by name (its --input / --output have defaults).
SHARED_OPTIONS = ("tasks", "workers", "config", "force")


def _options() -> list[click.Option]:
    shared = {option.name: option for option in common_options() if option.name in SHARED_OPTIONS}
    options = [
        click.Option(["--input", "-i", "input"], default="samples/pdfs", show_default=True,
                     help="Folder (or URI) of PDFs and/or WARC files; or Common Crawl's index: cc-index://CRAWL "
                     "(e.g. cc-index://CC-MAIN-2024-10) or a path / URI of its Parquet files."),
        click.Option(["--output", "-o", "output"], default="out", show_default=True,
                     help="Run folder: one subfolder per stage."),
        *(shared[name] for name in SHARED_OPTIONS),
        click.Option(["--verbose", "-v", "verbose"], is_flag=True, default=False,
                     help="Also print datatrove's logs (pipeline, files, per-task stats) here; they are always in "
                     "OUT/<stage>/_logs/logs/."),
    ]
    for stage in registry.STAGES:
        options += setting_options(stage.name, prefix=_prefix(stage))
    return options


def _module_or_none(stage):
    try:
        return stage_module(stage)
    except ModuleNotFoundError:
        return None


def _counts(reasons: dict) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))


def stage_line(stage: registry.Stage, totals: dict) -> str:
    """One stage's ledger in a line: in -> out, drops and failures with their reasons."""
    if not totals.get("shards"):
        return "done"
    line = f"{totals['docs_in']:,} in -> {totals['docs_out']:,} out"
    outputs = {k: v for k, v in totals.get("outputs", {}).items() if k}
    if outputs and len(outputs) <= 8:
        line += f" ({_counts(outputs)})"
    elif outputs:
        line += f" ({len(outputs)} subsets)"
    if totals["docs_dropped"]:
        line += f", {totals['docs_dropped']:,} dropped ({_counts(totals['dropped'])})"
    if totals.get("removed"):
        line += f", of which kept in {_counts(totals['removed'])}"
    if totals["docs_failed"]:
        line += f", {totals['docs_failed']:,} failed ({_counts(totals['failed'])})"
    return line


def stage_totals(stage: registry.Stage, out: str) -> dict:
    from shared.ledger import merge_ledgers, read_stage_ledgers

    return merge_ledgers(read_stage_ledgers(stage.ledger_folder(stage.output_uri(out))))


def _complete(run) -> bool:
    from datatrove.io import get_datafolder

    from shared.ledger import ledger_filename

    output = get_datafolder(run.output)
    return all(output.isfile(ledger_filename(rank)) for rank in range(run.tasks))


def run_pipeline(input: str, output: str, tasks: int | None, workers: int | None, config: str | None,
                 flags: dict, force: bool = False, verbose: bool = False) -> int:
    """Every stage in order. The terminal shows one line per stage (its ledger) and a summary; datatrove's own
    logs (the pipeline, each file, each task's stats) stay in OUT/<stage>/**/_logs/ (``verbose``: also here)."""
    from rich.console import Console

    from shared.shards import FolderLock, FolderLocked

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        with FolderLock(output, "run", f"the run folder {output}"):  # one `finepdfs run` per run folder
            return _run_pipeline(input, output, tasks, workers, config, flags, force, verbose, console)
    except FolderLocked as error:
        raise UsageError(str(error)) from None


def _run_pipeline(input, output, tasks, workers, config, flags, force, verbose, console) -> int:
    from contextlib import nullcontext

    from shared.console import quiet_datatrove

    out = output.rstrip("/")
    tasks, workers = run_settings(config, tasks, workers)
    plan = []
    for stage in registry.STAGES:
        if _module_or_none(stage) is None:
            raise UsageError(f"stage {stage.name} is not installed here: pip install "
                             f"'finepdfs-stages[{stage.pyproject_extra}]' (or `scripts/just run`)")
        settings = stage_settings(stage.name, config, settings_from_flags(stage.name, flags, _prefix(stage)))
        plan.append((stage, settings))
    console.print(f"[bold]finepdfs run[/bold]: {input} -> {out}  ({len(plan)} stages, {tasks} task(s) each, "
                  f"{workers} at a time; full logs: {out}/<stage>/_logs/logs/)")
    started = time.monotonic()
    with nullcontext() if verbose else quiet_datatrove():
        for i, (stage, settings) in enumerate(plan, 1):
            start = time.monotonic()
            runs = make_runs(stage, stage.input_uris(out, input), stage.output_uri(out), settings, tasks,
                             workers=workers, config=config, force=force)
            label = f"[{i}/{len(plan)}] {stage.name:<16}"
            if all(_complete(run) for run in runs):
                for run in runs:  # the same step as before? (other settings stop here; --force redoes)
                    check_manifest(run)
                if all(_complete(run) for run in runs):
                    console.print(f"{label} already complete, skipped: "
                                  f"{stage_line(stage, stage_totals(stage, out))}")
                    continue
            console.print(f"{label} running" + (f" ({', '.join(stage.step_names)})" if stage.multi_step else ""))
            for run in runs:
                code = run_step(run, announce=verbose)
                if code:
                    console.print(f"[red]{label} failed (exit {code}): see {run.logs}/logs/; fix the cause and "
                                  "re-run: completed shards are kept[/red]")
                    return code
            console.print(f"{label} {stage_line(stage, stage_totals(stage, out))}  "
                          f"[dim]{time.monotonic() - start:.1f} s[/dim]")
    print_summary(console, out, time.monotonic() - started)
    return 0


def print_summary(console, out: str, seconds: float) -> None:
    """The final dataset per subset (documents, tokens) and where to look next."""
    import json

    from datatrove.io import get_datafolder

    folder = get_datafolder(f"{out}/stats")
    documents = {}
    if folder.isfile("stats.json"):
        with folder.open("stats.json", "rt") as f:
            documents = json.load(f).get("documents", {})
    from runfolder.reader import final_folder

    final = final_folder(out)
    console.print(f"[bold green]done[/bold green] in {seconds:.0f} s. Final dataset: {final} "
                  f"({documents.get('documents', 0):,} documents, {documents.get('tokens', 0):,} tokens)")
    by_subset, tokens = documents.get("by_language", {}), documents.get("tokens_by_language", {})
    for subset in sorted(by_subset, key=lambda s: (-by_subset[s], s)):
        console.print(f"  {subset:<24}{by_subset[subset]:>8,} docs{tokens.get(subset, 0):>12,} tokens")
    console.print(f"report: {out}/stats/report.html   summary: {out}/stats/summary.md")
    console.print(f"next: finepdfs inspect {out}  |  finepdfs show {out} FILE_OR_ID  |  "
                  f"finepdfs release {out} DEST")


def _callback(input, output, tasks, workers, config, force, verbose, **flags):
    try:
        code = run_pipeline(input, output, tasks, workers, config, flags, force=force, verbose=verbose)
    except ConfigError as error:
        raise UsageError(str(error)) from None
    raise SystemExit(code)


command = click.Command(
    "run", callback=_callback, params=_options(), help=__doc__.split("\n\n", 1)[1].strip(),
    short_help="The whole pipeline on this machine (every stage, in order).",
)
