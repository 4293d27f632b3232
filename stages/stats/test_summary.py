"""Run-level ledger summary: every stage folder counted once, none hiding another."""

import json

from stages.stats.summary import ledger_summary


def test_two_folders_of_the_same_stage_are_both_reported(tmp_path):
    for folder, docs in (("ingest", 3), ("ingest-rerun", 5)):
        (tmp_path / folder / "ledger").mkdir(parents=True)
        (tmp_path / folder / "ledger" / "00000.json").write_text(
            json.dumps({"stage": "ingest", "rank": 0, "docs_in": docs, "docs_out": docs})
        )
    summary = ledger_summary(str(tmp_path))
    assert {name: totals["docs_in"] for name, totals in summary.items()} == {"ingest": 3, "ingest (ingest-rerun)": 5}
