"""Await ``concurrent.futures.Future`` results on an event loop with coalesced wake-ups.

``asyncio.wrap_future`` wakes the loop once per future (a write to its self-pipe from the
engine's committer thread, then a read on the loop). A committed batch completes dozens of
futures at once, so :class:`FutureBridge` queues the completions and wakes the loop once per
burst; the loop then resolves every waiting request in one pass.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import weakref
from collections import deque
from concurrent.futures import Future
from typing import Any, TypeVar

__all__ = ["FutureBridge", "await_future"]

T = TypeVar("T")


class FutureBridge:
    """Completions of thread-side futures, delivered to one event loop in bursts."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._lock = threading.Lock()
        self._done: deque[tuple[asyncio.Future[Any], Future[Any]]] = deque()
        self._wake_pending = False

    def watch(self, future: Future[T]) -> asyncio.Future[T]:
        """An asyncio future that settles like ``future`` (which may complete in any thread)."""
        waiter: asyncio.Future[T] = self._loop.create_future()
        future.add_done_callback(lambda done: self._completed(waiter, done))
        return waiter

    def _completed(self, waiter: asyncio.Future[Any], done: Future[Any]) -> None:
        with self._lock:
            self._done.append((waiter, done))
            if self._wake_pending:
                return
            self._wake_pending = True
        with contextlib.suppress(RuntimeError):  # the loop closed with a request in flight
            self._loop.call_soon_threadsafe(self._deliver)

    def _deliver(self) -> None:
        with self._lock:
            ready = list(self._done)
            self._done.clear()
            self._wake_pending = False
        for waiter, done in ready:
            if waiter.cancelled():
                continue
            error = done.exception()
            if error is not None:
                waiter.set_exception(error)
            else:
                waiter.set_result(done.result())


_bridges: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, FutureBridge] = (
    weakref.WeakKeyDictionary()
)


async def await_future(future: Future[T]) -> T:
    """Await a thread-side future on the running loop through its bridge."""
    loop = asyncio.get_running_loop()
    bridge = _bridges.get(loop)
    if bridge is None:
        bridge = _bridges[loop] = FutureBridge(loop)
    return await bridge.watch(future)
