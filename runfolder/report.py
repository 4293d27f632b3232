"""`finepdfs report`: one self-contained HTML page about a run: routing, languages, tokens, extraction, failures,
the ledger, throughput per stage and duplicate clusters, as inline SVG plots (no network, no plotting library).

Everything is read from the run folder: each stage's ledgers, its output columns (only the small ones: never the
PDF bytes or the text) and datatrove's task logs and stats under ``<stage>/**/_logs/``. A stage that did not run
(no classify yet, OCR not installed) leaves its section with a note instead of a plot.
"""

from __future__ import annotations

import json
import posixpath
import re
import time
from collections import Counter
from datetime import datetime
from html import escape
from pathlib import Path

import click

from runfolder import svg
from runfolder.reader import find_stage_folders, ledger_folder, read_columns, router_threshold
from runfolder.reader import folder as _folder
from runfolder.summary import documents_summary, drops_by_language, ledger_summary
from shared import registry, schemas
from shared.config import EDU_FETCH_COMMAND as FETCH_COMMAND
from shared.outcomes import DUPLICATE_REASONS, describe
from shared.runner import UsageError

LOG_TIME_RE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) \|")
LAUNCH, DONE = "Launching pipeline for rank=", "Processing done for rank="
TASK_LOG_RE = re.compile(r"(^|/)_logs/logs/task_\d+\.log$")
TASK_STATS_RE = re.compile(r"(^|/)_logs/stats/\d+\.json$")
IO_STEP_RE = re.compile(r"- (READER|WRITER):")  # datatrove's step type prefix: "📖 - READER: 📒 Shards"
# From the registry: the stages that extract documents, and those whose output can be "the final documents"
# (the last one present wins: a run stopped after filter reports filter's output).
DOCUMENT_STAGES = tuple(s.name for s in registry.STAGES if s.writes == "documents")
FINAL_STAGES = tuple(s.name for s in reversed(registry.STAGES) if s.writes and s.writes.endswith("documents"))


# --- reading the run folder: runfolder/reader.py ---------------------------------------------------------


def _task_span(text: str) -> tuple[float, float] | None:
    """(start, end) epoch seconds of the last complete attempt recorded in a datatrove task log."""
    start = end = None
    for line in text.splitlines():
        if LAUNCH not in line and DONE not in line:
            continue
        match = LOG_TIME_RE.match(line)
        if not match:
            continue
        stamp = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()
        if LAUNCH in line:
            start, end = stamp, None
        elif start is not None:
            end = stamp
    return (start, end) if start is not None and end is not None else None


def stage_timing(stage_folder: str) -> dict | None:
    """Wall time and per-step time of a stage, from every datatrove ``_logs`` folder under it.

    A stage may run several datatrove pipelines (dedup's four MinHash steps): their tasks are all counted.
    ``wall_s`` is first task start to last task end; ``task_s`` sums the tasks (= busy worker seconds);
    ``shard_io_s`` is the time of the reader and writer steps (shard I/O, schema checks, ledger, publishing).
    """
    folder = _folder(stage_folder)
    if not folder.isdir(""):
        return None
    files = folder.list_files(recursive=True)
    spans, steps, shard_io = [], Counter(), 0.0
    for path in files:
        if TASK_LOG_RE.search(path):
            with folder.open(path, "rt", errors="replace") as f:
                span = _task_span(f.read())
            if span:
                spans.append(span)
        elif TASK_STATS_RE.search(path):
            with folder.open(path, "rt") as f:
                for step in json.load(f):
                    total = (step.get("time_stats") or {}).get("total") if isinstance(step.get("time_stats"), dict) \
                        else None
                    if total:
                        steps[_step_name(step["name"])] += total
                        if IO_STEP_RE.search(step["name"]):
                            shard_io += total
    if not spans:
        return None
    return {
        "tasks": len(spans),
        "wall_s": max(e for _, e in spans) - min(s for s, _ in spans),
        "task_s": sum(e - s for s, e in spans),
        "steps_s": dict(steps.most_common()),
        "shard_io_s": shard_io,
    }


