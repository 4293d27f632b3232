"""Peak memory per stage of a running pipeline, sampled from the process table (psutil).

``RunMonitor`` follows one `finepdfs run` process tree and attributes each sample to the step the run says it
is in (the ``[k/N] <stage>  running`` line of its progress view). ``ClusterMonitor`` finds
the stage processes of a Slurm run on this machine by their command line (``stages.cli <stage> [--step S] ...
--output <run folder>/...``) and attributes each to its step.
"""

from __future__ import annotations

import re
import threading
import time
from collections import defaultdict

import psutil

# `finepdfs run`'s progress view: "[3/8] extract-docling  running" (a stage of several steps: "running (a, b)")
STEP_LINE = re.compile(r"^\[\d+/\d+\] (?P<name>[a-z][a-z-]*)\s+running\b")


def _tree_rss(root: psutil.Process) -> tuple[int, int]:
    """(sum of RSS over the tree, largest single RSS), bytes."""
    total = largest = 0
    try:
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0, 0
    for proc in procs:
        try:
            rss = proc.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        total += rss
        largest = max(largest, rss)
    return total, largest


class _Sampler:
    def __init__(self, interval: float):
        self.interval = interval
        self.peak_total: dict[str, int] = defaultdict(int)
        self.peak_process: dict[str, int] = defaultdict(int)
        self.started: dict[str, float] = {}
        self.ended: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def record(self, step: str, total: int, largest: int) -> None:
        now = time.monotonic()
        self.started.setdefault(step, now)
        self.ended[step] = now
        self.peak_total[step] = max(self.peak_total[step], total)
        self.peak_process[step] = max(self.peak_process[step], largest)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        raise NotImplementedError

    def summary(self) -> dict:
        return {step: {"peak_rss_mb": round(self.peak_total[step] / 2**20, 1),  # all its processes at once
                       "peak_one_mb": round(self.peak_process[step] / 2**20, 1),  # one process / one task
                       "seen_s": round(self.ended[step] - self.started[step], 1)}
                for step in self.started}


class RunMonitor(_Sampler):
    """Samples one process tree; ``feed(line)`` with each stderr line moves it to the next step."""

    def __init__(self, pid: int, interval: float = 0.5):
        super().__init__(interval)
        self.root = psutil.Process(pid)
        self.step = "start"
        self.step_since = time.monotonic()
        self.steps: list[str] = []

    def feed(self, line: str) -> None:
        found = STEP_LINE.match(line.strip())
        if found and found["name"] != self.step:
            self.step = found["name"]
            self.step_since = time.monotonic()
            self.steps.append(self.step)

    def sample(self) -> None:
        total, largest = _tree_rss(self.root)
        if total:
            self.record(self.step, total, largest)


class ClusterMonitor(_Sampler):
    """Samples every stage process of one Slurm run (its output folder in the command line)."""

    def __init__(self, run_folder: str, interval: float = 0.5):
        super().__init__(interval)
        self.run_folder = run_folder.rstrip("/")

    def _step_of(self, cmdline: list[str]) -> str | None:
        if "stages.cli" not in cmdline or not any(a.startswith(self.run_folder + "/") for a in cmdline):
            return None
        stage = cmdline[cmdline.index("stages.cli") + 1]
        step = cmdline[cmdline.index("--step") + 1] if "--step" in cmdline else None
        return f"{stage}-{step}" if step else stage

    def sample(self) -> None:
        matched: dict[int, tuple[psutil.Process, str]] = {}
        for proc in psutil.process_iter(["cmdline", "ppid"]):
            step = self._step_of(proc.info["cmdline"] or [])
            if step is not None:
                matched[proc.pid] = (proc, step)
        totals: dict[str, int] = defaultdict(int)
        largest: dict[str, int] = defaultdict(int)
        for proc, step in matched.values():
            if proc.info["ppid"] in matched:  # a forked worker of a task already counted in its tree
                continue
            total, _ = _tree_rss(proc)
            totals[step] += total
            largest[step] = max(largest[step], total)  # one task (its whole process tree)
        for step, total in totals.items():
            self.record(step, total, largest[step])
