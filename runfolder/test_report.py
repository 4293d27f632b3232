"""The report's readers and charts: task times from datatrove logs, shard I/O from step stats, exact bars."""

import json
import re

from runfolder import svg
from runfolder.report import _task_span, stage_timing
from shared.outcomes import DUPLICATE_REASONS

LOG = """2026-11-25 12:00:00.000 | INFO     | datatrove.utils.logging:add_task_logger:76 - Launching pipeline for rank=0
2026-11-25 12:00:01.000 | ERROR    | something failed, the task was killed
2026-11-25 12:10:00.000 | INFO     | datatrove.utils.logging:add_task_logger:76 - Launching pipeline for rank=0
2026-11-25 12:10:02.500 | SUCCESS  | datatrove.executor.base:_run_for_rank:140 - Processing done for rank=0
"""


def test_task_span_is_the_last_complete_attempt():
    start, end = _task_span(LOG)
    assert end - start == 2.5
    assert _task_span(LOG.splitlines()[0]) is None  # launched, never done: no span


def test_stage_timing_sums_tasks_and_splits_out_shard_io(tmp_path):
    logs = tmp_path / "_logs"
    (logs / "logs").mkdir(parents=True)
    (logs / "stats").mkdir()
    for rank, (start, end) in enumerate([("12:00:00.000", "12:00:04.000"), ("12:00:01.000", "12:00:03.000")]):
        (logs / "logs" / f"task_{rank:05d}.log").write_text(
            f"2026-11-25 {start} | INFO | x - Launching pipeline for rank={rank}\n"
            f"2026-11-25 {end} | SUCCESS | x - Processing done for rank={rank}\n")
        (logs / "stats" / f"{rank:05d}.json").write_text(json.dumps([
            {"name": "📖 - READER: 📒 Shards", "time_stats": {"total": 0.25}, "stats": {}},
            {"name": "🔨 - EXTRACTOR: 🦆 Docling", "time_stats": {"total": 1.5}, "stats": {}},
            {"name": "💽 - WRITER: 🧾 Shard writer", "time_stats": {"total": 0.25}, "stats": {}},
        ]))
    timing = stage_timing(str(tmp_path))
    assert timing["tasks"] == 2 and timing["wall_s"] == 4.0 and timing["task_s"] == 6.0
    assert timing["steps_s"] == {"Docling": 3.0, "Shards": 0.5, "Shard writer": 0.5}
    assert timing["shard_io_s"] == 1.0


def test_duplicate_reasons_are_duplicates_not_repetition():
    assert DUPLICATE_REASONS == {"duplicate_pdf_bytes", "minhash_duplicate", "exact_text_duplicate"}
    assert "gopher_rep_duplicated_5_n_gram_char_frac" not in DUPLICATE_REASONS


def test_histogram_counts_every_value_once_and_bar_labels_are_escaped():
    chart = svg.histogram("h", "p", [0.0, 0.05, 0.5, 0.99, 1.0, None], bins=10)
    counts = [int(m) for m in re.findall(r"<title>[0-9.]+-[0-9.]+: (\d+)</title>", chart)]
    assert len(counts) == 10 and sum(counts) == 5 and counts[0] == 2 and counts[-1] == 2
    bars = svg.bar_chart("b", "t", [("<script>", 3), ("fr", 1)], "docs")
    assert "<script>" not in bars and "&lt;script&gt;: 3 docs" in bars
    assert bars.count('class="mark"') == 2