def _step_name(name: str) -> str:
    """datatrove's "🔨 - EXTRACTOR: 🦆 Docling" -> "Docling"."""
    name = name.split(":", 1)[-1]
    return "".join(c for c in name if c.isascii()).strip() or name.strip()


def collect(pipeline_dir: str, threshold: float | None = None, final_summary: dict | None = None) -> dict:
    """Every number the report shows, as plain data (also written next to the page as JSON)."""

    ledger = ledger_summary(pipeline_dir)
    folders = find_stage_folders(pipeline_dir)
    # in pipeline order (the ledger's); a folder's name is its stage's name in `finepdfs run` and compose
    stages = {s: folders[s] for s in ledger if s in folders} | folders
    data: dict = {"pipeline_dir": pipeline_dir, "stages": list(stages), "ledger": ledger,
                  "drops_by_language": drops_by_language(pipeline_dir)}

    # routing
    if "classify" in stages:
        routed = read_columns(stages["classify"], [schemas.ROUTE, schemas.ROUTE_REASON, schemas.OCR_PROB])
        data["routing"] = {
            "routes": dict(Counter(routed[schemas.ROUTE].to_pylist()).most_common()),
            "reasons": dict(Counter(routed[schemas.ROUTE_REASON].to_pylist()).most_common()),
            "ocr_prob": [round(p, 4) for p in routed[schemas.OCR_PROB].to_pylist() if p is not None],
            "threshold": threshold,
        }

    # extraction: the documents datasets, before any filter
    extractors: Counter = Counter()
    for stage in DOCUMENT_STAGES:
        if stage in stages:
            extractors.update(read_columns(stages[stage], [schemas.EXTRACTOR])[schemas.EXTRACTOR].to_pylist())
    data["extractors"] = dict(extractors.most_common())

    # final documents
    final = next((s for s in FINAL_STAGES if s in stages), None)
    if final and final_summary is not None and final == FINAL_STAGES[0]:
        data["final"] = {"stage": final, **final_summary}
    elif final:
        wanted = [schemas.NUM_PAGES, schemas.LANGUAGE, schemas.SUBSET, schemas.TOKEN_COUNT, schemas.EXTRACTOR,
                  schemas.MINHASH_CLUSTER_SIZE, schemas.EDU_SCORE,
                  *[table + schemas.QUALITY_FAIL_SUFFIX for table in schemas.QUALITY_MEASUREMENTS]]
        table = read_columns(stages[final], wanted, partial=True)
        data["final"] = {"stage": final, **documents_summary(table)}

    # throughput, with pages from each stage's outputs
    throughput = {}
    for stage, folder in stages.items():
        timing = stage_timing(folder)
        if not timing:
            continue
        totals = data["ledger"].get(stage, {})
        pages = read_columns(folder, [schemas.NUM_PAGES])[schemas.NUM_PAGES].to_pylist()
        timing["docs"] = totals.get("docs_in", 0)
        timing["pages"] = sum(p or 0 for p in pages) if pages else None
        wall = timing["wall_s"] or float("nan")
        timing["docs_per_s"] = timing["docs"] / wall if timing["wall_s"] else None
        timing["pages_per_s"] = timing["pages"] / wall if timing["pages"] and timing["wall_s"] else None
        throughput[stage] = timing
    data["throughput"] = throughput
    data["lists"] = drop_and_error_lists(pipeline_dir, stages)
    return data


LISTED_ROWS = 50  # rows of each stage's drops / errors shown in the page (all of them are in the files linked)


