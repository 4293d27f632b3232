"""Run hostile-input work (a PDF parser) in a child process with a hard time limit, a memory cap and recycling.

A PDF that hangs the parser, or makes it allocate without bound, costs one error row and a restarted worker,
not the shard. Recycling the worker every N documents also returns the memory that parsers such as Docling
are known to keep (see ../shared/ANCHORS.md: 12-20 GB growth reports).
"""

from __future__ import annotations

import atexit
import multiprocessing as mp
import os
import resource
from collections.abc import Callable
from typing import Any

from shared.outcomes import classify_exception


class WorkerTimeout(Exception):
    """The document took longer than the per-document time limit; its worker was killed."""


class WorkerCrashed(Exception):
    """The worker process died (out of memory under its cap, a segfault in native code)."""


class RemoteError(Exception):
    """An exception raised inside the worker; ``error_class`` keeps its original class name."""

    def __init__(self, error_class: str, message: str):
        super().__init__(message)
        self.error_class = error_class


def _serve(conn, init: Callable[[Any], Any], init_arg: Any, work: Callable[[Any, Any], Any], max_memory_mb: int):
    if max_memory_mb > 0:
        limit = max_memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    state = init(init_arg)
    conn.send(("ready", None))
    while True:
        try:
            payload = conn.recv()
        except EOFError:
            return
        if payload is None:
            return
        try:
            conn.send(("ok", work(state, payload)))
        except MemoryError:
            conn.send(("err", ("MemoryLimitExceeded", f"over the {max_memory_mb} MB worker cap")))
            return  # the heap may be fragmented: let the parent start a fresh worker
        except Exception as error:  # noqa: BLE001 - shipped back to the parent as an error row
            conn.send(("err", classify_exception(error)))


class BoundedWorker:
    """A recycled child process that runs ``work(state, payload)`` where ``state = init(init_arg)``.

    ``init`` and ``work`` must be module-level functions (they are sent to the child).
    """

    def __init__(
        self,
        init: Callable[[Any], Any],
        init_arg: Any,
        work: Callable[[Any, Any], Any],
        timeout_s: float,
        max_memory_mb: int = 0,
        max_tasks_per_child: int = 200,
        start_timeout_s: float = 300,
    ):
        self.init, self.init_arg, self.work = init, init_arg, work
        self.timeout_s = timeout_s
        self.max_memory_mb = max_memory_mb
        self.max_tasks_per_child = max_tasks_per_child
        self.start_timeout_s = start_timeout_s
        self._process = None
        self._conn = None
        self._tasks = 0
        self.restarts = 0

    def _start(self) -> None:
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe()
        self._process = ctx.Process(
            target=_serve, args=(child, self.init, self.init_arg, self.work, self.max_memory_mb), daemon=True
        )
        self._process.start()
        child.close()
        self._conn, self._tasks = parent, 0
        if not parent.poll(self.start_timeout_s):
            self.close()
            raise WorkerCrashed(f"worker did not start within {self.start_timeout_s}s")
        try:
            parent.recv()
        except (EOFError, OSError) as error:
            self.close()
            raise WorkerCrashed("worker died while starting (see its log above)") from error

    def _exit_code(self) -> int | None:
        """The dead worker's exit code (negative: the signal that killed it), once it has fully exited."""
        process = self._process
        if process is not None:
            process.join(timeout=5)
        code = process.exitcode if process is not None else None
        self.close()
        return code

    def __call__(self, payload: Any) -> Any:
        if self._process is None or not self._process.is_alive() or self._tasks >= self.max_tasks_per_child:
            if self._process is not None:
                self.restarts += 1
            self.close()
            self._start()
        self._tasks += 1
        try:
            self._conn.send(payload)
            if not self._conn.poll(self.timeout_s):
                self.close()
                raise WorkerTimeout(f"no result after {self.timeout_s:g}s; worker killed")
            status, value = self._conn.recv()
        except (EOFError, OSError) as error:  # the pipe closed or was reset: the worker died on this payload
            raise WorkerCrashed(f"worker died (exit code {self._exit_code()})") from error
        if status == "ok":
            return value
        if value[0] == "MemoryLimitExceeded":
            self.close()
        raise RemoteError(*value)

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.send(None)
            except (BrokenPipeError, OSError):
                pass
            self._conn.close()
        if self._process is not None:
            self._process.join(timeout=2)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
        self._process = self._conn = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


_KEPT: dict[tuple, BoundedWorker] = {}


def kept_worker(init: Callable[[Any], Any], init_arg: Any, work: Callable[[Any, Any], Any], **kwargs) -> BoundedWorker:
    """A BoundedWorker that outlives the task that asked for it: the next task in this process with the same
    arguments gets it back, started. A local run of N tasks then pays the worker's start-up once (Docling's:
    about 4 CPU seconds of imports) instead of N times. Recycling, time and memory limits are unchanged; the
    worker is closed when the process exits. ``init_arg`` must have a stable repr (a frozen dataclass)."""
    key = (os.getpid(), init, repr(init_arg), work, tuple(sorted(kwargs.items())))
    worker = _KEPT.get(key)
    if worker is None:
        worker = _KEPT[key] = BoundedWorker(init, init_arg, work, **kwargs)
        atexit.register(worker.close)
    return worker
