"""Running a function with a time limit, in a forked child process that can be stopped.

A SPARQL query runs inside an engine (pyoxigraph's Rust, rdflib's evaluator)
that Python cannot interrupt; a cartesian product there runs until memory
runs out. :func:`call_with_timeout` runs the work in a child process forked
from this one and kills it when time is up, so ``carekg query --timeout``
holds whatever the query does. Where ``fork`` is not available the work runs
here, without a limit.
"""

from __future__ import annotations

import multiprocessing
from typing import Any, Callable, Iterator, TypeVar

from carekg import errors
from carekg.errors import CareKGError

__all__ = ["call_with_timeout", "stream_with_timeout"]

T = TypeVar("T")


def _failure(exc: BaseException) -> tuple:
    """The message a child sends when its work raised ``exc``: the parent shows one line for anything."""
    if isinstance(exc, CareKGError):
        return ("error", type(exc).__name__, str(exc))
    if isinstance(exc, MemoryError):
        return ("error", "CareKGError", "ran out of memory")
    return ("error", "CareKGError", f"{type(exc).__name__}: {exc}")


def _raise_failure(message: tuple) -> None:
    """Raise, here, the error a child reported: the same kind of carekg error, else a CareKGError."""
    _, kind, text = message
    error = getattr(errors, kind, CareKGError)
    raise error(text) if issubclass(error, CareKGError) and error is not errors.LoadError else CareKGError(text)


def _once(function: Callable[..., T], args: tuple) -> Iterator[T]:
    yield function(*args)


def call_with_timeout(function: Callable[..., T], args: tuple, seconds: float | None, what: str = "the work") -> T:
    """``function(*args)``, run in a child process stopped after ``seconds`` (None: no limit, run here).

    The result travels back pickled. A carekg error in the child is raised
    here as the same kind of error; running out of time or memory is a
    ``CareKGError`` naming ``what``.
    """
    if seconds is None or "fork" not in multiprocessing.get_all_start_methods():
        return function(*args)
    results = stream_with_timeout(_once, (function, args), seconds, what, batch=1)
    try:
        return next(results)
    finally:
        results.close()  # the child has sent its one result: it is stopped if it has not ended yet


def _streaming_child(connection: Any, function: Callable[..., Iterator[Any]], args: tuple, batch: int) -> None:
    try:
        items: list[Any] = []
        for item in function(*args):
            items.append(item)
            if len(items) >= batch:
                connection.send(("items", items))
                items = []
        connection.send(("items", items))
        message: tuple = ("done",)
    except BaseException as exc:
        message = _failure(exc)
    try:
        connection.send(message)
    finally:
        connection.close()


def stream_with_timeout(function: Callable[..., Iterator[T]], args: tuple, seconds: float | None,
                        what: str = "the work", batch: int = 1000) -> Iterator[T]:
    """The items of the generator ``function(*args)``, made in a child process stopped after ``seconds``.

    Items travel back in batches as they are made, so the caller can write
    them out while the child still works, holding one batch at a time. The
    deadline holds for the whole stream. Errors as for :func:`call_with_timeout`.
    """
    import time

    if seconds is None or "fork" not in multiprocessing.get_all_start_methods():
        yield from function(*args)
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_streaming_child, args=(sender, function, args, batch), daemon=True)
    child.start()
    sender.close()
    deadline = time.monotonic() + seconds
    try:
        while True:
            if not receiver.poll(max(0.0, deadline - time.monotonic())):
                raise CareKGError(f"{what} took longer than {seconds:g} s and was stopped (--timeout)")
            try:
                message = receiver.recv()
            except EOFError:
                child.join(5)
                raise CareKGError(f"{what} stopped unexpectedly (exit code {child.exitcode}; out of memory?)") from None
            if message[0] == "items":
                yield from message[1]
            elif message[0] == "done":
                return
            else:
                _raise_failure(message)
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)