def drop_and_error_lists(pipeline_dir: str, stages: dict[str, str]) -> dict:
    """Per stage: its drops and errors shard files (relative to the run folder) and their first rows."""


    lists = {}
    root = pipeline_dir.rstrip("/")
    for stage, folder in stages.items():
        entry = {}
        bookkeeping = ledger_folder(stage, folder)
        for kind, columns in (("drops", [schemas.ID, schemas.DROP_REASON, schemas.SOURCE, schemas.DETAILS]),
                              ("errors", [schemas.ID, schemas.ERROR_CLASS, schemas.SOURCE, schemas.ERROR_MESSAGE])):
            data = _folder(f"{bookkeeping}/{kind}")
            if not data.isdir(""):
                continue
            files = sorted(p for p in data.list_files(glob_pattern="[0-9]*.parquet"))
            rows = read_columns(f"{bookkeeping}/{kind}", columns, partial=True).to_pylist()
            if not rows:
                continue
            base = posixpath.relpath(data.resolve_paths("").rstrip("/"), _folder(root).resolve_paths("").rstrip("/"))
            entry[kind] = {"files": [f"{base}/{f}" for f in files], "count": len(rows), "rows": rows[:LISTED_ROWS]}
        if entry:
            lists[stage] = entry
    return lists


# --- the page ---------------------------------------------------------------------------------------------
CSS = """
body{font-family:system-ui,-apple-system,'DejaVu Sans',sans-serif;margin:0;background:#f6f7f9;color:#222}
header{background:#1f2d3d;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;color:#c9d3de;font-size:13px}
main{padding:12px 28px 40px;max-width:1240px}
section{background:#fff;border:1px solid #e1e4e8;border-radius:6px;margin:16px 0;padding:8px 18px 14px}
section h2{font-size:17px;margin:10px 0}.row{display:flex;flex-wrap:wrap;gap:18px}
figure{margin:0}figcaption{font-size:12px;color:#555;margin:4px 0 8px}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #e1e4e8;border-radius:6px;padding:8px 14px}
.card b{display:block;font-size:20px}.card span{font-size:12px;color:#666}
table{border-collapse:collapse;font-size:12px;margin:8px 0}th,td{border-bottom:1px solid #eee;padding:3px 8px;
text-align:right}th:first-child,td:first-child{text-align:left}.absent{color:#888;font-style:italic}
.bad{color:#c0392b;font-weight:bold}
h3{font-size:13px;margin:12px 0 4px}table.list td{text-align:left;max-width:420px;overflow-wrap:anywhere}
"""

# Runs in the browser after layout: records that every plot was drawn with a size and marks (the browser test
# reads these attributes from the DOM), so a broken SVG shows up as a missing attribute, not a blank box.
SCRIPT = """
document.addEventListener('DOMContentLoaded', function () {
  var plots = document.querySelectorAll('svg.plot'), drawn = 0;
  plots.forEach(function (svg) {
    var box = svg.getBoundingClientRect(), marks = svg.querySelectorAll('.mark').length;
    svg.setAttribute('data-rendered', box.width > 0 && box.height > 0 ? 'yes' : 'no');
    svg.setAttribute('data-marks', marks);
    if (box.width > 0 && box.height > 0) drawn++;
  });
  document.body.setAttribute('data-plots-drawn', drawn);
});
"""


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def _absent(name: str, why: str) -> str:
    return f'<p class="absent" data-absent="{escape(name)}">{escape(why)}</p>'


def _section(key: str, title: str, body: str) -> str:
    return f'<section id="{key}"><h2>{escape(title)}</h2>{body}</section>'


def _overview(data: dict) -> str:
    ledger, final = data["ledger"], data.get("final", {})
    first = next(iter(ledger.values()), {})
    cards = [("PDFs in", first.get("docs_in", 0)), ("documents out", final.get("documents", 0)),
             ("pages", final.get("pages", "-")), ("tokens", final.get("tokens", "-")),
             ("languages", len(final.get("by_language", {})) or "-"),
             ("failed (all stages)", sum(t["docs_failed"] for t in ledger.values())),
             ("dropped (all stages)", sum(t["docs_dropped"] for t in ledger.values()))]
    html = '<div class="cards">' + "".join(
        f'<div class="card"><b>{v:,}</b><span>{escape(k)}</span></div>' if isinstance(v, int)
        else f'<div class="card"><b>{escape(str(v))}</b><span>{escape(k)}</span></div>' for k, v in cards) + "</div>"
    unbalanced = [s for s, t in ledger.items() if not t["balanced"]]
    if unbalanced:
        html += f'<p class="bad">ledger does not balance for: {escape(", ".join(unbalanced))}</p>'
    return html


