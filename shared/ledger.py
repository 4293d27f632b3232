"""The ledger: for every stage and shard, docs_in = docs_out + dropped(reason) + failed(error class).

Steps never remove a document from the stream. They mark it (``mark_dropped`` / ``mark_failed``) and pass it on;
the stage's ShardWriter routes it to the output, drops or errors dataset and counts it. The reader counts what came
in; the writer refuses to complete a shard whose counts do not balance, so a lost document fails loudly.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field

from datatrove.data import Document

from shared.outcomes import check_drop, check_error, classify_exception

FATE_KEY = "__fate"
REASON_KEY = "__reason"
ERROR_CLASS_KEY = "__error_class"
ERROR_MESSAGE_KEY = "__error_message"
STAGE_KEY = "__stage"
DETAILS_KEY = "__details"  # what decided a drop (scores, thresholds, the kept copy): the drops' details column
KEEP_IN_KEY = "__keep_in"  # a drop also written, whole, to this output partition (filter's <lang>_removed)

OUT, DROPPED, FAILED = "out", "dropped", "failed"
LEDGER_DIR = "ledger"
MAX_ERROR_MESSAGE = 2000


def fate(doc: Document) -> str:
    return doc.metadata.get(FATE_KEY, OUT)


def is_live(doc: Document) -> bool:
    """True while no earlier step dropped or failed the document."""
    return fate(doc) == OUT


def mark_dropped(doc: Document, stage: str, reason: str, details: dict | None = None,
                 keep_in: str | None = None) -> Document:
    """Drop on purpose; ``reason`` must be declared in shared/outcomes.py (DROPS).

    ``details``: the values that decided (scores and thresholds, the copy that was kept), stored as JSON in the
    drops dataset so that `finepdfs show` can say why. ``keep_in``: also write the document, whole, to this
    partition of the stage's output (FinePDFs keeps low-score documents as ``<lang>_removed`` subsets); it is
    still a drop in the ledger, and counted in the ledger's ``removed``."""
    check_drop(reason)
    doc.metadata[FATE_KEY] = DROPPED
    doc.metadata[REASON_KEY] = reason
    doc.metadata[STAGE_KEY] = stage
    if details:
        doc.metadata[DETAILS_KEY] = details
    if keep_in:
        doc.metadata[KEEP_IN_KEY] = keep_in
    return doc


def mark_failed(doc: Document, stage: str, error: BaseException | str, message: str | None = None) -> Document:
    """Record why a document failed: an exception (its declared class, else UnexpectedError) or the name of an
    error class declared in shared/outcomes.py (ERRORS)."""
    if isinstance(error, BaseException):
        error_class, text = classify_exception(error)
        message = message or text
    else:
        error_class = check_error(error)
    doc.metadata[FATE_KEY] = FAILED
    doc.metadata[ERROR_CLASS_KEY] = error_class
    doc.metadata[ERROR_MESSAGE_KEY] = (message or "")[:MAX_ERROR_MESSAGE]
    doc.metadata[STAGE_KEY] = stage
    return doc


def clear_fate(doc: Document) -> None:
    for key in (FATE_KEY, REASON_KEY, ERROR_CLASS_KEY, ERROR_MESSAGE_KEY, STAGE_KEY, DETAILS_KEY, KEEP_IN_KEY):
        doc.metadata.pop(key, None)


