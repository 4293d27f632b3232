"""Termination reaches every process a stage started.

A stage runs a tree of processes: datatrove's task workers, the bounded workers that parse PDFs, OCR page
workers, a vLLM server. SIGTERM (scancel, `docker stop`, a supervisor) to the stage's process must end them all,
not only the first: ``install_termination_handler`` makes SIGTERM and SIGHUP terminate every descendant (found
through /proc, so grandchildren started by libraries count too), give them a moment, kill what is left, and exit
143. Completed shards are kept; the interrupted ones are redone by the next run.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

_INSTALLED = False


def descendants(pid: int | None = None) -> list[int]:
    """Every live descendant of ``pid`` (default: this process), children first."""
    pid = os.getpid() if pid is None else pid
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rfind(")") + 2:].split()  # after "(comm)", which may hold spaces
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], list(parents.get(pid, []))
    while todo:
        child = todo.pop(0)
        found.append(child)
        todo.extend(parents.get(child, []))
    return found


def terminate_descendants(grace_s: float = 3.0) -> None:
    children = descendants()
    for pid in children:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline and any(_alive(p) for p in children):
        time.sleep(0.05)
    for pid in descendants() + children:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def _on_signal(signum, frame):  # noqa: ARG001 - the signal handler's signature
    signal.signal(signum, signal.SIG_IGN)  # our children's deaths must not re-enter
    terminate_descendants()
    os._exit(128 + signum)


def install_termination_handler() -> None:
    """In the process that runs a stage (the CLI's): SIGTERM / SIGHUP end the whole tree."""
    global _INSTALLED
    if _INSTALLED or not Path("/proc").is_dir():
        return
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _on_signal)
    _INSTALLED = True
