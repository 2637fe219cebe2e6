"""Thread-side futures settle asyncio waiters, in bursts, with results and errors intact."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future
from unittest import mock

import pytest

from lantern.api._bridge import FutureBridge, await_future


def test_results_and_errors_cross_threads() -> None:
    """Futures completed by another thread deliver their results and exceptions."""

    async def scenario() -> None:
        futures: list[Future[int]] = [Future() for _ in range(50)]
        failing: Future[int] = Future()

        def complete() -> None:
            for index, future in enumerate(futures):
                future.set_result(index)
            failing.set_exception(ValueError("refused"))

        waiting = [asyncio.ensure_future(await_future(f)) for f in futures]
        worker = threading.Thread(target=complete)
        worker.start()
        assert await asyncio.gather(*waiting) == list(range(50))
        with pytest.raises(ValueError, match="refused"):
            await await_future(failing)
        worker.join()

    asyncio.run(scenario())


def test_one_wake_up_per_burst() -> None:
    """Completions queued before the loop runs are delivered with a single wake-up."""

    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        bridge = FutureBridge(loop)
        with mock.patch.object(
            loop, "call_soon_threadsafe", wraps=loop.call_soon_threadsafe
        ) as wake:
            futures: list[Future[int]] = [Future() for _ in range(20)]
            waiters = [bridge.watch(f) for f in futures]

            def answer_all() -> None:
                for f in futures:
                    f.set_result(1)

            worker = threading.Thread(target=answer_all)
            worker.start()
            worker.join()
            assert sum(await asyncio.gather(*waiters)) == 20
        assert wake.call_count == 1

    asyncio.run(scenario())


def test_cancelled_waiter_is_skipped() -> None:
    """A request that was cancelled (client gone) does not break the others' delivery."""

    async def scenario() -> None:
        bridge = FutureBridge(asyncio.get_running_loop())
        first: Future[str] = Future()
        second: Future[str] = Future()
        gone, kept = bridge.watch(first), bridge.watch(second)
        gone.cancel()
        first.set_result("lost")
        second.set_result("kept")
        assert await kept == "kept"

    asyncio.run(scenario())