def _routing(data: dict) -> str:

    routing = data.get("routing")
    if not routing:
        return _absent("routing", "No classify stage in this run: every PDF went to Docling.")
    routes = list(routing["routes"].items())
    parts = [_figure(svg.bar_chart("route-split", "PDFs per route", routes, "PDFs"),
                     "Why: " + ", ".join(f"{v} by {k}" for k, v in routing["reasons"].items()) + ".")]
    threshold = routing.get("threshold")
    parts.append(_figure(
        svg.histogram("ocr-probability", "OCR probability of each PDF", routing["ocr_prob"], bins=20,
                      marker=threshold, marker_label=f"threshold {threshold:g}" if threshold is not None else ""),
        f"Router's p(ocr) over {len(routing['ocr_prob'])} PDFs; PDFs at or above the threshold (or with garbled "
        "text) go to OCR."))
    return '<div class="row">' + "".join(parts) + "</div>"


def _languages(data: dict) -> str:

    final = data.get("final") or {}
    if not final.get("by_language"):
        return _absent("languages", "No language-tagged documents (the filter stage did not run).")
    langs = sorted(final["by_language"].items(), key=lambda kv: -kv[1])
    parts = [_figure(svg.bar_chart("languages", "Documents per language", langs, "docs", color=svg.PALETTE[4]),
                     f"Final documents ({final['stage']}) per language.")]
    if final.get("tokens_by_language"):
        tokens = sorted(final["tokens_by_language"].items(), key=lambda kv: -kv[1])
        parts.append(_figure(svg.bar_chart("tokens-per-language", "Tokens per language", tokens, "tokens",
                                           color=svg.PALETTE[6]), "Token counts of the final documents."))
    else:
        parts.append(_absent("tokens-per-language", "No token counts (the tokenize stage did not run)."))
    low = (data.get("drops_by_language") or {}).get("lid_low_score")
    if low:
        parts.append(_figure(svg.bar_chart("lid-low-score-drops", "Dropped for a low language-ID score, per language",
                                           list(low.items()), "docs", color=svg.PALETTE[5]),
                             "filter's lid_low_score drops by the language ID's best guess (see filter/drops/)."))
    else:
        parts.append(_absent("lid-low-score-drops", "No document was dropped for a low language-ID score."))
    return '<div class="row">' + "".join(parts) + "</div>"


def _quality(data: dict) -> str:
    """The quality labels: FinePDFs' edu score (or why there is none) and the heuristic rules' verdicts."""

    final = data.get("final") or {}
    if not final.get("documents"):
        return _absent("quality", "No final documents.")
    scored, unscored = final.get("edu_scored") or {}, final.get("edu_unscored") or {}
    n_scored, n_unscored = sum(scored.values()), sum(unscored.values())
    edu = (f"<p>Educational quality (FinePDFs-Edu's classifier, column <code>edu_score</code>): "
           f"{n_scored:,} of {n_scored + n_unscored:,} final documents scored.")
    if n_unscored:
        languages = sorted({subset.removesuffix("_removed") for subset in unscored})
        edu += (f' <span class="bad">{n_unscored:,} documents have no score (null): the classifier\'s weights were '
                f"absent for {escape(', '.join(languages))}, or the step was off. Fetch them with "
                f"<code>{escape(FETCH_COMMAND.format(language=','.join(languages)))}</code> and run the filter "
                "again.</span>")
    edu += "</p>"
    fails = final.get("quality_fails") or {}
    if not fails:
        return edu + "<p>No final document fails a heuristic quality rule.</p>"
    chart = _figure(svg.bar_chart("quality-fails", "Documents per failed quality rule", list(fails.items()), "docs",
                                  color=svg.PALETTE[5]),
                    "Labels, not drops (FinePDFs' way): each final document's first failed rule per filter, in the "
                    "<code>*_fail</code> columns; filter with one line (stages/filter/README.md).")
    return edu + '<div class="row">' + chart + "</div>"


