"""Run-level numbers: every stage's ledger merged, plus counts over the final documents."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from datatrove.io import get_datafolder

from runfolder.reader import find_stage_folders, ledger_folder
from shared import registry, schemas
from shared.ledger import merge_ledgers, read_stage_ledgers

# Display order of the stages: the registry's; unknown stage folders come after, alphabetically.
STAGE_ORDER = registry.STAGE_NAMES


def ledger_summary(pipeline_dir: str) -> dict[str, dict]:
    """Stage name (as its ledgers record it) -> totals over its shards, in pipeline order."""
    totals = {}
    for name, folder in find_stage_folders(pipeline_dir).items():
        ledgers = read_stage_ledgers(ledger_folder(name, folder))
        if ledgers:
            stage = ledgers[0].stage
            # two folders holding the same stage (e.g. a rerun elsewhere) stay apart, named by their folder
            totals[stage if stage not in totals else f"{stage} ({name})"] = merge_ledgers(ledgers)
    order = {stage: i for i, stage in enumerate(STAGE_ORDER)}
    return dict(sorted(totals.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


def drops_by_language(pipeline_dir: str) -> dict[str, dict[str, int]]:
    """Drop reason -> language -> documents, over every stage's drops/ whose details name a language (filter's
    language ID: ``lid_low_score`` per language says which languages lose documents to low LID scores)."""
    import json

    from runfolder.reader import read_columns

    out: dict[str, Counter] = {}
    for folder in find_stage_folders(pipeline_dir).values():
        table = read_columns(f"{folder}/drops", [schemas.DROP_REASON, schemas.DETAILS], partial=True)
        if schemas.DETAILS not in table.column_names or table.num_rows == 0:
            continue
        reasons, details = table[schemas.DROP_REASON].to_pylist(), table[schemas.DETAILS].to_pylist()
        for reason, detail in zip(reasons, details, strict=True):
            language = json.loads(detail).get("language") if detail else None
            if language:
                out.setdefault(reason, Counter())[language] += 1
    return {reason: dict(counts.most_common()) for reason, counts in sorted(out.items())}


@dataclass
class DocumentsSummary:
    """Counts over documents, built one document at a time and merged across tasks."""

    documents: int = 0
    pages: int = 0
    characters: int = 0
    tokens: int = 0
    furniture_chars: int = 0  # page furniture removed from the final documents (extraction + post-processing)
    by_extractor: Counter = field(default_factory=Counter)
    by_language: Counter = field(default_factory=Counter)
    by_route: Counter = field(default_factory=Counter)
    tokens_by_language: Counter = field(default_factory=Counter)
    duplicate_cluster_sizes: Counter = field(default_factory=Counter)
    edu_scored: Counter = field(default_factory=Counter)  # per subset: documents with an edu score
    edu_unscored: Counter = field(default_factory=Counter)  # per subset: no score (no classifier weights)
    quality_fails: Counter = field(default_factory=Counter)  # per rule (gopher_short_doc, ...): documents labelled

    def add(self, text: str, metadata: dict) -> None:
        # per Hugging Face subset: the language, or <language>_removed (FinePDFs' subsets of low-score documents)
        language = metadata.get(schemas.SUBSET) or metadata.get(schemas.LANGUAGE) or "unknown"
        tokens = metadata.get(schemas.TOKEN_COUNT) or 0
        self.documents += 1
        self.pages += metadata.get(schemas.NUM_PAGES) or 0
        self.characters += len(text)
        self.tokens += tokens
        self.furniture_chars += metadata.get(schemas.FURNITURE_CHARS) or 0
        self.by_extractor[metadata.get(schemas.EXTRACTOR) or "unknown"] += 1
        self.by_language[language] += 1
        self.by_route[metadata.get(schemas.ROUTE) or "unknown"] += 1
        self.tokens_by_language[language] += tokens
        size = metadata.get(schemas.MINHASH_CLUSTER_SIZE)
        if size and size > 1:
            self.duplicate_cluster_sizes[str(size)] += 1
        (self.edu_scored if metadata.get(schemas.EDU_SCORE) is not None else self.edu_unscored)[language] += 1
        for table in schemas.QUALITY_MEASUREMENTS:
            reason = metadata.get(table + schemas.QUALITY_FAIL_SUFFIX)
            if reason:
                self.quality_fails[reason] += 1

    def merge(self, other: DocumentsSummary) -> None:
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if isinstance(value, Counter):
                value.update(getattr(other, name))
            else:
                setattr(self, name, value + getattr(other, name))

    def to_dict(self) -> dict:
        data: dict = {"documents": self.documents}
        if not self.documents:
            return data
        data |= {"pages": self.pages, "characters": self.characters, "tokens": self.tokens,
                 "furniture_chars": self.furniture_chars}
        for name in ("edu_scored", "edu_unscored", "quality_fails"):
            if getattr(self, name):
                data[name] = dict(sorted(getattr(self, name).items()))
        for name in ("by_extractor", "by_language", "by_route", "tokens_by_language", "duplicate_cluster_sizes"):
            counts = getattr(self, name)
            if counts and set(counts) != {"unknown"}:
                data[name] = dict(sorted(counts.items(), key=lambda kv: (len(kv[0]), kv[0]) if name.startswith(
                    "duplicate") else kv[0]))
        return data

    @classmethod
    def from_dict(cls, data: dict) -> DocumentsSummary:
        summary = cls()
        for name, value in data.items():
            setattr(summary, name, Counter(value) if isinstance(value, dict) else value)
        return summary


def documents_summary(table) -> dict:
    """A DocumentsSummary of a table of small columns (no text: characters are not counted)."""
    summary = DocumentsSummary()
    for row in table.to_pylist():
        summary.add(row.get(schemas.TEXT) or "", row)
    return summary.to_dict()


def furniture_by_stage(pipeline_dir: str) -> dict[str, int]:
    """Characters of page furniture each stage removed, from its steps' ``furniture_chars`` stat (datatrove's
    per-task stats under ``<stage>/**/_logs/stats/``); stages that removed none are left out."""
    import json
    import re

    task_stats = re.compile(r"(^|/)_logs/stats/\d+\.json$")
    removed: dict[str, int] = {}
    for name, folder_path in find_stage_folders(pipeline_dir).items():
        folder = get_datafolder(folder_path)
        total = 0
        for path in folder.list_files(recursive=True):
            if task_stats.search(path):
                with folder.open(path, "rt") as f:
                    for step in json.load(f):
                        value = (step.get("stats") or {}).get(schemas.FURNITURE_CHARS)
                        total += int(value.get("total", 0) if isinstance(value, dict) else value or 0)
        if total:
            removed[name] = total
    order = {stage: i for i, stage in enumerate(STAGE_ORDER)}
    return dict(sorted(removed.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


def render_markdown(stats: dict) -> str:
    lines = ["# finepdfs run summary", "", "## Ledger per stage", "",
             "| stage | in | out | dropped | failed | balanced | drop reasons | error classes |",
             "|---|---:|---:|---:|---:|---|---|---|"]
    for stage, t in stats["ledger"].items():
        reasons = ", ".join(f"{k}: {v}" for k, v in t["dropped"].items()) or "-"
        errors = ", ".join(f"{k}: {v}" for k, v in t["failed"].items()) or "-"
        lines.append(f"| {stage} | {t['docs_in']} | {t['docs_out']} | {t['docs_dropped']} | {t['docs_failed']} "
                     f"| {'yes' if t['balanced'] else 'NO'} | {reasons} | {errors} |")
    if stats.get("furniture_by_stage"):
        lines += ["", "## Page furniture removed (characters)", "", "| stage | characters |", "|---|---:|"]
        lines += [f"| {stage} | {n} |" for stage, n in stats["furniture_by_stage"].items()]
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
