"""Run-level ledger summary: every stage folder counted once, none hiding another."""

import json

from runfolder.summary import ledger_summary


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

    from runfolder.summary import drops_by_language
    from shared import schemas

    (tmp_path / "filter" / "ledger").mkdir(parents=True)
    (tmp_path / "filter" / "ledger" / "00000.json").write_text(json.dumps({"stage": "filter", "rank": 0}))
    (tmp_path / "filter" / "drops").mkdir()
    rows = [("lid_low_score", "eng_Latn"), ("lid_low_score", "eng_Latn"), ("lid_low_score", "rus_Cyrl"),
            ("gopher_short", "eng_Latn"), ("lid_no_text", None), ("duplicate", "")]
    table = pa.Table.from_pylist([{schemas.ID: str(i), schemas.STAGE: "filter", schemas.DROP_REASON: r,
                                   schemas.SOURCE: None,
                                   schemas.DETAILS: json.dumps({"language": lang, "score": 0.3}) if lang is not None
                                   else None} for i, (r, lang) in enumerate(rows)],
                                 schema=schemas.DROPS)
    pq.write_table(table, tmp_path / "filter" / "drops" / "00000.parquet")
    assert drops_by_language(str(tmp_path)) == {"gopher_short": {"eng_Latn": 1},
                                                "lid_low_score": {"eng_Latn": 2, "rus_Cyrl": 1}}


def test_furniture_removed_is_reported_per_stage_from_the_step_stats(tmp_path):
    from runfolder.summary import furniture_by_stage, render_markdown

    for stage, totals in (("extract-docling", [375, 25]), ("filter", [24]), ("tokenize", [])):
        (tmp_path / stage / "ledger").mkdir(parents=True)
        (tmp_path / stage / "ledger" / "00000.json").write_text(json.dumps({"stage": stage, "rank": 0}))
        (tmp_path / stage / "_logs" / "stats").mkdir(parents=True)
        for rank, total in enumerate(totals or [0]):
            steps = [{"name": "📖 - READER: 📒 Shards", "stats": {"documents": {"total": 9}}},
                     {"name": "🔨 - EXTRACTOR", "stats": {"furniture_chars": {"total": total, "n": 9}} if totals else {}}]
            (tmp_path / stage / "_logs" / "stats" / f"{rank:05d}.json").write_text(json.dumps(steps))
    removed = furniture_by_stage(str(tmp_path))
    assert removed == {"extract-docling": 400, "filter": 24}
    markdown = render_markdown({"ledger": {}, "documents": {}, "furniture_by_stage": removed})
    assert "| extract-docling | 400 |\n| filter | 24 |" in markdown
