"""Per-input accounting of a run folder: every input of a corpus manifest traced to where it ended.

An input (a file, or a record of a WARC file) ends as one of:

- ``final``: a row of the final dataset (tokenize), or the kept copy of it (a duplicate dropped at ingest is
  ``dropped`` with the reason, and its kept copy's fate is recorded beside it);
- ``dropped``: a drop row of some stage, with its reason;
- ``error``: an error row of some stage, with its class (a part of a damaged WARC file that holds no record is
  one error row of that file: the records it swallowed are ``error`` through it);
- ``lost``: none of these: the pipeline lost it (the soak's target is 0), with the last stage that had it;
- ``not run``: the stage that would decide had not completed (a hang or a failure the soak reports).

Ingest rows, drops and errors are matched to inputs by their source (the WARC record's URL, else the stored
file path); after ingest a document is followed by its id through every stage's outputs, drops and errors.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from shared import registry, schemas
from shared.ledger import merge_ledgers, read_stage_ledgers

FINAL_STAGE = "tokenize"
DOCUMENT_STAGES = [s.name for s in registry.STAGES if s.writes is not None]


def _shards(folder: Path, sub: str | None = None) -> list[Path]:
    """A dataset's shards (shared.shards' one rule), or those of its ``sub`` folder (drops/, errors/)."""
    from shared.shards import dataset_shards

    base = folder / sub if sub else folder
    return [base / path for path in dataset_shards(str(base))]


def _rows(paths: list[Path], columns: list[str]) -> list[dict]:
    rows = []
    for path in paths:
        available = pq.ParquetFile(path).schema_arrow.names
        table = pq.read_table(path, columns=[c for c in columns if c in available])
        rows += table.to_pylist()
    return rows


@dataclass
class StageView:
    """One stage's outcome per document id (and the ingest rows, drops and errors by source)."""

    name: str
    complete: bool
    out: Counter = field(default_factory=Counter)  # id -> times it is an output row
    dropped: dict[str, str] = field(default_factory=dict)  # id -> reason
    failed: dict[str, str] = field(default_factory=dict)  # id -> error class
    rows: list[dict] = field(default_factory=list)
    drop_rows: list[dict] = field(default_factory=list)
    error_rows: list[dict] = field(default_factory=list)


def read_stage(run: Path, name: str, tasks: int, columns: tuple[str, ...] = ()) -> StageView:
    """A stage's outputs, drops and errors; complete when every one of its ``tasks`` shards has its ledger."""
    folder = run / name
    done = {p.stem for p in (folder / "ledger").glob("*.json")} if folder.is_dir() else set()
    view = StageView(name, complete=done >= {f"{r:05d}" for r in range(tasks)})
    view.rows = _rows(_shards(folder), [schemas.ID, *columns])
    view.drop_rows = _rows(_shards(folder, "drops"), [schemas.ID, schemas.SOURCE, schemas.DROP_REASON])
    view.error_rows = _rows(_shards(folder, "errors"),
                            [schemas.ID, schemas.SOURCE, schemas.ERROR_CLASS, schemas.ERROR_MESSAGE])
    for row in view.rows:
        view.out[row[schemas.ID]] += 1
    view.dropped = {r[schemas.ID]: r[schemas.DROP_REASON] for r in view.drop_rows}
    view.failed = {r[schemas.ID]: r[schemas.ERROR_CLASS] for r in view.error_rows}
    return view

@dataclass
class Fate:
    fate: str  # final | dropped | error | lost | not run
    stage: str | None = None
    detail: str = ""  # reason / error class
    kept_copy: str | None = None  # for a duplicate: the fate of the copy that was kept

    def label(self) -> str:
        return self.fate if not self.stage else f"{self.fate} at {self.stage}: {self.detail}".rstrip(": ")


EXTRACTORS = ("extract-docling", "ocr")


def follow(document_id: str, views: list[StageView]) -> Fate:
    """The fate of a document that left ingest, through the stages after it (in pipeline order); a routed
    document goes through one of the two extractors."""
    last = "ingest"
    extractors = [v for v in views if v.name in EXTRACTORS]
    for view in views:
        if document_id in view.failed:
            return Fate("error", view.name, view.failed[document_id])
        if document_id in view.dropped:
            return Fate("dropped", view.name, view.dropped[document_id])
        if view.out[document_id]:
            last = view.name
            if view.name == FINAL_STAGE:
                return Fate("final", view.name)
            continue
        if view.name in EXTRACTORS:
            if any(_has(v, document_id) for v in extractors):
                continue  # the other extractor has it
            pending = [v.name for v in extractors if not v.complete]
            if pending:
                return Fate("not run", pending[0], f"last seen in {last}")
            return Fate("lost", "/".join(EXTRACTORS), f"last seen in {last}")
        if not view.complete:
            return Fate("not run", view.name, f"last seen in {last}")
        return Fate("lost", view.name, f"last seen in {last}")
    return Fate("lost", last, "after the last stage")


def _has(view: StageView, document_id: str) -> bool:
    return bool(view.out[document_id]) or document_id in view.dropped or document_id in view.failed


