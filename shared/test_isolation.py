"""BoundedWorker: a hanging or crashing document costs one error, not the worker's caller."""

import os
import time

import pytest

from shared.isolation import BoundedWorker, WorkerCrashed, WorkerTimeout
from shared.outcomes import UnexpectedError


def init(arg):
    return arg


def work(state, payload):
    if payload == "hang":
        time.sleep(60)
    if payload == "crash":
        os._exit(3)
    if payload == "raise":
        raise KeyError("no such key")
    if payload == "pid":
        return os.getpid()
    return f"{state}:{payload}"


def test_results_errors_timeouts_and_crashes_are_told_apart():
    with BoundedWorker(init, "s", work, timeout_s=2, max_tasks_per_child=100) as worker:
        assert worker("x") == "s:x"
        with pytest.raises(UnexpectedError) as error:
            worker("raise")
        # not one of ours: UnexpectedError, with the original class in the message (shared/outcomes.py)
        assert error.value.original == "KeyError" and str(error.value).startswith("KeyError")
        with pytest.raises(WorkerTimeout):
            worker("hang")
        assert worker("y") == "s:y"  # a fresh worker took over
        with pytest.raises(WorkerCrashed):
            worker("crash")
        assert worker("z") == "s:z"


def test_worker_is_recycled_after_n_tasks():
    with BoundedWorker(init, None, work, timeout_s=10, max_tasks_per_child=2) as worker:
        pids = [worker("pid") for _ in range(4)]
    assert pids[0] == pids[1] != pids[2] == pids[3]


def test_kept_worker_is_the_same_started_process_for_the_next_task():
    from shared.isolation import kept_worker

    first = kept_worker(init, "k", work, timeout_s=10, max_tasks_per_child=100)
    pid = first("pid")
    again = kept_worker(init, "k", work, timeout_s=10, max_tasks_per_child=100)
    assert again is first and again("pid") == pid
    other = kept_worker(init, "other", work, timeout_s=10, max_tasks_per_child=100)
    assert other is not first and other("x") == "other:x"
    first.close()
    other.close()


def test_a_pipe_reset_by_a_dying_worker_is_a_crash_not_a_failed_shard():
    """A worker killed with data still unread in its socket (the soak: a PDF that took classify's worker down)
    resets the pipe: ConnectionResetError, not EOFError. It is one WorkerCrashed, and the next payload works."""
    import signal

    with BoundedWorker(init, "s", work, timeout_s=5, max_tasks_per_child=100) as worker:
        assert worker("x") == "s:x"
        conn, process = worker._conn, worker._process

        def reset(*_):
            os.kill(process.pid, signal.SIGKILL)
            raise ConnectionResetError(104, "Connection reset by peer")

        conn.recv = reset
        with pytest.raises(WorkerCrashed, match="exit code -9"):
            worker("y")
        assert worker("z") == "s:z"
