"""`just soak`: a generated corpus with hostile inputs through `finepdfs run`, then through Slurm.

    python -m tools.soak [--count 5000] [--tasks 16] [--workers 2] [--out build/soak] [--no-slurm] ...

1. writes the corpus (tools.hostile: seeded; reused when OUT/corpus holds the same one);
2. `finepdfs run --tasks N` on it (nice -n 10), sampling the memory of its processes per step; a step that makes
   no progress (no shard completed) for --step-timeout seconds is a hang: the run is stopped, the hung ranks and the hostile inputs in
   their shards are named, with a command that reproduces it;
3. the same through Slurm: orchestration/finepdfs.sbatch with runtime none on the cluster of $SLURM_CONF
   (default: build/slurm/slurm.conf, else /work/main's test cluster), the stage processes sampled the same way;
4. the report, OUT/report.md and OUT/report.json: wall time, peak RSS per step, the ledger of every stage and
   whether it balances, and the fate of every input (tools/soak/accounting.py).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from tools.soak import accounting
from tools.soak.monitor import ClusterMonitor, RunMonitor

REPO = Path(__file__).resolve().parents[2]
PY = sys.executable
SLURM_CONFS = (REPO / "build" / "slurm" / "slurm.conf", Path("/work/main/build/slurm/slurm.conf"))
ENDED = {"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL",
         "DEADLINE"}


def write_stage_config(path: Path, document_timeout_s: float) -> Path:
    """The stage settings of the soak (the same for both runs)."""
    path.write_text(f"[extract-docling]\ndocument_timeout_s = {document_timeout_s}\n")
    return path


def corpus(out: Path, count: int, seed: int, hostile_share: float, exclude: list[str]) -> tuple[Path, dict]:
    from tools.hostile.corpus import write_corpus

    folder = out / "corpus"
    wanted = {"count": count, "seed": seed, "hostile_share": hostile_share, "exclude_kinds": sorted(exclude)}
    manifest_path = folder / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if {k: manifest.get(k, []) for k in wanted} == wanted:
            return folder / "pdfs", manifest
        raise SystemExit(f"{folder} holds another corpus ({ {k: manifest.get(k) for k in wanted} }): remove it")
    start = time.monotonic()
    write_corpus(folder, count=count, seed=seed, hostile_share=hostile_share, exclude_kinds=tuple(exclude))
    manifest = json.loads(manifest_path.read_text())
    manifest["written_s"] = round(time.monotonic() - start, 1)
    return folder / "pdfs", manifest


# --- finepdfs run ------------------------------------------------------------------------------------------
def _stop(proc: subprocess.Popen) -> None:
    """The run's own process group (it was started in a new session): TERM, then KILL."""
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def run_local(inputs: Path, run: Path, tasks: int, workers: int, config: Path, step_timeout: float,
              log: Path) -> dict:
    command = ["nice", "-n", "10", PY, "-m", "stages.cli", "run", "--input", str(inputs), "--output", str(run),
               "--tasks", str(tasks), "--workers", str(workers), "--config", str(config)]
    env = {**os.environ, "COLUMNS": "400"}  # one line per step announcement
    start = time.monotonic()
    with open(log, "w") as log_file:
        proc = subprocess.Popen(command, cwd=REPO, stdout=log_file, stderr=subprocess.PIPE, text=True, env=env,
                                start_new_session=True)
        monitor = RunMonitor(proc.pid)
        monitor.start()

        def pump() -> None:
            for line in proc.stderr:
                log_file.write(line)
                log_file.flush()
                monitor.feed(line)

        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        hung = None
        shards, progress = 0, time.monotonic()
        while proc.poll() is None:
            time.sleep(2)
            done = completed_shards(run)
            if done != shards or monitor.step_since > progress:  # a shard completed, or a new step began
                shards, progress = done, time.monotonic()
            if time.monotonic() - progress > step_timeout:
                hung = monitor.step
                _stop(proc)
                break
        proc.wait()
        reader.join(timeout=10)
        monitor.stop()
    return {"command": " ".join(command), "exit_code": proc.returncode, "wall_s": round(time.monotonic() - start, 1),
            "steps": monitor.steps, "hung_step": hung, "step_timeout_s": step_timeout, "memory": monitor.summary(),
            "log": str(log)}


def completed_shards(run: Path) -> int:
    """Ledgers under a run folder; the run's staging folders come and go meanwhile (walk errors are skipped)."""
    return sum(sum(1 for name in files if name.endswith(".json")) for folder, _, files in os.walk(run)
               if os.path.basename(folder) == "ledger")


