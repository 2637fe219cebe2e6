"""Token buckets admit a burst, then one request per 1/rate seconds, per user."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from lantern.api.ratelimit import InProcessRateLimiter, RedisRateLimiter


class _Ticks:
    """A settable monotonic clock."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_in_process_bucket() -> None:
    """Burst of 3, then refused with the wait until the next token; users are independent."""
    ticks = _Ticks()
    limiter = InProcessRateLimiter(rate_per_s=2.0, burst=3, monotonic=ticks)

    async def scenario() -> None:
        assert [await limiter.acquire("a") for _ in range(3)] == [0.0, 0.0, 0.0]
        assert await limiter.acquire("a") == pytest.approx(0.5)
        assert await limiter.acquire("b") == 0.0
        ticks.now += 0.5
        assert await limiter.acquire("a") == 0.0
        assert await limiter.acquire("a") > 0

    asyncio.run(scenario())


def test_in_process_eviction_keeps_limits() -> None:
    """At the key limit the least recently seen user is dropped; a hot user stays throttled."""
    ticks = _Ticks()
    limiter = InProcessRateLimiter(rate_per_s=1.0, burst=1, monotonic=ticks, keys_max=2)

    async def scenario() -> None:
        assert await limiter.acquire("old") == 0.0
        ticks.now += 5.0
        assert await limiter.acquire("hot") == 0.0
        assert await limiter.acquire("new") == 0.0  # evicts "old", whose bucket is full
        assert await limiter.acquire("hot") > 0
        assert len(limiter._buckets) == 2

    asyncio.run(scenario())


@pytest.mark.redis
def test_redis_bucket_shared_between_clients(redis_url: str) -> None:
    """Two limiter instances (two server processes) share one bucket per user in Redis."""

    async def scenario() -> None:
        prefix = f"lantern:test:{uuid.uuid4().hex}:"
        first = RedisRateLimiter.from_url(redis_url, rate_per_s=1.0, burst=2)
        second = RedisRateLimiter.from_url(redis_url, rate_per_s=1.0, burst=2)
        first.prefix = second.prefix = prefix
        try:
            assert await first.acquire("u1") == 0.0
            assert await second.acquire("u1") == 0.0
            wait_s = await first.acquire("u1")
            assert 0.5 < wait_s <= 1.0
            assert await second.acquire("u2") == 0.0
        finally:
            await first.aclose()
            await second.aclose()

    asyncio.run(scenario())
