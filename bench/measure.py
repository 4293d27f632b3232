"""Run one command and measure it: wall time, CPU time, and peak memory of each process in its tree.

The kernel's ``ru_maxrss`` (from ``wait4``) is the exact peak of the largest process in the tree that was waited
for; a psutil sampler (every 0.1 s) attributes peaks to processes by their command line, so a stage's Docling
worker, its datatrove task processes and the stage's main process are told apart.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass, field

import psutil


@dataclass
class Measured:
    argv: list[str]
    returncode: int
    wall_s: float
    cpu_s: float  # user + system of the whole tree (waited-for children, or the sampler's sum when larger)
    max_rss_mb: float  # kernel's peak RSS of the largest single process in the tree
    peak_tree_rss_mb: float  # sampled: the most memory the whole tree held at once
    peaks_by_role: dict[str, float] = field(default_factory=dict)  # sampled peak RSS (MB) per process role
    stderr_tail: str = ""

    def as_dict(self) -> dict:
        return {
            "wall_s": round(self.wall_s, 3),
            "cpu_s": round(self.cpu_s, 3),
            "max_rss_mb": round(self.max_rss_mb, 1),
            "peak_tree_rss_mb": round(self.peak_tree_rss_mb, 1),
            "peaks_by_role": {k: round(v, 1) for k, v in sorted(self.peaks_by_role.items())},
        }


def _role(proc: psutil.Process) -> str:
    """A short name for what a process in a stage's tree is."""
    try:
        cmd = " ".join(proc.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return "gone"
    if "multiprocessing.spawn" in cmd or "spawn_main" in cmd:
        return "spawned worker"
    if "multiprocessing.forkserver" in cmd or "resource_tracker" in cmd:
        return "mp helper"
    if "stages.cli" in cmd or "finepdfs" in cmd:
        return "stage process"
    return os.path.basename(proc.cmdline()[0]) if proc.cmdline() else "other"


class _Sampler(threading.Thread):
    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.stop = threading.Event()
        self.peak_tree = 0.0
        self.peaks: dict[str, float] = {}
        self.cpu: dict[int, float] = {}  # pid -> last CPU seconds seen (processes the kernel will not report)

    def run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self.stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            total = 0.0
            for proc in procs:
                try:
                    rss = proc.memory_info().rss / 2**20
                    times = proc.cpu_times()
                except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                    continue
                self.cpu[proc.pid] = times.user + times.system
                total += rss
                role = "stage process" if proc.pid == self.pid else _role(proc)
                if role == "stage process" and proc.pid != self.pid:
                    role = "task process"  # a forked datatrove worker carries its parent's command line
                self.peaks[role] = max(self.peaks.get(role, 0.0), rss)
            self.peak_tree = max(self.peak_tree, total)
            self.stop.wait(self.interval)


def run_measured(argv: list[str], env: dict | None = None, cwd: str | None = None, timeout: float | None = None,
                 log_path: str | None = None) -> Measured:
    """Run ``argv`` to completion; stdout/stderr go to ``log_path`` (or are discarded, keeping a tail)."""
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115 - closed below
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT if log_path else log)
    sampler = _Sampler(proc.pid)
    sampler.start()
    deadline = None if timeout is None else start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if deadline and time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.05)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    sampler.stop.set()
    sampler.join()
    tail = ""
    if log_path:
        log.close()
        with open(log_path, "rb") as f:
            f.seek(max(0, os.path.getsize(log_path) - 3000))
            tail = f.read().decode("utf-8", "replace")
    # wait4 only counts the processes that were waited for; a datatrove pool's workers and their own children
    # (killed at the end, reaped by init) are missing there but were seen by the sampler: take the larger
    return Measured(
        argv=list(argv),
        returncode=proc.returncode,
        wall_s=wall,
        cpu_s=max(usage.ru_utime + usage.ru_stime, sum(sampler.cpu.values())),
        max_rss_mb=usage.ru_maxrss / 1024,
        peak_tree_rss_mb=sampler.peak_tree,
        peaks_by_role=sampler.peaks,
        stderr_tail=tail,
    )