def hang_finding(run: Path, step: str, tasks: int, manifest: dict, config: Path) -> dict:
    """Which ranks of a hung step never completed, and the hostile inputs in their input shards."""
    from shared import registry

    stage_name = next(s.name for s in registry.STAGES if step in accounting_step_names(s))
    stage = registry.get(stage_name)
    output = run / stage_name
    done = {int(p.stem) for p in (output / "ledger").glob("*.json")}
    missing = [r for r in range(tasks) if r not in done]
    suspects = []
    if stage.inputs:
        by_id = _ingest_sources(run)
        hostile = {e["url"] or e["path"]: e for e in manifest["inputs"] if e["kind"] == "hostile"}
        for rank in missing:
            for upstream in stage.inputs:
                for shard in sorted((run / upstream).rglob(f"{rank:05d}.parquet")):
                    if any(p.startswith("_") or p in ("errors", "drops") for p in shard.relative_to(run).parts):
                        continue
                    import pyarrow.parquet as pq

                    for doc_id in pq.read_table(shard, columns=["id"]).column(0).to_pylist():
                        source = by_id.get(doc_id)
                        if source in hostile:
                            suspects.append({"rank": rank, "input": source, "kind": hostile[source]["detail"]})
    reproduce = (f"{PY} -m stages.cli {stage_name} --input {stage.input_uris(str(run), '?')} --output /tmp/repro "
                 f"--tasks {tasks} --rank {missing[0] if missing else 0} --config {config}")
    return {"step": step, "incomplete_ranks": missing, "hostile_inputs_in_those_shards": suspects,
            "reproduce": reproduce}


def accounting_step_names(stage) -> list[str]:
    return [stage.name] + [f"{stage.name}-{s.name}" for s in stage.all_steps]


def _ingest_sources(run: Path) -> dict[str, str]:
    import pyarrow.parquet as pq

    sources = {}
    for shard in sorted((run / "ingest").glob("[0-9]*.parquet")):
        for row in pq.read_table(shard, columns=["id", "url", "file_path"]).to_pylist():
            sources[row["id"]] = row["url"] or row["file_path"]
    return sources


# --- Slurm -------------------------------------------------------------------------------------------------
def slurm_conf() -> Path | None:
    if os.environ.get("SLURM_CONF"):
        return Path(os.environ["SLURM_CONF"])
    return next((p for p in SLURM_CONFS if p.exists()), None)


def _squeue(ids: list[str], env: dict) -> dict[str, str]:
    done = subprocess.run(["squeue", "-h", "-r", "--states=all", "-o", "%i|%T", "-j", ",".join(ids)], env=env,
                          capture_output=True, text=True, timeout=60)
    return dict(line.split("|", 1) for line in done.stdout.split())


def run_slurm(inputs: Path, run: Path, tasks: int, config: Path, out: Path, time_limit: str,
              total_timeout: float) -> dict:
    conf = slurm_conf()
    if conf is None or not shutil_which("sbatch"):
        return {"skipped": "no Slurm cluster here (scripts/services.d/slurm.sh start)"}
    env = {**os.environ, "SLURM_CONF": str(conf), "FINEPDFS_HOME": str(REPO), "FINEPDFS_PYTHON": PY}
    wrapper = out / "bin" / "finepdfs"
    wrapper.parent.mkdir(parents=True, exist_ok=True)
    wrapper.write_text(f"#!/bin/bash\ncd {REPO}\nexec nice -n 10 {PY} -m stages.cli \"$@\"\n")
    wrapper.chmod(0o755)
    cluster = out / "cluster.toml"
    cluster.write_text("\n".join([
        "[run]", f'input = "{inputs}"', f'output = "{run}"', 'runtime = "none"', f"tasks = {tasks}",
        f'config = "{config}"', "[runtimes.none]", f'finepdfs = "{wrapper}"', "[partitions.gpu]",
        "gpus_per_task = 0", "[defaults]", 'mem = "3G"', f'time = "{time_limit}"', "cpus = 1",
        "[stages.extract-docling]", "cpus = 1", 'mem = "6G"', "[stages.ocr]", "cpus = 1", 'mem = "5G"',
        "extra_args = []",  # the CPU engine (cluster.toml asks for RolmOCR on GPUs)
        "[stages.ingest]", 'mem = "3G"', "",
    ]))
    log = out / "slurm-driver.log"
    start = time.monotonic()
    monitor = ClusterMonitor(str(run))
    monitor.start()
    submitted = subprocess.run(["sbatch", "--wait", f"--output={log}", "orchestration/finepdfs.sbatch",
                                "--cluster-config", str(cluster)], cwd=REPO, env=env, capture_output=True,
                               text=True, timeout=600)
    if submitted.returncode != 0:
        monitor.stop()
        return {"error": f"driver failed: {submitted.stderr[-2000:]} {log.read_text()[-2000:] if log.exists() else ''}"}
    submission = json.loads((run / "_slurm" / "jobs.json").read_text())["submissions"][-1]
    ids = [job["id"] for entry in submission["stages"].values() for job in entry.get("jobs", [])]
    states: dict[str, str] = {}
    timed_out = False
    while ids:
        states = _squeue(ids, env) or states
        if states and all(s in ENDED for s in states.values()):
            break
        if time.monotonic() - start > total_timeout:
            subprocess.run(["scancel", *ids], env=env)
            timed_out = True
            break
        time.sleep(2)
    monitor.stop()
    from orchestration import status

    os.environ["SLURM_CONF"] = str(conf)
    by_stage = {r["stage"]: {k: r[k] for k in ("tasks", "done", "failed", "cancelled", "failed_ranks")}
                for r in status.collect(run / "_slurm")}
    counts: dict[str, int] = {}
    for state in states.values():
        counts[state] = counts.get(state, 0) + 1
    return {"slurm_conf": str(conf), "cluster_config": str(cluster), "wall_s": round(time.monotonic() - start, 1),
            "timed_out": timed_out, "task_states": counts, "steps": by_stage, "memory": monitor.summary(),
            "logs": str(run / "_slurm" / "logs")}


