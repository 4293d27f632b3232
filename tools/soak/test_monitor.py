"""The soak's RunMonitor follows `finepdfs run` by its progress view: each "[k/N] stage  running" line."""

from tools.soak.monitor import STEP_LINE


def test_the_progress_view_names_the_stage_that_runs():
    lines = ["[1/8] ingest           running (hash, read)", "[3/8] extract-docling  running",
             "[3/8] extract-docling  4,451 in -> 4,450 out  62.7 s", "done in 449 s."]
    assert [m["name"] for m in map(STEP_LINE.match, lines) if m] == ["ingest", "extract-docling"]