def _extraction(data: dict) -> str:

    parts = []
    if data.get("extractors"):
        parts.append(_figure(svg.bar_chart("extractors", "Documents per extractor", list(data["extractors"].items()),
                                           "docs", color=svg.PALETTE[0]), "Which engine produced each document."))
    else:
        parts.append(_absent("extractors", "No extracted documents yet."))
    failures = [(f"{stage}: {cls}", n) for stage, t in data["ledger"].items() for cls, n in t["failed"].items()]
    drops = [(f"{stage}: {reason}", n) for stage, t in data["ledger"].items() for reason, n in t["dropped"].items()]
    if failures:
        failures.sort(key=lambda kv: -kv[1])
        parts.append(_figure(svg.bar_chart("failure-reasons", "Failed documents by stage and error class", failures,
                                           "docs", color=svg.PALETTE[2]), "Error rows (see <stage>/errors/)."))
    else:
        parts.append(_absent("failure-reasons", "No document failed in any stage."))
    if drops:
        drops.sort(key=lambda kv: -kv[1])
        parts.append(_figure(svg.bar_chart("drop-reasons", "Dropped documents by stage and reason", drops, "docs",
                                           color=svg.PALETTE[5]), "Counted drops (see <stage>/drops/)."))
    names = sorted({label.split(": ", 1)[1] for label, _ in failures + drops})
    glossary = "".join(f"<tr><td>{escape(n)}</td><td>{escape(describe(n) or '?')}</td></tr>" for n in names)
    table = (f'<table class="glossary"><tr><th>error class / drop reason</th><th>what it means '
             f"(shared/outcomes.py)</th></tr>{glossary}</table>") if names else ""
    return '<div class="row">' + "".join(parts) + "</div>" + table


def _ledger(data: dict) -> str:

    ledger = data["ledger"]
    if not ledger:
        return _absent("ledger", "No stage ledgers found under this folder.")
    rows = [(stage, {"out": t["docs_out"], "dropped": t["docs_dropped"], "failed": t["docs_failed"]})
            for stage, t in ledger.items()]
    table = ["<table><tr><th>stage</th><th>shards</th><th>in</th><th>out</th><th>dropped</th><th>failed</th>"
             "<th>balanced</th></tr>"]
    for stage, t in ledger.items():
        ok = "yes" if t["balanced"] else '<span class="bad">NO</span>'
        table.append(f"<tr><td>{escape(stage)}</td><td>{t['shards']}</td><td>{t['docs_in']:,}</td>"
                     f"<td>{t['docs_out']:,}</td><td>{t['docs_dropped']:,}</td><td>{t['docs_failed']:,}</td>"
                     f"<td>{ok}</td></tr>")
    table.append("</table>")
    return ('<div class="row">' + _figure(svg.stacked_bars("ledger", "Ledger per stage", rows, svg.FATE_COLORS),
                                          "docs_in = out + dropped + failed, per stage.")
            + "".join(table) + "</div>")