def account(run: Path, manifest: dict, tasks: int) -> dict:
    """Every manifest input with its fate, the counts, and the checks (lost, duplicated, unmatched)."""
    ingest = read_stage(run, "ingest", tasks,
                        (schemas.FILE_PATH, schemas.URL, schemas.SHA256, schemas.IS_TRUNCATED))
    later = [read_stage(run, name, tasks, (schemas.NUM_PAGES, schemas.FAILED_PAGES, schemas.IS_TRUNCATED)
                        if name == FINAL_STAGE else ()) for name in DOCUMENT_STAGES if name != "ingest"]
    by_url = {r[schemas.URL]: r for r in ingest.rows if r[schemas.URL]}
    by_path = {r[schemas.FILE_PATH]: r for r in ingest.rows if not r[schemas.URL]}
    drops = defaultdict(list)
    for row in ingest.drop_rows:
        drops[row[schemas.SOURCE]].append(row)
    errors = defaultdict(list)
    for row in ingest.error_rows:
        errors[row[schemas.SOURCE]].append(row)
    matched_outputs: set[int] = set()

    results = []
    for entry in manifest["inputs"]:
        key = entry["url"] or entry["path"]
        row = by_url.get(entry["url"]) if entry["url"] else by_path.get(entry["path"])
        fate: Fate
        if row is not None:
            matched_outputs.add(id(row))
            fate = follow(row[schemas.ID], later)
            if row[schemas.IS_TRUNCATED]:  # ingest flagged it (a damaged WARC record): say so wherever it ended
                fate.detail = f"{fate.detail} (is_truncated)".strip()
        elif drops.get(key):
            drop = drops[key][0]
            matched_outputs.add(id(drop))
            fate = Fate("dropped", "ingest", drop[schemas.DROP_REASON])
            fate.kept_copy = follow(drop[schemas.ID], later).label()
        elif errors.get(key):
            error = errors[key][0]
            matched_outputs.add(id(error))
            fate = Fate("error", "ingest", error[schemas.ERROR_CLASS])
        elif entry["url"] and errors.get(entry["path"]):  # swallowed by an unreadable part of its WARC file
            for error in errors[entry["path"]]:
                matched_outputs.add(id(error))
            fate = Fate("error", "ingest", f"{errors[entry['path']][0][schemas.ERROR_CLASS]} (its WARC file)")
        elif not ingest.complete:
            fate = Fate("not run", "ingest")
        else:
            fate = Fate("lost", "ingest", "no row, drop or error names it")
        results.append({**entry, "id": row[schemas.ID] if row is not None else None, "fate": fate.fate,
                        "fate_stage": fate.stage, "fate_detail": fate.detail, "outcome": fate.label(),
                        "kept_copy": fate.kept_copy})

    unmatched = [r for r in ingest.rows + ingest.drop_rows + ingest.error_rows if id(r) not in matched_outputs]
    duplicated = {v.name: sorted(i for i, n in v.out.items() if n > 1) for v in [ingest, *later]}
    extractors = [v for v in later if v.name in EXTRACTORS]
    both_routes = sorted(set(extractors[0].out) & set(extractors[1].out)) if len(extractors) == 2 else []
    counts = Counter((r["kind"], r["fate"]) for r in results)
    hostile: dict[str, Counter] = defaultdict(Counter)
    for r in results:
        if r["kind"] == "hostile":
            hostile[r["detail"]][r["outcome"]] += 1
    ledgers = {}
    for name in DOCUMENT_STAGES + ["stats"]:
        found = read_stage_ledgers(run / name) if (run / name).is_dir() else []
        if found:
            ledgers[name] = {k: v for k, v in merge_ledgers(found).items() if k != "not_carried"}
    return {
        "inputs": len(results),
        "by_kind_and_fate": {f"{k} / {f}": n for (k, f), n in sorted(counts.items())},
        "by_fate": dict(sorted(Counter(r["fate"] for r in results).items())),
        "by_outcome": dict(Counter(r["outcome"] for r in results).most_common()),
        "hostile_by_kind": {k: dict(v.most_common()) for k, v in sorted(hostile.items())},
        "lost": [r for r in results if r["fate"] == "lost"],
        "not_run": [r for r in results if r["fate"] == "not run"],
        "unmatched_ingest_rows": [{k: v for k, v in r.items() if k != schemas.MEDIA} for r in unmatched],
        "duplicated_ids": {k: v for k, v in duplicated.items() if v},
        "in_both_extractors": both_routes,
        "ledgers": ledgers,
        "ledgers_balanced": all(t["balanced"] for t in ledgers.values()),
        "stages_complete": {v.name: v.complete for v in [ingest, *later]},
        "final": _final_checks(later[-1] if later else None, results),
        "results": results,
    }


def _final_checks(final: StageView | None, results: list[dict]) -> dict:
    """Documents in the final dataset, how many are flagged (is_truncated, failed_pages), and the mutants that
    reached it with fewer pages than the PDF they were made from and no flag (issue 12's target: none)."""
    if final is None:
        return {}
    by_id = {r[schemas.ID]: r for r in final.rows}
    flagged = [r for r in final.rows if r.get(schemas.IS_TRUNCATED) or r.get(schemas.FAILED_PAGES)]
    hostile_final = Counter(r["detail"] for r in results if r["kind"] == "hostile" and r["fate"] == "final")
    partial = []
    for r in results:
        row = by_id.get(r.get("id")) if r["fate"] == "final" else None
        if row is None or not r.get("source_pages"):
            continue
        pages = row.get(schemas.NUM_PAGES) or 0
        if pages < r["source_pages"]:
            partial.append({"input": r["path"], "kind": r["detail"], "source_pages": r["source_pages"],
                            "num_pages": pages, "failed_pages": row.get(schemas.FAILED_PAGES) or [],
                            "is_truncated": bool(row.get(schemas.IS_TRUNCATED))})
    unflagged = [p for p in partial if not p["is_truncated"] and not p["failed_pages"]]
    return {"documents": len(final.rows), "flagged_truncated_or_failed_pages": len(flagged),
            "hostile_inputs_in_final_dataset_by_kind": dict(hostile_final.most_common()),
            "mutants_with_fewer_pages_than_their_source": partial, "unflagged_partial_documents": unflagged}


def load_manifest(path: Path) -> dict:
    return json.loads(Path(path).read_text())