@dataclass
class ShardLedger:
    """Counts for one stage and one shard (= one task rank)."""

    stage: str
    rank: int
    docs_in: int = 0
    docs_out: int = 0
    dropped: Counter = field(default_factory=Counter)
    failed: Counter = field(default_factory=Counter)
    outputs: dict[str, int] = field(default_factory=dict)  # output sub-dataset ("", "docling", "eng_Latn", ...) -> rows
    # dropped documents also written to an output partition (filter's "<lang>_removed"): part of ``dropped``, not
    # of docs_out; the next stage reads them, so its docs_in = this stage's docs_out + sum(removed)
    removed: dict[str, int] = field(default_factory=dict)
    not_carried: list[str] = field(default_factory=list)  # metadata keys the output dataset has no column for

    @property
    def docs_dropped(self) -> int:
        return sum(self.dropped.values())

    @property
    def docs_failed(self) -> int:
        return sum(self.failed.values())

    @property
    def balanced(self) -> bool:
        return self.docs_in == self.docs_out + self.docs_dropped + self.docs_failed

    def count(self, doc: Document) -> str:
        f = fate(doc)
        if f == OUT:
            self.docs_out += 1
        elif f == DROPPED:
            self.dropped[doc.metadata[REASON_KEY]] += 1
        else:
            self.failed[doc.metadata[ERROR_CLASS_KEY]] += 1
        return f

    def reset(self) -> None:
        self.docs_in = self.docs_out = 0
        self.dropped.clear()
        self.failed.clear()
        self.outputs.clear()
        self.removed.clear()
        self.not_carried = []

    def to_dict(self) -> dict:
        return {
            "stage": self.stage,
            "rank": self.rank,
            "docs_in": self.docs_in,
            "docs_out": self.docs_out,
            "docs_dropped": self.docs_dropped,
            "docs_failed": self.docs_failed,
            "dropped": dict(sorted(self.dropped.items())),
            "failed": dict(sorted(self.failed.items())),
            "outputs": dict(sorted(self.outputs.items())),
            "removed": dict(sorted(self.removed.items())),
            "not_carried": list(self.not_carried),
            "balanced": self.balanced,
        }

    @classmethod
    def from_dict(cls, data: dict) -> ShardLedger:
        return cls(
            stage=data["stage"],
            rank=data["rank"],
            docs_in=data["docs_in"],
            docs_out=data["docs_out"],
            dropped=Counter(data.get("dropped", {})),
            failed=Counter(data.get("failed", {})),
            outputs=dict(data.get("outputs", {})),
            removed=dict(data.get("removed", {})),
            not_carried=list(data.get("not_carried", [])),
        )


def ledger_filename(rank: int) -> str:
    return f"{LEDGER_DIR}/{rank:05d}.json"


def write_marker(folder, rank: int, content: dict) -> None:
    """Write a shard's completion marker (``ledger/<rank>.json``) whole or not at all: a reader that sees the file
    (resume, the next stage, the hash index) must never see half of it. ``folder``: a datatrove DataFolder."""
    folder.makedirs(LEDGER_DIR, exist_ok=True)
    tmp = f"{LEDGER_DIR}/.{rank:05d}.json.tmp"
    with folder.open(tmp, "wt") as f:
        json.dump(content, f, indent=1)
    folder.fs.mv(folder.resolve_paths(tmp), folder.resolve_paths(ledger_filename(rank)))


def read_stage_ledgers(folder) -> list[ShardLedger]:
    """All shard ledgers written under a stage's output folder (a path or datatrove DataFolder)."""
    from datatrove.io import get_datafolder

    folder = get_datafolder(str(folder) if isinstance(folder, os.PathLike) else folder)
    if not folder.isdir(LEDGER_DIR):
        return []
    ledgers = []
    for path in sorted(folder.list_files(LEDGER_DIR, glob_pattern="*.json")):
        with folder.open(path, "rt") as f:
            ledgers.append(ShardLedger.from_dict(json.load(f)))
    return ledgers


def merge_ledgers(ledgers: list[ShardLedger]) -> dict:
    """One stage's totals over its shards."""
    total = {"shards": len(ledgers), "docs_in": 0, "docs_out": 0, "docs_dropped": 0, "docs_failed": 0}
    dropped, failed, outputs, removed = Counter(), Counter(), Counter(), Counter()
    for ledger in ledgers:
        total["docs_in"] += ledger.docs_in
        total["docs_out"] += ledger.docs_out
        total["docs_dropped"] += ledger.docs_dropped
        total["docs_failed"] += ledger.docs_failed
        dropped.update(ledger.dropped)
        failed.update(ledger.failed)
        outputs.update(ledger.outputs)
        removed.update(ledger.removed)
    total["dropped"] = dict(sorted(dropped.items()))
    total["failed"] = dict(sorted(failed.items()))
    total["outputs"] = dict(sorted(outputs.items()))
    total["removed"] = dict(sorted(removed.items()))
    total["not_carried"] = sorted({key for ledger in ledgers for key in ledger.not_carried})
    total["balanced"] = all(ledger.balanced for ledger in ledgers)
    return total