def shutil_which(name: str) -> str | None:
    import shutil

    return shutil.which(name)


# --- report ------------------------------------------------------------------------------------------------
def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


def markdown(report: dict) -> str:
    lines = ["# Soak report", "", f"corpus: {report['corpus']['inputs']} inputs ({report['corpus']['count']} PDFs asked, "
             f"seed {report['corpus']['seed']}, hostile share {report['corpus']['hostile_share']}, hostile kinds "
             f"left out: {report['corpus'].get('exclude_kinds') or 'none'}), "
             f"tasks {report['tasks']}, workers {report['workers']}", ""]
    lines += ["Inputs by kind: " + ", ".join(f"{k} {n}" for k, n in report["corpus"]["by_kind"].items()), ""]
    for name in ("local", "slurm"):
        part = report.get(name)
        if not part:
            continue
        lines += [f"## {name}", ""]
        if part.get("skipped") or part.get("error"):
            lines += [part.get("skipped") or part.get("error"), ""]
            continue
        run = part["run"]
        lines += [f"wall time: {run['wall_s']} s" + (f", exit code {run['exit_code']}" if "exit_code" in run else "")
                  + (f", timed out: {run['timed_out']}" if "timed_out" in run else ""), ""]
        if run.get("hung_step"):
            hang = part["hang"]
            lines += [f"**HANG**: step `{run['hung_step']}` made no progress for {run['step_timeout_s']} s; "
                      f"incomplete ranks {hang['incomplete_ranks']}; hostile inputs in those shards: "
                      + (", ".join(f"`{s['input']}` ({s['kind']})" for s in hang["hostile_inputs_in_those_shards"])
                         or "none") + f". Reproduce: `{hang['reproduce']}`", ""]
        if run.get("steps") and isinstance(run["steps"], dict):
            lines += _table(["step", "tasks", "done", "failed", "cancelled", "failed ranks"],
                            [[k, v["tasks"], v["done"], v["failed"], v["cancelled"], v["failed_ranks"][:8]]
                             for k, v in run["steps"].items()]) + [""]
        memory = run.get("memory", {})
        lines += ["Peak RSS per step (all its processes at once; the largest single process, or single Slurm "
                  "task with its children):", ""]
        lines += _table(["step", "peak RSS MB", "largest one MB", "seen s"],
                        [[k, v["peak_rss_mb"], v["peak_one_mb"], v["seen_s"]] for k, v in memory.items()]) + [""]
        acc = part["accounting"]
        lines += ["Ledger per stage:", ""]
        lines += _table(["stage", "shards", "in", "out", "dropped", "failed", "balanced"],
                        [[k, v["shards"], v["docs_in"], v["docs_out"], v["docs_dropped"], v["docs_failed"],
                          v["balanced"]] for k, v in acc["ledgers"].items()]) + [""]
        lines += [f"ledgers balanced: **{acc['ledgers_balanced']}**; inputs lost: **{len(acc['lost'])}**; not run "
                  f"(a stage did not complete): {len(acc['not_run'])}; ingest rows matching no input: "
                  f"{len(acc['unmatched_ingest_rows'])}; ids duplicated in a stage's output: "
                  f"{sum(len(v) for v in acc['duplicated_ids'].values())}; in both extractors: "
                  f"{len(acc['in_both_extractors'])}", ""]
        lines += ["Every input by fate:", ""] + _table(["fate", "inputs"], list(acc["by_fate"].items())) + [""]
        lines += ["By outcome (stage and reason / error class):", ""]
        lines += _table(["outcome", "inputs"], list(acc["by_outcome"].items())) + [""]
        lines += ["Hostile inputs by kind:", ""]
        lines += _table(["kind", "outcomes"], [[k, "; ".join(f"{o}: {n}" for o, n in v.items())]
                                              for k, v in acc["hostile_by_kind"].items()]) + [""]
        final = acc.get("final") or {}
        if final:
            lines += [f"final dataset: {final['documents']} documents, {final['flagged_truncated_or_failed_pages']} "
                      "flagged (is_truncated or failed_pages); hostile inputs in it by kind: "
                      + ", ".join(f"{k} {n}" for k, n in final["hostile_inputs_in_final_dataset_by_kind"].items()),
                      ""]
            partial = final.get("mutants_with_fewer_pages_than_their_source", [])
            lines += [f"mutants in the final dataset with fewer pages than their source: {len(partial)}, of which "
                      f"unflagged (is_truncated false, failed_pages empty): "
                      f"**{len(final.get('unflagged_partial_documents', []))}**", ""]
            lines += [f"- `{p['input']}` ({p['kind']}): {p['num_pages']} of {p['source_pages']} pages, failed_pages "
                      f"{p['failed_pages']}, is_truncated {p['is_truncated']}" for p in partial[:30]] + [""]
        for lost in acc["lost"][:20]:
            lines.append(f"- lost: `{lost['url'] or lost['path']}` ({lost['kind']} {lost['detail']}): {lost['outcome']}")
    both = report.get("local_vs_slurm")
    if both is not None:
        lines += ["", "## local vs Slurm", "",
                  f"inputs with another outcome: {len(both['inputs_with_another_outcome'])}; stages whose ledger "
                  f"differs: {sorted(both['ledger_differences']) or 'none'}", ""]
        lines += [f"- `{d['input']}`: local {d['local']}, Slurm {d['slurm']}" for d in
                  both["inputs_with_another_outcome"][:20]]
    lines += ["", "Findings:", ""] + [f"- {f}" for f in report.get("findings", [])] + [""]
    return "\n".join(lines)


