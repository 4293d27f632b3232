"""`python -m tools.eval_quality.external` (`just eval-external`): every system on every suite, one invocation.

Suites (tools/eval_quality/suites.py): ``own`` (our 83 labelled pages, olmOCR-bench checks: a development
set, we tuned on it), ``docling`` (text similarity and table TEDS against Docling's layout pipeline),
``icdar2013`` (table TEDS against the competition's cell structure), ``pdfbox`` (text similarity against
PDFBox's expected text), ``docling-papers`` (three whole arXiv papers, measured as ``docling``), ``tabula``
and ``camelot`` (table TEDS against the tables tabula-java's and camelot's tests expect), ``docling-odf`` (PDFs
exported from OpenDocument files, against the Markdown Docling's ODF reader made from the source file, measured
as ``docling``), ``docbank`` (one page of each of DocBank's arXiv papers cut out alone, olmOCR-bench checks
built from its token labels, which come from the papers' LaTeX source: pass rates, scored as ``own``),
``grobid`` (whole papers, olmOCR-bench checks made from GROBID's annotators' labels: running heads and page
numbers absent from their page, footnotes, headings and body lines present), ``arxiv`` (whole arXiv papers
against arXiv's LaTeXML HTML of the same source, measured as ``docling``), ``lawreview`` (whole US law-review
articles, olmOCR-bench checks made from the journals' web pages of the same articles: body paragraphs and
footnotes present, body paragraphs in order), ``tagged`` (pages of tagged PDFs cut out alone, table TEDS
against the tables of the PDF's own structure tree, written by the authoring application). Each
external suite is reported for its development part and its held-out part apart; one
whose folder is missing (not prepared) is named in the report as not run, a document whose PDF is missing as
skipped. Each system runs in its own child process, timed there (CPU of the
conversions, child processes included: pdftotext is one). Writes OUT/report.md, OUT/report.json and
OUT/<suite>/<system>.json (page texts).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import platform
import re
import resource
import time
import unicodedata
from pathlib import Path

from tools.eval_quality.fetch import REPO_ROOT
from tools.eval_quality.score import check_kind, run_doc_checks
from tools.eval_quality.suites import DEV, HELD_OUT, MORE_SOURCES, READERS, SOURCES, Doc, load, skipped
from tools.eval_quality.systems import SYSTEMS
from tools.eval_quality.teds import best_teds, markdown_tables

DEFAULT_OUT = REPO_ROOT / "build" / "eval-external"
EXTERNAL = tuple(READERS)  # the suites' one list (suites.py)
DEFAULT_SUITES = ("own", *EXTERNAL)
DEFAULT_SYSTEMS = ("ours", "pymupdf4llm", "docling-native", "pdftotext")
SPLITS = (DEV, HELD_OUT)

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$", re.M)
_MARKUP_START = re.compile(r"^\s*(#{1,6}\s+|[-*+]\s+|>\s*)", re.M)


def plain_text(text: str) -> str:
    """Text without Markdown markup (headings, bullets, emphasis, table rules and pipes, image comments),
    NFKC (ligatures spelled out), whitespace collapsed, byte-order marks out (PDFBox's truth files start with
    one: it is no text, and on a one-word document it weighed as a missing letter): what is compared is the
    words and their order."""
    text = _COMMENT.sub(" ", text).replace("\ufeff", "")
    text = _TABLE_RULE.sub(" ", text)
    text = _MARKUP_START.sub("", text)
    text = text.replace("|", " ").replace("**", "").replace("__", "").replace("`", "")
    return " ".join(unicodedata.normalize("NFKC", text).split())


def text_similarity(truth: str, predicted: str) -> float:
    """1 - normalized indel distance of the two plain texts (rapidfuzz's ratio)."""
    from rapidfuzz import fuzz

    return fuzz.ratio(plain_text(truth), plain_text(predicted)) / 100.0


def _cpu_seconds() -> float:
    """CPU of this process (all threads) and of its finished children (pdftotext)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _run_system(name: str, docs: list[tuple[str, str]], out: str) -> dict:
    """In the child: build the system, convert every document, write its page texts, time it."""
    start = _cpu_seconds()
    try:
        pages_of = SYSTEMS[name]()
    except SystemExit as stop:  # a system that cannot run here says why: in a pool's worker an exit is no error
        raise RuntimeError(str(stop)) from None  # the parent gets, it kills the worker and the parent waits forever
    setup_cpu = _cpu_seconds() - start
    cpu = 0.0
    pages = 0
    texts: dict[str, list[str]] = {}
    errors = {}
    for doc_id, path in docs:
        data = Path(path).read_bytes()
        t0 = _cpu_seconds()
        try:
            texts[doc_id] = pages_of(data)
            pages += len(texts[doc_id])
        except Exception as error:  # noqa: BLE001 - a document a system cannot convert is its failure
            errors[doc_id] = f"{type(error).__name__}: {error}"[:300]
        cpu += _cpu_seconds() - t0
    Path(out).write_text(json.dumps(texts, ensure_ascii=False))
    return {"extractor": getattr(pages_of, "extractor", name), "pages": pages, "cpu_s": cpu,
            "setup_cpu_s": setup_cpu, "errors": errors}


def score_doc(doc: Doc, pages: list[str] | None) -> dict:
    """One document's scores: text similarity (when the suite has text truth), TEDS per truth table, each
    olmOCR-bench check passed or failed (scored as the own suite's, run.py: olmOCR's own classes)."""
    if doc.truth_checks:  # on the whole document, or on one page of it (score.run_doc_checks)
        results = run_doc_checks(doc.truth_checks, pages)
        checks = [{"id": r["id"], "kind": check_kind(r["id"], r["type"]), "passed": r["passed"], "why": r["why"]}
                  for r in results]
    pages = pages if pages is not None else []
    scores: dict = {"checks": checks} if doc.truth_checks else {}
    if doc.truth_text is not None:
        scores["text"] = text_similarity(doc.truth_text, "\n\n".join(pages))
    if doc.truth_tables:
        everywhere = [t for p in pages for t in markdown_tables(p)]
        tables = []
        for page, truth in doc.truth_tables:
            candidates = (markdown_tables(pages[page - 1]) if page and page <= len(pages) else
                          [] if page else everywhere)
            tables.append(best_teds(truth, candidates))
        scores["teds"] = tables
    return scores


def summarize(docs: list[Doc], scored: dict[str, dict]) -> dict:
    """Per split: mean text similarity over documents, mean TEDS over truth tables, the pass rate of the
    checks (all pooled, and per kind)."""
    out = {}
    for split in SPLITS:
        part = [d for d in docs if d.split == split]
        text = [scored[d.doc_id]["text"] for d in part if "text" in scored[d.doc_id]]
        teds = [t for d in part for t in scored[d.doc_id].get("teds", [])]
        checks = [c for d in part for c in scored[d.doc_id].get("checks", [])]
        out[split] = {"docs": len(part), "tables": len(teds),
                      "text": sum(text) / len(text) if text else None,
                      "teds": sum(teds) / len(teds) if teds else None,
                      "checks": len(checks), "pass": _pass_rate(checks),
                      "by_kind": {kind: {"n": len(of), "pass": _pass_rate(of)} for kind, of in _by_kind(checks)}}
    return out


def _pass_rate(checks: list[dict]) -> float | None:
    return sum(c["passed"] for c in checks) / len(checks) if checks else None


def _by_kind(checks: list[dict]) -> list[tuple[str, list[dict]]]:
    kinds: dict[str, list[dict]] = {}
    for check in checks:
        kinds.setdefault(check["kind"], []).append(check)
    return sorted(kinds.items())


def run(suites: list[str], systems: list[str], out: Path, split: str | None = None,
        folders: dict[str, Path] | None = None, log=print) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    report: dict = {"machine": platform.platform(), "suites": {}, "speed": {}, "not_run": {}, "skipped": {}}
    context = multiprocessing.get_context("spawn")
    speed: dict[str, list[float]] = {s: [0, 0.0] for s in systems}
    for suite in suites:
        if suite == "own":
            from tools.eval_quality import run as own

            log(f"eval-external: own suite (development set) with {', '.join(systems)} ...")
            result = own.run(systems, out / "own", log=log)
            report["suites"]["own"] = {"split": "development set (labelled and tuned on by us)", "systems": {
                n: {"overall": r["overall"], "by_type": r["by_type"], "by_batch": r["by_batch"],
                    "pages": r["pages"], "cpu_s": r["cpu_s"]} for n, r in result["systems"].items()},
                "checks": result["checks"], "pages": result["pages"]}
            continue
        try:
            docs = load(suite, (folders or {}).get(suite))
        except FileNotFoundError as missing:
            log(f"eval-external: {missing}")
            report["not_run"][suite] = str(missing)
            continue
        for doc_id, why in skipped(suite, (folders or {}).get(suite)).items():
            log(f"eval-external: {suite}: {doc_id} skipped: {why}")
            report["skipped"][f"{suite}/{doc_id}"] = why
        if split:
            docs = [d for d in docs if d.split == split]
        folder = out / suite
        folder.mkdir(parents=True, exist_ok=True)
        report["suites"][suite] = {"source": vars(SOURCES[suite]), "docs": len(docs), "systems": {}}
        if suite in MORE_SOURCES:
            report["suites"][suite]["more_sources"] = [vars(s) for s in MORE_SOURCES[suite]]
        for name in systems:
            log(f"eval-external: {suite}: {name} on {len(docs)} documents ...")
            with context.Pool(1) as pool:
                timing = pool.apply(_run_system, (name, [(d.doc_id, str(d.pdf)) for d in docs],
                                                  str(folder / f"{name}.json")))
            texts = json.loads((folder / f"{name}.json").read_text())
            scored = {d.doc_id: score_doc(d, texts.get(d.doc_id)) for d in docs}
            summary = summarize(docs, scored)
            report["suites"][suite]["systems"][name] = {**summary, **timing, "per_doc": scored}
            speed[name][0] += timing["pages"]
            speed[name][1] += timing["cpu_s"]
            log(f"eval-external: {suite}: {name}: " + "; ".join(
                f"{s} text {_fmt(v['text'])} teds {_fmt(v['teds'])} checks {_fmt(v['pass'])}"
                for s, v in summary.items()))
    for name, (pages, cpu) in speed.items():
        report["speed"][name] = {"pages": pages, "cpu_s": cpu, "pages_per_cpu_s": pages / cpu if cpu else None}
    (out / "report.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    (out / "report.md").write_text(render_markdown(report, systems))
    return report


def _fmt(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def _check_rows(suite: str, split: str, rows: dict, systems: list[str]) -> list[str]:
    """A suite's check rows for one split: one per kind of check, then all checks pooled."""
    first = next(iter(rows.values()))[split]
    lines = [f"| {suite} | {split} | {kind['n']} checks | {name} | " + " | ".join(
        _fmt(rows.get(s, {}).get(split, {}).get("by_kind", {}).get(name, {}).get("pass")) for s in systems) + " |"
        for name, kind in first["by_kind"].items()]
    lines.append(f"| {suite} | {split} | {first['checks']} checks | **pass rate** | " + " | ".join(
        _fmt(rows.get(s, {}).get(split, {}).get("pass")) for s in systems) + " |")
    return lines


def render_markdown(report: dict, systems: list[str]) -> str:
    lines = ["# Text quality on suites we did not label", "",
             "Text: 1 - normalized indel distance of the plain texts (Markdown markup out), mean over documents. "
             "TEDS: tree-edit-distance similarity of each truth table to the closest Markdown table the system "
             "wrote on its page, mean over truth tables. Checks: olmOCR-bench's pass rate, per kind of check and "
             "pooled. Held-out: a third of each suite by hash, not looked at while tuning.", "",
             "| suite | part | n | measure | " + " | ".join(systems) + " |",
             "|---|---|---:|---|" + "---:|" * len(systems)]
    for suite, data in report["suites"].items():
        if suite == "own":
            row = data["systems"]
            lines.append(f"| own (olmOCR-bench checks, **development set**) | all | {data['checks']} checks | "
                         "pass rate | " + " | ".join(_fmt(row.get(s, {}).get("overall")) for s in systems) + " |")
            continue
        rows = data["systems"]
        for split in SPLITS:
            first = next(iter(rows.values()))[split] if rows else {}
            if first.get("checks"):
                lines += _check_rows(suite, split, rows, systems)
            for measure in ("text", "teds"):
                if first.get(measure) is None:
                    continue
                n = f"{first['docs']} docs" if measure == "text" else f"{first['tables']} tables"
                lines.append(f"| {suite} | {split} | {n} | {measure} | " +
                             " | ".join(_fmt(rows.get(s, {}).get(split, {}).get(measure)) for s in systems) + " |")
    lines += [f"| {suite} | | | not run (no folder: not prepared) |" + " |" * len(systems)
              for suite in report.get("not_run", {})]
    lines.append("| all external suites | | | pages per CPU second | " + " | ".join(
        _fmt(report["speed"].get(s, {}).get("pages_per_cpu_s")) for s in systems) + " |")
    lines += ["", "Sources: " + "; ".join(
        f"`{s}` = github.com/{d['source']['repo']} at {d['source']['commit'][:12]} (truth by "
        f"{d['source']['producer']}; {d['source']['licence']})" + "".join(
            f" and github.com/{m['repo']} at {m['commit'][:12]} ({m['licence']})" for m in d.get("more_sources", []))
        for s, d in report["suites"].items() if s != "own"),
        ""]
    if report.get("skipped"):
        lines += ["Skipped (truth without its PDF): " + "; ".join(
            f"`{name}`: {why}" for name, why in report["skipped"].items()), ""]
    extractors = {}
    for data in report["suites"].values():
        for name, row in data.get("systems", {}).items():
            if "extractor" in row:
                extractors[name] = row["extractor"]
    lines += ["Systems: " + "; ".join(f"`{n}` = {e}" for n, e in extractors.items()), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.eval_quality.external",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--suites", default=",".join(DEFAULT_SUITES), help="comma-separated (default: %(default)s)")
    parser.add_argument("--systems", default=",".join(DEFAULT_SYSTEMS),
                        help=f"comma-separated, of: {', '.join(SYSTEMS)} (default: %(default)s)")
    parser.add_argument("--split", choices=SPLITS, help="only this part of each external suite (default: both)")
    parser.add_argument("--suite-dir", action="append", default=[], metavar="SUITE=PATH",
                        help="read a suite from this folder (default: ../shared/external or the cache)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="report folder (default: %(default)s)")
    args = parser.parse_args(argv)
    suites = [s.strip() for s in args.suites.split(",") if s.strip()]
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = [s for s in systems if s not in SYSTEMS] + [s for s in suites if s not in DEFAULT_SUITES]
    if unknown:
        parser.error(f"unknown {unknown}; systems: {', '.join(SYSTEMS)}; suites: {', '.join(DEFAULT_SUITES)}")
    folders = {}
    for item in args.suite_dir:
        suite, _, path = item.partition("=")
        folders[suite] = Path(path)
    run(suites, systems, args.out, args.split, folders)
    print((args.out / "report.md").read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
