"""What a person sees in the terminal: datatrove's per-task logs stay in the run folder, the console gets warnings.

datatrove logs every task to ``<logging dir>/logs/task_NNNNN.log`` *and* to the console at INFO: the pipeline,
every input file, and the task's stats, then the executor prints the merged stats again. For `finepdfs run` that
is hundreds of lines per stage. ``quiet_datatrove`` keeps the log files exactly as they are and lets only
warnings and errors through to the console, so that a run's terminal output is its progress and its summary.
"""

from __future__ import annotations

import io
import sys
import types
from contextlib import contextmanager

from loguru import logger

# datatrove warnings that say nothing is wrong (the MinHash filter of a language without duplicates).
BENIGN = ("No .remove file for rank",)


def _console_filter(record) -> bool:
    return not any(text in record["message"] for text in BENIGN)


def _console_sink(level: str) -> None:
    from datatrove.utils import logging as dt_logging

    logger.add(sys.stderr, colorize=dt_logging.DATATROVE_COLORIZE_LOGS, level=level, filter=_console_filter,
               format="{time:HH:mm:ss} | <level>{level: <8}</level> | {name} - <level>{message}</level>")


@contextmanager
def quiet_datatrove(level: str = "WARNING"):
    """Within the block, datatrove's console output is only ``level`` and above; task log files are unchanged.

    datatrove's ``add_task_logger`` removes every loguru handler and adds the console (INFO) and the task's file
    (DEBUG); ``close_task_logger`` puts the default console handler back. Both are wrapped here so that the
    console handler they add is replaced by one at ``level``; the file handler is left alone.
    """
    import datatrove.executor.base as executor_base
    from datatrove.utils import logging as dt_logging

    original_add, original_default = executor_base.add_task_logger, dt_logging.setup_default_logger

    def add_task_logger(logging_dir, rank, local_rank=0, node_rank=-1):
        # original_add logs its first line right away: point its console at nothing while it runs
        real_sys, dt_logging.sys = dt_logging.sys, types.SimpleNamespace(stderr=io.StringIO())
        try:
            logfile = original_add(logging_dir, rank, local_rank, node_rank=node_rank)
        finally:
            dt_logging.sys = real_sys
        # original_add's handlers: the console first, then the file; keep the file's, swap the console's
        handlers = sorted(getattr(getattr(logger, "_core", None), "handlers", {}))  # ids, in the order added
        if len(handlers) == 2:
            logger.remove(handlers[0])
            _console_sink(level)
        return logfile

    def setup_default_logger():
        logger.remove()
        _console_sink(level)

    executor_base.add_task_logger = add_task_logger
    dt_logging.setup_default_logger = setup_default_logger
    setup_default_logger()
    try:
        yield
    finally:
        executor_base.add_task_logger = original_add
        dt_logging.setup_default_logger = original_default
        original_default()