def findings(report: dict) -> list[str]:
    """What the soak shows that should not be so (each with where to look)."""
    found = []
    both = report.get("local_vs_slurm") or {}
    if both.get("inputs_with_another_outcome") or both.get("ledger_differences"):
        found.append(f"local and Slurm differ: {len(both['inputs_with_another_outcome'])} input(s), ledgers of "
                     f"{sorted(both['ledger_differences'])}")
    for name in ("local", "slurm"):
        part = report.get(name) or {}
        run = part.get("run") or {}
        if run.get("hung_step"):
            hang = part["hang"]
            kinds = sorted({s["kind"] for s in hang["hostile_inputs_in_those_shards"]})
            found.append(f"{name}: `{run['hung_step']}` hung (no progress in {run['step_timeout_s']} s) on ranks "
                         f"{hang['incomplete_ranks']}; hostile kinds in those shards: {kinds}; `{hang['reproduce']}`")
        elif run.get("exit_code"):
            found.append(f"{name}: `finepdfs run` exited {run['exit_code']} (see {run['log']})")
        for step, state in (run.get("steps") or {}).items() if isinstance(run.get("steps"), dict) else ():
            if state["failed"]:
                found.append(f"{name}: Slurm step {step}: {state['failed']} task(s) failed: ranks "
                             f"{state['failed_ranks'][:10]} (logs: {run.get('logs')})")
        acc = part.get("accounting") or {}
        if acc and not acc["ledgers_balanced"]:
            found.append(f"{name}: a ledger does not balance")
        if acc.get("lost"):
            found.append(f"{name}: {len(acc['lost'])} input(s) lost (in no output, drop or error row)")
        if acc.get("duplicated_ids"):
            found.append(f"{name}: ids duplicated in a stage's output: {acc['duplicated_ids']}")
        unflagged = (acc.get("final") or {}).get("unflagged_partial_documents") or []
        if unflagged:
            found.append(f"{name}: {len(unflagged)} mutant(s) reached the final dataset with fewer pages than their "
                         "source and no flag (is_truncated false, failed_pages empty; issue 12 item 4): "
                         + ", ".join(f"`{p['input']}` {p['num_pages']}/{p['source_pages']}" for p in unflagged[:10]))
    return found


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tools.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=5000, help="PDFs in the corpus (files and WARC records)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hostile-share", type=float, default=0.1)
    parser.add_argument("--exclude-kinds", default="",
                        help="hostile kinds left out of the corpus, comma-separated (one a stage is known to hang on, "
                        "to soak the rest: e.g. nested_xobjects)")
    parser.add_argument("--tasks", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=REPO / "build" / "soak")
    parser.add_argument("--step-timeout", type=float, default=1800.0,
                        help="no shard completed for this long (seconds): the local run hangs; it is stopped")
    parser.add_argument("--slurm-time", default="01:00:00", help="time limit of each Slurm task")
    parser.add_argument("--slurm-timeout", type=float, default=6 * 3600.0, help="the whole Slurm run at most")
    parser.add_argument("--document-timeout-s", type=float, default=60.0,
                        help="extract-docling's per-document timeout in the soak (default 600 in stages/extract_docling/stage.toml)")
    parser.add_argument("--no-local", action="store_true")
    parser.add_argument("--no-slurm", action="store_true")
    args = parser.parse_args(argv)

    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    exclude = [k for k in args.exclude_kinds.split(",") if k]
    inputs, manifest = corpus(out, args.count, args.seed, args.hostile_share, exclude)
    config = write_stage_config(out / "stage-config.toml", args.document_timeout_s)
    by_kind: dict[str, int] = {}
    for entry in manifest["inputs"]:
        by_kind[entry["kind"]] = by_kind.get(entry["kind"], 0) + 1
    report = {"corpus": {"count": args.count, "seed": args.seed, "hostile_share": args.hostile_share,
                         "exclude_kinds": exclude,
                         "inputs": len(manifest["inputs"]), "by_kind": by_kind, "folder": str(inputs),
                         "written_s": manifest.get("written_s")},
              "tasks": args.tasks, "workers": args.workers, "stage_config": config.read_text()}
    if not args.no_local:
        run = out / "local"
        result = run_local(inputs, run, args.tasks, args.workers, config, args.step_timeout, out / "local.log")
        report["local"] = {"run": result}
        if result["hung_step"]:
            report["local"]["hang"] = hang_finding(run, result["hung_step"], args.tasks, manifest, config)
        report["local"]["accounting"] = accounting.account(run, manifest, args.tasks)
        _write(out, report)
    if not args.no_slurm:
        run = out / "slurm"
        result = run_slurm(inputs, run, args.tasks, config, out, args.slurm_time, args.slurm_timeout)
        report["slurm"] = {"run": result} if "wall_s" in result else result
        if "wall_s" in result:
            report["slurm"]["accounting"] = accounting.account(run, manifest, args.tasks)
    if report.get("local", {}).get("accounting") and report.get("slurm", {}).get("accounting"):
        report["local_vs_slurm"] = compare(report["local"]["accounting"], report["slurm"]["accounting"])
    _write(out, report)
    print(f"soak report: {out / 'report.md'} (and report.json)")
    return 0


def compare(local: dict, slurm: dict) -> dict:
    """Do the two runtimes agree, input by input (the same outcome) and stage by stage (the same ledger)?"""
    def key(r):
        return r["url"] or r["path"]

    theirs = {key(r): r["outcome"] for r in slurm["results"]}
    differ = [{"input": key(r), "local": r["outcome"], "slurm": theirs.get(key(r))} for r in local["results"]
              if theirs.get(key(r)) != r["outcome"]]
    fields = ("docs_in", "docs_out", "dropped", "failed")
    ledgers = {name: {f: (local["ledgers"].get(name, {}).get(f), slurm["ledgers"].get(name, {}).get(f))
                      for f in fields if local["ledgers"].get(name, {}).get(f) != slurm["ledgers"].get(name, {}).get(f)}
               for name in sorted(set(local["ledgers"]) | set(slurm["ledgers"]))}
    return {"inputs_with_another_outcome": differ, "ledger_differences": {k: v for k, v in ledgers.items() if v}}


def _write(out: Path, report: dict) -> None:
    report["findings"] = findings(report)
    (out / "report.json").write_text(json.dumps(report, indent=1, default=str))
    (out / "report.md").write_text(markdown(report))
