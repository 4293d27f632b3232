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


def test_drops_are_counted_per_reason_and_language(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from shared import schemas
    from stages.stats.summary import drops_by_language

    (tmp_path / "filter" / "ledger").mkdir(parents=True)
    (tmp_path / "filter" / "ledger" / "00000.json").write_text(json.dumps({"stage": "filter", "rank": 0}))
    (tmp_path / "filter" / "drops").mkdir()
    rows = [("lid_low_score", "en"), ("lid_low_score", "en"), ("lid_low_score", "ru"), ("gopher_short", "en"),
            ("lid_no_text", None)]
    table = pa.Table.from_pylist([{schemas.ID: str(i), schemas.STAGE: "filter", schemas.DROP_REASON: r,
                                   schemas.SOURCE: None, schemas.LANGUAGE: lang} for i, (r, lang) in enumerate(rows)],
                                 schema=schemas.DROPS)
    pq.write_table(table, tmp_path / "filter" / "drops" / "00000.parquet")
    assert drops_by_language(str(tmp_path)) == {"gopher_short": {"en": 1}, "lid_low_score": {"en": 2, "ru": 1}}
