"""The run's numbers: datatrove's document stats over the final documents, every stage's ledger, and the files
a person reads.

    collect  OUTPUT/_collect/{summary,doc_stats}/  per task: a documents summary and datatrove's DocStats
    merge    OUTPUT/stats.json, OUTPUT/summary.md (also printed), OUTPUT/report.html, OUTPUT/datatrove/

The run folder is the parent of OUTPUT: every stage folder in it with a ledger/ is summarised. The merge fails
(exit 1) when a stage's ledger does not balance.
"""

from __future__ import annotations

import posixpath


def build(run):
    from stages.stats.steps import COLUMNS, DOC_STATS_DIR, CollectSummary, WriteRunStats

    if run.step.name == "collect":
        from datatrove.pipeline.stats import DocStats

        return [
            run.reader(columns=COLUMNS),
            DocStats(f"{run.output}/{DOC_STATS_DIR}", groups_to_compute=["summary", "histogram"]),
            CollectSummary(run.output),
            run.writer(),
        ]
    from datatrove.pipeline.stats import StatsMerger

    run_folder = posixpath.dirname(run.stage_output.rstrip("/")) or "."
    return [
        StatsMerger(f"{run.input}/{DOC_STATS_DIR}", f"{run.output}/datatrove"),
        WriteRunStats(run_folder, run.input, run.output, run.name),
    ]
