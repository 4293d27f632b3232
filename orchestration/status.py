"""`just slurm-status OUTPUT`: per stage, done / running / pending / failed tasks of the latest submission, and
the ledger (documents in / out / dropped / failed) summed over the stage's completed shards.

Done means the shard's completion marker exists (the truth, whatever Slurm says). For the other ranks the state
comes from Slurm: ``sacct`` where accounting is on, else ``squeue --states=all`` (which forgets finished jobs
after MinJobAge); a rank whose job ended without its marker counts as failed, or as cancelled when Slurm
cancelled it because an upstream stage failed (--kill-on-invalid-dep).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from orchestration.plan import marker_exists
from orchestration.submit import JOBS_FILE, slurm_env

RUNNING = {"RUNNING", "CONFIGURING", "COMPLETING", "STAGE_OUT", "SUSPENDED", "RESIZING", "SIGNALING"}
PENDING = {"PENDING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD", "SPECIAL_EXIT"}


def _run(argv: list[str]) -> str | None:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, env=slurm_env(), timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def task_states(job_ids: list[str]) -> dict[tuple[str, int], str]:
    """(array job id, array index) -> Slurm state, from sacct when it works, else squeue.

    A task cancelled because its dependency can never be satisfied gets the state DEPENDENCY_CANCELLED.
    """
    states: dict[tuple[str, int], str] = {}
    if not job_ids:
        return states
    out = _run(["sacct", "-n", "-P", "-X", "-o", "JobID,State", "-j", ",".join(job_ids)])
    source = "sacct"
    if out is None or not out.strip():
        out = _run(["squeue", "-h", "-r", "--states=all", "-o", "%i|%T|%r", "-j", ",".join(job_ids)])
        source = "squeue"
    for line in (out or "").splitlines():
        job, _, rest = line.strip().partition("|")
        state, _, reason = rest.partition("|")
        state = state.split()[0] if state else ""
        if state == "CANCELLED" and reason == "DependencyNeverSatisfied":
            state = "DEPENDENCY_CANCELLED"
        array_job, sep, index = job.partition("_")
        if sep and index.isdigit():
            states[(array_job, int(index))] = state
        elif sep and index.startswith("[") and source == "squeue":
            continue  # a pending array summary line; -r lists its tasks anyway
    return states


def pending_reasons(job_ids: list[str]) -> dict[tuple[str, int], str]:
    """(array job id, index) -> why Slurm keeps a pending task waiting (squeue's reason: Dependency, Resources,
    Priority, ReqNodeNotAvail, PartitionConfig, ...)."""
    reasons: dict[tuple[str, int], str] = {}
    if not job_ids:
        return reasons
    out = _run(["squeue", "-h", "-r", "--states=PENDING", "-o", "%i|%r", "-j", ",".join(job_ids)])
    for line in (out or "").splitlines():
        job, _, reason = line.strip().partition("|")
        array_job, sep, index = job.partition("_")
        if sep and index.isdigit() and reason and reason != "None":
            reasons[(array_job, int(index))] = reason
    return reasons


def stage_status(name: str, entry: dict, states: dict[tuple[str, int], str],
                 reasons: dict[tuple[str, int], str] | None = None) -> dict:
    from collections import Counter

    counts = {"done": 0, "running": 0, "pending": 0, "failed": 0, "cancelled": 0, "unknown": 0}
    waiting: Counter = Counter()
    ledger = {"docs_in": 0, "docs_out": 0, "dropped": 0, "failed": 0}
    failed_ranks: list[int] = []
    chunk_of = {}
    for job in entry.get("jobs", []):
        for index in range(job["size"]):
            chunk_of[job["offset"] + index] = (job["id"], index)
    for rank in range(entry["tasks"]):
        marker = entry["done"].format(rank=rank)
        if marker_exists(marker):
            counts["done"] += 1
            if marker.endswith(".json"):
                try:
                    data = json.loads(Path(marker).read_text())
                except (OSError, ValueError):
                    data = {}
                ledger["docs_in"] += int(data.get("docs_in", 0))
                ledger["docs_out"] += int(data.get("docs_out", 0))
                ledger["dropped"] += sum((data.get("dropped") or {}).values())
                ledger["failed"] += sum((data.get("failed") or {}).values())
            continue
        state = states.get(chunk_of[rank]) if rank in chunk_of else None
        if state in RUNNING:
            counts["running"] += 1
        elif state in PENDING:
            counts["pending"] += 1
            if reasons and chunk_of.get(rank) in reasons:
                waiting[reasons[chunk_of[rank]]] += 1
        elif state is None:
            counts["unknown" if entry["action"] == "submit" else "pending"] += 1
        elif state == "DEPENDENCY_CANCELLED":
            counts["cancelled"] += 1
        else:
            counts["failed"] += 1
            failed_ranks.append(rank)
    return {"stage": name, "tasks": entry["tasks"], "action": entry["action"], **counts,
            "failed_ranks": failed_ranks, "jobs": [j["id"] for j in entry.get("jobs", [])], "ledger": ledger,
            "pending_reasons": dict(waiting.most_common())}


def collect(state_dir: Path) -> list[dict]:
    history = json.loads((state_dir / JOBS_FILE).read_text())
    latest = history["submissions"][-1]
    ids = [job["id"] for entry in latest["stages"].values() for job in entry.get("jobs", [])]
    states = task_states(ids)
    reasons = pending_reasons(ids)
    return [stage_status(name, entry, states, reasons) for name, entry in latest["stages"].items()
            if entry["action"] != "excluded"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="slurm-status", description=__doc__.split("\n\n")[0])
    parser.add_argument("output", nargs="?", default="out", help="the run folder (run.output)")
    parser.add_argument("--state-dir", help="run.state_dir when it is not OUTPUT/_slurm")
    parser.add_argument("--json", action="store_true", help="print machine-readable rows")
    args = parser.parse_args(argv)
    state = Path(args.state_dir or Path(args.output) / "_slurm")
    if not (state / JOBS_FILE).exists():
        print(f"slurm-status: no {JOBS_FILE} in {state}: nothing was submitted for this output", file=sys.stderr)
        return 2
    rows = collect(state)
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    header = f"{'stage':<18}{'tasks':>6}{'done':>6}{'run':>5}{'pend':>6}{'fail':>6}{'cncl':>6}  {'in':>7}" \
             f"{'out':>7}{'drop':>6}{'err':>6}  jobs"
    print(header)
    for row in rows:
        led = row["ledger"]
        extra = f"{row['unknown']} unknown " if row["unknown"] else ""
        extra += f"failed ranks {row['failed_ranks'][:10]} " if row["failed_ranks"] else ""
        if row["pending_reasons"]:
            extra += "waiting: " + ", ".join(f"{reason} ({n})" for reason, n in row["pending_reasons"].items())
        print(f"{row['stage']:<18}{row['tasks']:>6}{row['done']:>6}{row['running']:>5}{row['pending']:>6}"
              f"{row['failed']:>6}{row['cancelled']:>6}  {led['docs_in']:>7}{led['docs_out']:>7}{led['dropped']:>6}{led['failed']:>6}"
              f"  {','.join(row['jobs']) or '-'} {extra}".rstrip())
    print("done: shards with their completion marker; fail: ended without it; cncl: cancelled because an "
          "upstream stage failed; in/out/drop/err: the ledger of the done shards; waiting: why Slurm keeps pending "
          "tasks pending (Dependency: an upstream stage is not done; Resources / Priority: the cluster is busy; "
          "ReqNodeNotAvail, PartitionConfig, ...: the request does not fit, see `scontrol show job ID`)")
    print(f"task logs: {state / 'logs'}/<stage>/<array job>_<index>.log")
    return 0


if __name__ == "__main__":
    sys.exit(main())
