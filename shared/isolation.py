"""Run hostile-input work (a PDF parser) in a child process with a hard time limit, a memory cap and recycling.

A PDF that hangs the parser, or makes it allocate without bound, costs one error row and a restarted worker,
not the shard. Recycling the worker every N documents also returns the memory that parsers such as Docling
are known to keep (see ../shared/ANCHORS.md: 12-20 GB growth reports).
"""

from __future__ import annotations

import atexit
import multiprocessing as mp
import os
import queue
import resource
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from shared.outcomes import MemoryLimitExceeded, WorkerCrashed, WorkerTimeout, of_exception


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
            conn.send(("err", MemoryLimitExceeded(f"over the {max_memory_mb} MB worker cap")))
            return  # the heap may be fragmented: let the parent start a fresh worker
        except Exception as error:  # noqa: BLE001 - shipped back to the parent as its declared error
            conn.send(("err", of_exception(error)))


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
        if isinstance(value, MemoryLimitExceeded):
            self.close()
        raise value  # the declared error (shared/outcomes.py) the work raised in the worker

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


class WorkerPool:
    """N bounded workers running ``work(state, payload)`` side by side (the ocr stage's page workers);
    ``submit`` returns a Future.

    Each is a BoundedWorker: a per-call time limit, an address-space cap, recycled after
    ``max_tasks_per_child`` calls. One thread per worker waits on it, so callers (sync or asyncio) never block
    on a hung page: they get the declared error (WorkerTimeout, WorkerCrashed, what the work raised) from the
    future instead.
    """

    def __init__(
        self,
        init: Callable[[Any], Any],
        init_arg: Any,
        work: Callable[[Any, Any], Any],
        workers: int,
        timeout_s: float,
        max_memory_mb: int,
        max_tasks_per_child: int = 500,
    ):
        self.workers = max(1, workers)
        self._idle: queue.SimpleQueue[BoundedWorker] = queue.SimpleQueue()
        self._all = [
            BoundedWorker(init, init_arg, work, timeout_s=timeout_s, max_memory_mb=max_memory_mb,
                          max_tasks_per_child=max_tasks_per_child)
            for _ in range(self.workers)
        ]
        for worker in self._all:
            self._idle.put(worker)
        self._threads = ThreadPoolExecutor(self.workers, thread_name_prefix="worker-pool")
        self.lost_workers = 0  # killed after a timeout, or died (crash, memory cap)

    def submit(self, payload: Any) -> Future:
        return self._threads.submit(self._call, payload)

    def _call(self, payload: Any) -> Any:
        worker = self._idle.get()
        try:
            return worker(payload)
        except (WorkerTimeout, WorkerCrashed):
            self.lost_workers += 1
            raise
        finally:
            self._idle.put(worker)

    def close(self) -> None:
        self._threads.shutdown(wait=True, cancel_futures=True)
        for worker in self._all:
            worker.close()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
