"""slurm-status: per-stage counts from completion markers (the truth) and Slurm's task states (the rest)."""

from __future__ import annotations

import json

from orchestration import status


def entry(tmp_path, tasks=6, jobs=(("10", 0, 4), ("11", 4, 2))):
    return {
        "action": "submit",
        "tasks": tasks,
        "done": str(tmp_path / "ledger" / "{rank:05d}.json"),
        "jobs": [{"id": job, "offset": offset, "size": size} for job, offset, size in jobs],
    }


def test_markers_count_as_done_and_slurm_states_the_rest(tmp_path):
    (tmp_path / "ledger").mkdir()
    for rank in (0, 1):
        (tmp_path / "ledger" / f"{rank:05d}.json").write_text(json.dumps(
            {"docs_in": 5, "docs_out": 3, "dropped": {"too_short": 1}, "failed": {"PdfError": 1}}))
    states = {
        ("10", 0): "COMPLETED",  # marker present: done, whatever Slurm says
        ("10", 1): "FAILED",  # also has a marker (a retry finished it): done
        ("10", 2): "RUNNING",
        ("10", 3): "TIMEOUT",
        ("11", 0): "PENDING",  # rank 4 (offset 4 + index 0)
        ("11", 1): "DEPENDENCY_CANCELLED",  # rank 5
    }
    row = status.stage_status("filter", entry(tmp_path), states)
    assert (row["done"], row["running"], row["pending"], row["failed"], row["cancelled"]) == (2, 1, 1, 1, 1)
    assert row["failed_ranks"] == [3]
    assert row["ledger"] == {"docs_in": 10, "docs_out": 6, "dropped": 2, "failed": 2}
    assert row["jobs"] == ["10", "11"]


def test_squeue_lines_are_parsed_per_array_task(monkeypatch):
    out = "10_0|RUNNING|None\n10_[1-3]|PENDING|Dependency\n10_1|PENDING|Dependency\n11_0|CANCELLED|" \
          "DependencyNeverSatisfied\n11_1|CANCELLED|None\n"
    calls = []

    def fake_run(argv):
        calls.append(argv[0])
        return None if argv[0] == "sacct" else out  # accounting off: squeue answers

    monkeypatch.setattr(status, "_run", fake_run)
    states = status.task_states(["10", "11"])
    assert calls == ["sacct", "squeue"]
    assert states == {("10", 0): "RUNNING", ("10", 1): "PENDING", ("11", 0): "DEPENDENCY_CANCELLED",
                      ("11", 1): "CANCELLED"}