def _throughput(data: dict) -> str:

    tp = data.get("throughput") or {}
    if not tp:
        return _absent("throughput", "No datatrove task logs found (stages run with --logging-dir elsewhere?).")
    docs = [(s, round(t["docs_per_s"], 2)) for s, t in tp.items() if t.get("docs_per_s")]
    pages = [(s, round(t["pages_per_s"], 2)) for s, t in tp.items() if t.get("pages_per_s")]
    parts = [_figure(svg.bar_chart("throughput-docs", "Documents per second per stage", docs, "docs/s",
                                   color=svg.PALETTE[3]), "Documents in / stage wall time (first task start to "
                                   "last task end; process start-up not included).")]
    if pages:
        parts.append(_figure(svg.bar_chart("throughput-pages", "Pages per second per stage", pages, "pages/s",
                                           color=svg.PALETTE[8]), "Pages in the stage's outputs / wall time."))
    table = ["<table><tr><th>stage</th><th>tasks</th><th>wall s</th><th>task s</th><th>docs</th><th>pages</th>"
             "<th>docs/s</th><th>pages/s</th><th>shard I/O</th><th>slowest step</th></tr>"]
    for stage, t in tp.items():
        step = next(iter(t["steps_s"].items()), None)
        io = f"{t['shard_io_s'] / t['task_s']:.1%}" if t["task_s"] else "-"
        table.append(
            f"<tr><td>{escape(stage)}</td><td>{t['tasks']}</td><td>{t['wall_s']:.1f}</td><td>{t['task_s']:.1f}</td>"
            f"<td>{t['docs']:,}</td><td>{'-' if t['pages'] is None else format(t['pages'], ',')}</td>"
            f"<td>{_fmt(t['docs_per_s'])}</td><td>{_fmt(t['pages_per_s'])}</td><td>{io}</td>"
            f"<td>{escape(step[0]) + f' ({step[1]:.1f} s)' if step else '-'}</td></tr>")
    table.append("</table><p>shard I/O: share of the task time in the reader and the shard writer (decoding, "
                 "schema checks, writing, ledger, publishing).</p>")
    return '<div class="row">' + "".join(parts) + "</div>" + "".join(table)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:,.2f}"


def _duplicates(data: dict) -> str:

    final = data.get("final") or {}
    sizes = final.get("duplicate_cluster_sizes") or {}
    dup_drops = [(f"{stage}: {reason}", n) for stage, t in data["ledger"].items()
                 for reason, n in t["dropped"].items() if reason in DUPLICATE_REASONS]
    parts = []
    if sizes:
        items = sorted(((f"{k} docs", v) for k, v in sizes.items()), key=lambda kv: int(kv[0].split()[0]))
        parts.append(_figure(svg.bar_chart("duplicate-clusters", "MinHash clusters by size", items, "clusters",
                                           color=svg.PALETTE[7]),
                             "Each cluster keeps one document; the others are dropped as minhash duplicates."))
    else:
        parts.append(_absent("duplicate-clusters", "No near-duplicate clusters (or no dedup stage) in this run."))
    if dup_drops:
        parts.append(_figure(svg.bar_chart("duplicate-drops", "Documents removed as duplicates", dup_drops, "docs",
                                           color=svg.PALETTE[1]), "Exact (PDF bytes, text) and MinHash duplicates."))
    return '<div class="row">' + "".join(parts) + "</div>"


def _lists(data: dict, run_prefix: str = "../") -> str:
    """Every stage's drop and error lists: links to the Parquet files, and their first rows."""

    lists = data.get("lists") or {}
    if not lists:
        return _absent("lists", "No document was dropped or failed in any stage.")
    parts = ['<p>Every document a stage removed or could not process is a row of its <code>drops/</code> or '
             '<code>errors/</code> dataset (Parquet). <code>finepdfs show RUN ID_OR_PATH</code> tells one '
             "document's whole journey.</p>"]
    for stage, entry in lists.items():
        for kind, listed in entry.items():
            links = " ".join(f'<a class="file" href="{escape(run_prefix + f, quote=True)}">{escape(f)}</a>'
                             for f in listed["files"])
            parts.append(f'<h3 data-list="{escape(stage)}-{kind}">{escape(stage)}: {listed["count"]:,} {kind} '
                         f"&middot; {links}</h3>")
            head = ("reason", "details") if kind == "drops" else ("error class", "message")
            keys = (schemas.DROP_REASON, schemas.DETAILS) if kind == "drops" else (schemas.ERROR_CLASS,
                                                                                    schemas.ERROR_MESSAGE)
            rows = []
            for row in listed["rows"]:
                values = [str(row.get(schemas.ID) or "")[:16], row.get(schemas.SOURCE), row.get(keys[0]),
                          row.get(keys[1])]
                rows.append("<tr>" + "".join(f"<td>{escape(str(v if v is not None else '')[:300])}</td>"
                                             for v in values) + "</tr>")
            more = listed["count"] - len(listed["rows"])
            parts.append(f'<table class="list"><tr><th>id</th><th>source</th><th>{head[0]}</th><th>{head[1]}</th>'
                         f"</tr>{''.join(rows)}</table>" + (f"<p>... and {more:,} more in the files.</p>" if more else ""))
    return "".join(parts)


