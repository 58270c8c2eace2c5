"""Stopping a build cleanly on SIGTERM and SIGHUP, as on Ctrl-C.

By default SIGTERM and SIGHUP end a Python process on the spot: no ``finally``
runs, so a build would leave its temporary folder behind and its worker
processes waiting for work that never comes. :func:`stop_on_signals` turns
them into an exception for the duration of a build, so the same clean-up as
for Ctrl-C runs: workers are terminated, the temporary folder removed, the
previous outputs left as they were. :func:`deferred_signals` holds the
signals back while the outputs are renamed into place, so the set of outputs
is never half replaced.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Iterator, TypeVar

from carekg.errors import BuildStopped

__all__ = ["BuildStopped", "STOP_SIGNALS", "stop_on_signals", "deferred_signals", "terminate_workers", "timed_call"]

T = TypeVar("T")

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class _Deferral:
    """Process-wide, as signals are: while ``depth`` > 0 the handler notes a signal instead of raising."""

    depth = 0
    pending: list[int] = []


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within this block, SIGTERM and SIGHUP raise :class:`BuildStopped` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread; the caller's process decides
        return
    parent, stopping = os.getpid(), []

    def handler(signum: int, frame: object) -> None:
        if os.getpid() != parent:  # a forked worker that inherited the handler: just end
            os._exit(128 + signum)
        if stopping:  # a second signal must not interrupt the clean-up the first one started
            return
        if _Deferral.depth:
            _Deferral.pending.append(signum)
            return
        stopping.append(signum)
        raise BuildStopped(signum)

    previous = {number: signal.signal(number, handler) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)


@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """Within this block a SIGTERM or SIGHUP is noted, not raised; one that came then stops the build
    when the block ends, saying truthfully that the block (the renaming of the outputs) was done.

    (Blocking the signals would not do: the pool threads of a build would take them instead.)
    """
    _Deferral.depth += 1
    try:
        yield
    finally:
        _Deferral.depth -= 1
    if _Deferral.pending and not _Deferral.depth:
        signum = _Deferral.pending[0]
        _Deferral.pending.clear()
        raise BuildStopped(signum, written=True)


def terminate_workers(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's worker processes now, whatever they are doing (the build is being abandoned)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # no public API before Python 3.14
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(5)
            if process.is_alive():
                process.kill()
                process.join(5)
    # A worker stopped while sending its result leaves half a message in the result pipe, and the
    # pool's manager thread would wait for the rest forever (then so would shutdown and exit).
    # Closing this process's copy of the pipe's writing end (the workers' copies died with them)
    # turns that wait into an end of file, which the pool treats as a broken pool.
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if writer is not None:
        with contextlib.suppress(Exception):
            writer.close()


def timed_call(function: Callable[..., T], *arguments: Any) -> tuple[T, float]:
    """``function(*arguments)`` and the seconds it took, measured where it ran (in a worker, say)."""
    started = time.perf_counter()
    result = function(*arguments)
    return result, time.perf_counter() - started
