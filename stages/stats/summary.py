"""Run-level numbers: every stage's ledger merged, plus counts over the final documents."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyarrow.compute as pc
from datatrove.io import get_datafolder

from shared import schemas
from shared.ledger import LEDGER_DIR, merge_ledgers, read_stage_ledgers

# Display order of the stages; unknown stage folders come after, alphabetically.
STAGE_ORDER = ["ingest", "classify", "extract-docling", "ocr", "filter", "dedup", "tokenize"]


def find_stage_folders(pipeline_dir: str) -> dict[str, str]:
    """Stage name -> output folder, for every folder under ``pipeline_dir`` that holds shard ledgers."""
    root = get_datafolder(pipeline_dir)
    found = {}
    if not root.isdir(""):
        return found
    for entry in sorted(root.ls("", detail=False)):
        name = Path(entry).name
        if root.isdir(f"{name}/{LEDGER_DIR}"):
            found[name] = root.resolve_paths(name)
    return found


def ledger_summary(pipeline_dir: str) -> dict[str, dict]:
    """Stage name (as its ledgers record it) -> totals over its shards, in pipeline order."""
    totals = {}
    for name, folder in find_stage_folders(pipeline_dir).items():
        ledgers = read_stage_ledgers(folder)
        if ledgers:
            stage = ledgers[0].stage
            # two folders holding the same stage (e.g. a rerun elsewhere) stay apart, named by their folder
            totals[stage if stage not in totals else f"{stage} ({name})"] = merge_ledgers(ledgers)
    order = {stage: i for i, stage in enumerate(STAGE_ORDER)}
    return dict(sorted(totals.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


def drops_by_language(pipeline_dir: str) -> dict[str, dict[str, int]]:
    """Drop reason -> language -> documents, over every stage's drops/ that records the language (filter's
    language ID: ``lid_low_score`` per language says which languages lose documents to low LID scores)."""
    from stages.stats.report import read_columns

    out: dict[str, Counter] = {}
    for folder in find_stage_folders(pipeline_dir).values():
        table = read_columns(f"{folder}/drops", [schemas.DROP_REASON, schemas.LANGUAGE], partial=True)
        if schemas.LANGUAGE not in table.column_names or table.num_rows == 0:
            continue
        reasons, languages = table[schemas.DROP_REASON].to_pylist(), table[schemas.LANGUAGE].to_pylist()
        for reason, language in zip(reasons, languages, strict=True):
            if language:
                out.setdefault(reason, Counter())[language] += 1
    return {reason: dict(counts.most_common()) for reason, counts in sorted(out.items())}


def documents_summary(table) -> dict:
    """Counts over a documents table (any of the documents schemas; optional columns are used when present)."""
    names = set(table.column_names)
    summary: dict = {"documents": table.num_rows}
    if table.num_rows == 0:
        return summary
    if schemas.NUM_PAGES in names:
        summary["pages"] = int(pc.sum(table[schemas.NUM_PAGES]).as_py() or 0)
    if schemas.TEXT in names:
        summary["characters"] = int(pc.sum(pc.utf8_length(table[schemas.TEXT])).as_py() or 0)
    if schemas.TOKEN_COUNT in names:
        summary["tokens"] = int(pc.sum(table[schemas.TOKEN_COUNT]).as_py() or 0)
    for column, key in [(schemas.EXTRACTOR, "by_extractor"), (schemas.LANGUAGE, "by_language"),
                        (schemas.ROUTE, "by_route")]:
        if column in names:
            values = table[column].to_pylist()
            if any(values):
                summary[key] = dict(sorted(Counter(v or "unknown" for v in values).items()))
    if schemas.LANGUAGE in names and schemas.TOKEN_COUNT in names:
        tokens: Counter = Counter()
        for lang, count in zip(table[schemas.LANGUAGE].to_pylist(), table[schemas.TOKEN_COUNT].to_pylist(), strict=True):
            tokens[lang or "unknown"] += count or 0
        summary["tokens_by_language"] = dict(sorted(tokens.items()))
    if schemas.MINHASH_CLUSTER_SIZE in names:
        sizes = Counter(s for s in table[schemas.MINHASH_CLUSTER_SIZE].to_pylist() if s and s > 1)
        summary["duplicate_cluster_sizes"] = {str(k): v for k, v in sorted(sizes.items())}
    return summary


def render_markdown(stats: dict) -> str:
    lines = ["# finepdfs run summary", "", "## Ledger per stage", "",
             "| stage | in | out | dropped | failed | balanced | drop reasons | error classes |",
             "|---|---:|---:|---:|---:|---|---|---|"]
    for stage, t in stats["ledger"].items():
        reasons = ", ".join(f"{k}: {v}" for k, v in t["dropped"].items()) or "-"
        errors = ", ".join(f"{k}: {v}" for k, v in t["failed"].items()) or "-"
        lines.append(f"| {stage} | {t['docs_in']} | {t['docs_out']} | {t['docs_dropped']} | {t['docs_failed']} "
                     f"| {'yes' if t['balanced'] else 'NO'} | {reasons} | {errors} |")
    by_language = stats.get("drops_by_language") or {}
    if by_language:
        lines += ["", "## Drops per language", "", "| reason | per language |", "|---|---|"]
        for reason, counts in by_language.items():
            lines.append(f"| {reason} | {', '.join(f'{k}: {v}' for k, v in counts.items())} |")
    docs = stats["documents"]
    lines += ["", "## Final documents", ""]
    for key, value in docs.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items()) or "-"
        lines.append(f"- **{key.replace('_', ' ')}**: {value}")
    return "\n".join(lines) + "\n"