def render_html(data: dict, run_prefix: str = "../") -> str:
    """The page; ``run_prefix``: the run folder as seen from the page (links to the drop and error files)."""
    sections = [
        ("overview", "Overview", _overview(data)),
        ("routing", "Routing: Docling or OCR", _routing(data)),
        ("languages", "Languages and tokens", _languages(data)),
        ("quality", "Quality labels and educational score", _quality(data)),
        ("extraction", "Extraction, failures and drops", _extraction(data)),
        ("ledger", "Ledger per stage", _ledger(data)),
        ("throughput", "Throughput per stage", _throughput(data)),
        ("duplicates", "Duplicates", _duplicates(data)),
        ("lists", "Dropped and failed documents: the lists", _lists(data, run_prefix)),
    ]
    body = "".join(_section(k, t, b) for k, t, b in sections)
    generated = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>finepdfs run report: {escape(data['pipeline_dir'])}</title><style>{CSS}</style></head>"
        f"<body><header><h1>finepdfs run report</h1><p>{escape(data['pipeline_dir'])} &middot; "
        f"stages: {escape(', '.join(data['ledger']) or 'none')} &middot; generated {escape(generated)}</p></header>"
        f"<main>{body}</main><script>{SCRIPT}</script></body></html>\n"
    )


def write_report(pipeline_dir: str, output: str, threshold: float | None = None,
                 final_summary: dict | None = None) -> str:
    """The report of a run folder as ``output`` (HTML) and the numbers behind it beside it (JSON)."""

    data = collect(pipeline_dir, threshold=threshold, final_summary=final_summary)
    folder, name = output.rsplit("/", 1) if "/" in output else (".", output)
    out = _folder(folder)
    prefix = posixpath.relpath(_folder(pipeline_dir).resolve_paths("").rstrip("/"),
                               out.resolve_paths("").rstrip("/")) + "/"
    with out.open(name, "wt") as f:
        f.write(render_html(data, prefix))
    with out.open(Path(name).with_suffix(".json").name, "wt") as f:
        json.dump(data, f, indent=1, default=str)
    return output


@click.command("report")
@click.option("--run", "run_folder", default="out", show_default=True, help="Run folder: one subfolder per stage.")
@click.option("--output", "-o", default=None, help="HTML file. Default: RUN/stats/report.html")
def command(run_folder: str, output: str | None) -> None:
    """Write a self-contained HTML report of a run (plots of routing, languages, tokens, extraction, failures,
    ledger, throughput and duplicates) and the numbers behind it as JSON beside it. The stats stage writes it at
    the end of every run; this command writes it again (e.g. for a run folder of an older version)."""

    if not _folder(run_folder).isdir(""):
        raise UsageError(f"report: no run folder {run_folder}")
    output = output or f"{run_folder.rstrip('/')}/stats/report.html"
    # the threshold classify ran with, as its manifest recorded it
    click.echo(f"report: {write_report(run_folder, output, router_threshold(run_folder))}", err=True)
