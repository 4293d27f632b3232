"""stats: run-level numbers, computed as a stage like the others.

collect (one task per final shard): reads only the columns it needs, one batch at a time, runs datatrove's
DocStats and adds each document to a ``DocumentsSummary``, written per task (memory does not grow with the
corpus). merge (one task): datatrove's StatsMerger, the per-task summaries merged, every stage's ledger, and the
files a person reads: stats.json, summary.md and report.html.
"""

from __future__ import annotations

import json
from collections import Counter

from datatrove.data import DocumentsPipeline
from datatrove.io import DataFolderLike, get_datafolder
from datatrove.pipeline.base import PipelineStep

from runfolder.summary import DocumentsSummary
from shared import schemas
from shared.ledger import ShardLedger, is_live, merge_ledgers, read_stage_ledgers, write_marker

SUMMARY_DIR = "summary"
DOC_STATS_DIR = "doc_stats"
# What the collect step reads of the final documents: never the PDF bytes; text for datatrove's DocStats.
COLUMNS = [schemas.ID, schemas.TEXT, schemas.NUM_PAGES, schemas.LANGUAGE, schemas.SUBSET, schemas.TOKEN_COUNT,
           schemas.EXTRACTOR, schemas.ROUTE, schemas.MINHASH_CLUSTER_SIZE, schemas.FURNITURE_CHARS, schemas.EDU_SCORE,
           *[table + schemas.QUALITY_FAIL_SUFFIX for table in schemas.QUALITY_MEASUREMENTS]]


class CollectSummary(PipelineStep):
    """Adds every live document to this task's summary and writes it when the task's input is exhausted."""

    name = "🧮 documents summary"
    type = "📊 - STATS"

    def __init__(self, output_folder: DataFolderLike):
        super().__init__()
        self.output_folder = get_datafolder(output_folder)

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        summary = DocumentsSummary()
        for doc in data:
            if is_live(doc):
                with self.track_time():
                    summary.add(doc.text, doc.metadata)
            yield doc
        with self.output_folder.open(f"{SUMMARY_DIR}/{rank:05d}.json", "wt") as f:
            json.dump(summary.to_dict(), f)


def merged_summary(collect_folder: DataFolderLike) -> DocumentsSummary:
    folder = get_datafolder(collect_folder)
    total = DocumentsSummary()
    if folder.isdir(SUMMARY_DIR):
        for path in sorted(folder.list_files(SUMMARY_DIR, glob_pattern="*.json")):
            with folder.open(path, "rt") as f:
                total.merge(DocumentsSummary.from_dict(json.load(f)))
    return total


class WriteRunStats(PipelineStep):
    """The merge step's end: stats.json, summary.md, report.html and the stage's ledger (written last)."""

    name = "📝 run stats and report"
    type = "📊 - STATS"

    def __init__(self, run_folder: str, collect_folder: str, output_folder: str, stage: str):
        super().__init__()
        self.run_folder = run_folder
        self.collect_folder = collect_folder
        self.output_folder = get_datafolder(output_folder)
        self.stage = stage

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        from runfolder.reader import router_threshold
        from runfolder.report import write_report
        from runfolder.summary import (
            drops_by_language,
            furniture_by_stage,
            ledger_summary,
            render_markdown,
        )

        if data:
            yield from data
        with self.track_time():
            summary = merged_summary(self.collect_folder)
            stats = {"ledger": ledger_summary(self.run_folder), "documents": summary.to_dict(),
                     "furniture_by_stage": furniture_by_stage(self.run_folder),
                     "drops_by_language": drops_by_language(self.run_folder)}
            out = self.output_folder
            with out.open("stats.json", "wt") as f:
                json.dump(stats, f, indent=1)
            with out.open("summary.md", "wt") as f:
                f.write(render_markdown(stats))
            # the threshold classify ran with (its manifest), whatever set it: flag, environment or config
            write_report(self.run_folder, out.resolve_paths("report.html"), router_threshold(self.run_folder),
                         final_summary=stats["documents"])
            collected = merge_ledgers(read_stage_ledgers(self.collect_folder))
            ledger = ShardLedger(self.stage, rank, docs_in=collected["docs_in"], docs_out=collected["docs_out"],
                                 dropped=Counter(collected["dropped"]), failed=Counter(collected["failed"]))
            write_marker(out, rank, ledger.to_dict())
        unbalanced = [stage for stage, totals in stats["ledger"].items() if not totals["balanced"]]
        if unbalanced:
            raise RuntimeError(f"stats: the ledgers of {unbalanced} do not balance: a document was lost")
