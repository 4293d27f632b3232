"""Submit a finepdfs run to Slurm: one job array per stage, chained with afterok (what finepdfs.sbatch runs).

    python3 -m orchestration.submit [--input URI] [--output URI] [--tasks N] [--config FILE]
                                    [--runtime apptainer|docker|none] [--cluster-config FILE]...
                                    [--set KEY=VALUE]... [--dry-run]

The settings have the names they have everywhere: --input, --output, --tasks and --config (the finepdfs
stage config, keys the stages' stage.toml files declare) are `finepdfs run`'s; the cluster's own settings are in
orchestration/cluster.toml (--cluster-config adds files over it, --set overrides one key: run.runtime=none).

Writes each stage's task script and a record of every submission (job ids per stage and chunk) to
STATE/jobs.json, where STATE is run.state_dir (default OUTPUT/_slurm); task logs go to STATE/logs/<stage>/.
Re-running it resumes: complete stages are skipped, and tasks skip the shards they already completed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

from orchestration.plan import PlanError, absolute, load_config, plan_run, resolve_stages, stage_script

JOBS_FILE = "jobs.json"


def slurm_env() -> dict[str, str]:
    """The caller's environment without the driver job's own SLURM_*/SBATCH_* variables (keeps SLURM_CONF).

    Inside the driver job those describe the driver's allocation; sbatch would read some of them as defaults.
    """
    keep = {"SLURM_CONF"}
    return {k: v for k, v in os.environ.items() if k in keep or not k.startswith(("SLURM_", "SBATCH_", "SALLOC_"))}


def cluster_max_array_size() -> int:
    try:
        out = subprocess.run(["scontrol", "show", "config"], capture_output=True, text=True, env=slurm_env(),
                             timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return 1001  # Slurm's default
    match = re.search(r"^MaxArraySize\s*=\s*(\d+)", out, re.MULTILINE)
    return int(match.group(1)) if match else 1001


def state_dir(config: dict, root: Path, output: str) -> Path:
    configured = config["run"].get("state_dir")
    if configured:
        return Path(configured if os.path.isabs(configured) else root / configured)
    if "://" in output:
        raise PlanError("run.output is a URI: set run.state_dir to a shared local folder for job records and logs")
    return Path(output) / "_slurm"


def sbatch(options: list[str], script: Path, dependency: list[str]) -> str:
    argv = ["sbatch", "--parsable", *options]
    if dependency:
        argv += [f"--dependency=afterok:{':'.join(dependency)}", "--kill-on-invalid-dep=yes"]
    argv.append(str(script))
    done = subprocess.run(argv, capture_output=True, text=True, env=slurm_env())
    if done.returncode != 0:
        raise RuntimeError(f"sbatch failed ({done.returncode}): {shlex.join(argv)}\n{done.stderr.strip()}")
    return done.stdout.strip().split(";")[0]


def cancel(job_ids: list[str]) -> None:
    if job_ids:
        subprocess.run(["scancel", *job_ids], env=slurm_env(), capture_output=True)


def check_resources(stages: list, config: dict, fit: bool, check: bool) -> list:
    """Compare what each selected array asks with what its partition's nodes have, before anything is submitted:
    raise PlanError listing every array that could never start, with the --set that fixes it (``fit``: apply the
    fixes and say so). Without scontrol the check is skipped, and said."""
    from orchestration.fit import cluster_limits, fitted, problems
    from orchestration.plan import job_names
    from shared import registry

    if not check:
        return stages
    limits = cluster_limits(slurm_env())
    if limits is None:
        print("finepdfs.sbatch: could not read the cluster's nodes and partitions (scontrol show node/partition): "
              "resources are not checked", file=sys.stderr)
        return stages
    if fit:
        stages, changes = fitted(stages, limits)
        for change in changes:
            print(f"  fit: {change}")
    selected = {n for s in config["run"].get("stages", [])
                for n in (job_names(registry.BY_NAME[s]) if s in registry.BY_NAME else [s])}
    found = problems([s for s in stages if not selected or s.name in selected], limits, config)
    if found:
        lines = [f"{len(found)} resource request(s) cannot be met by this cluster; nothing was submitted:"]
        lines += [f"  {p.job}: {p.message}\n      fix: {p.fix}" for p in found]
        lines.append("  (or add --fit to shrink every array to what its partition has)")
        raise PlanError("\n".join(lines))
    return stages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="finepdfs.sbatch", description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", help="run.input: PDFs/WARCs for ingest")
    parser.add_argument("--output", help="run.output: the run folder")
    parser.add_argument("--tasks", type=int, help="run.tasks: shards per stage")
    parser.add_argument("--config", help="run.config: the finepdfs stage config (TOML) given to every stage")
    parser.add_argument("--runtime", choices=["apptainer", "docker", "none"], help="run.runtime")
    parser.add_argument("--cluster-config", action="append", default=[],
                        help="more cluster config (TOML) over orchestration/cluster.toml, in order")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override one key")
    parser.add_argument("--root", default=None, help="checkout to resolve relative paths against (default: cwd)")
    parser.add_argument("--dry-run", action="store_true", help="print the plan and sbatch lines, submit nothing")
    parser.add_argument("--fit", action="store_true",
                        help="shrink CPUs, memory, GPUs and time of arrays that ask more than their partition's nodes "
                        "have (the one-machine try-out); without it such arrays stop the submission with the fix")
    parser.add_argument("--no-check", action="store_true", help="do not compare resources with the cluster")
    args = parser.parse_args(argv)

    root = Path(args.root or os.getcwd()).resolve()
    sets = list(args.set)
    for key in ("input", "output", "tasks", "config", "runtime"):
        if getattr(args, key) is not None:
            sets.append(f"run.{key}={json.dumps(getattr(args, key))}")
    try:
        config = load_config(args.cluster_config, sets)
        stages = resolve_stages(config, root)
        stages = check_resources(stages, config, fit=args.fit, check=not args.no_check)
        output = absolute(config["run"]["output"], root)
        state = state_dir(config, root, output)
        max_array = int(config["slurm"].get("max_array_size") or 0) or cluster_max_array_size()
        plans = plan_run(stages, list(config["run"].get("stages", [])), max_array, str(state / "logs"),
                         list(config["slurm"].get("extra_args", [])))
    except PlanError as error:
        print(f"finepdfs.sbatch: {error}", file=sys.stderr)
        return 2

    runtime = config["run"]["runtime"]
    print(f"finepdfs on Slurm: runtime {runtime}, output {output}, MaxArraySize {max_array}")
    record = {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "driver_job": os.environ.get("SLURM_JOB_ID"),
        "runtime": runtime,
        "output": output,
        "state_dir": str(state),
        "stages": {},
    }
    if not args.dry_run:
        (state / "scripts").mkdir(parents=True, exist_ok=True)
        if "://" not in output:
            Path(output).mkdir(parents=True, exist_ok=True)
    ids: dict[str, list[str]] = {}
    submitted: list[str] = []
    for plan in plans:
        stage = plan.job
        entry = {"action": plan.action, "tasks": stage.tasks, "after": stage.after, "output": stage.output,
                 "done": stage.done, "jobs": []}
        record["stages"][stage.name] = entry
        if plan.action != "submit":
            print(f"  {stage.name:<18} {plan.action}: not submitted")
            continue
        script = state / "scripts" / f"{stage.name}.sh"
        entry["script"] = str(script)
        entry["log_dir"] = str(state / "logs" / stage.name)
        dependency = [job for up in plan.after for job in ids[up]]
        ids[stage.name] = []
        if not args.dry_run:
            script.write_text(stage_script(stage, runtime, config, root))
            (state / "logs" / stage.name).mkdir(parents=True, exist_ok=True)
        for chunk in plan.chunks:
            if args.dry_run:
                job_id = f"<{stage.name}-{chunk.index}>"
                print("    sbatch " + shlex.join(chunk.sbatch + ([f"--dependency=afterok:{':'.join(dependency)}"]
                                                                  if dependency else []) + [str(script)]))
            else:
                try:
                    job_id = sbatch(chunk.sbatch, script, dependency)
                except RuntimeError as error:
                    print(f"finepdfs.sbatch: {error}", file=sys.stderr)
                    cancel(submitted)
                    print("finepdfs.sbatch: cancelled the jobs submitted so far", file=sys.stderr)
                    return 1
                submitted.append(job_id)
            ids[stage.name].append(job_id)
            entry["jobs"].append({"id": job_id, "offset": chunk.offset, "size": chunk.size,
                                  "sbatch": chunk.sbatch})
        print(f"  {stage.name:<18} job {','.join(ids[stage.name])}: {stage.tasks} tasks "
              f"({len(plan.missing)} to do) on {stage.partition}, {stage.cpus} CPU {stage.mem}"
              + (f" {stage.gpus} GPU" if stage.gpus else "")
              + (f" after {','.join(plan.after)}" if plan.after else "")
              + ("" if args.dry_run else f"; logs {state / 'logs' / stage.name}/"))
    if args.dry_run:
        for plan in plans:
            if plan.action == "submit":
                print(f"--- task script of {plan.job.name} ---")
                print(stage_script(plan.job, runtime, config, root))
        return 0
    history_path = state / JOBS_FILE
    history = json.loads(history_path.read_text()) if history_path.exists() else {"submissions": []}
    history["submissions"].append(record)
    tmp = history_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(history, indent=1))
    tmp.replace(history_path)
    print(f"job ids: {history_path}")
    print(f"task logs: {state / 'logs'}/<stage>/<array job>_<index>.log")
    print(f"status: just slurm-status {output}   (or python3 -m orchestration.status {output})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
