"""Per-user rate limiting: a token bucket per key.

Each user gets a bucket of ``burst`` tokens refilled at ``rate_per_s``; a request takes one
token or is refused with the seconds until one is back (``Retry-After``).

:class:`InProcessRateLimiter` keeps the buckets in this process's memory: right for one
server process (the default, ``lantern serve`` runs one worker). Several processes behind
one port each keep their own buckets, so a user could get ``workers x rate``; such a
deployment uses :class:`RedisRateLimiter` (``LANTERN_REDIS_URL``-style URL given to
``create_app``), which runs the same bucket atomically in a Lua script on the Redis server,
timed by the server's clock so all processes agree.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import redis.asyncio

__all__ = ["InProcessRateLimiter", "RateLimiter", "RedisRateLimiter"]


class RateLimiter(Protocol):
    """Something that admits or refuses one request for a key."""

    async def acquire(self, key: str) -> float:
        """Take one token: 0.0 when admitted, else seconds until a token is back."""
        ...

    async def aclose(self) -> None:
        """Release any connection the limiter holds."""
        ...


def _check(rate_per_s: float, burst: int) -> None:
    assert rate_per_s > 0, "rate must be positive"
    assert burst >= 1, "burst must be at least one request"


@dataclass
class InProcessRateLimiter:
    """Token buckets in an LRU map of at most ``keys_max`` users; past that the least
    recently seen user's bucket is dropped. A bucket untouched for ``burst / rate_per_s``
    seconds is full again, so dropping it loses nothing unless more than ``keys_max`` users
    were active within that window (100,000 users in 2 s by default: 50,000 requests/s,
    far above one process's capacity)."""

    rate_per_s: float
    burst: int
    monotonic: Callable[[], float] = time.monotonic
    keys_max: int = 100_000
    _buckets: OrderedDict[str, tuple[float, float]] = field(default_factory=OrderedDict, repr=False)

    def __post_init__(self) -> None:
        _check(self.rate_per_s, self.burst)
        assert self.keys_max >= 1

    async def acquire(self, key: str) -> float:
        now = self.monotonic()
        state = self._buckets.pop(key, None)
        tokens, last = state if state is not None else (float(self.burst), now)
        tokens = min(float(self.burst), tokens + (now - last) * self.rate_per_s)
        wait_s = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait_s = (1.0 - tokens) / self.rate_per_s
        self._buckets[key] = (tokens, now)
        if len(self._buckets) > self.keys_max:
            self._buckets.popitem(last=False)
        return wait_s

    async def aclose(self) -> None:
        self._buckets.clear()


# KEYS[1] bucket hash; ARGV: rate per s, burst. Returns retry-after in microseconds (0 = ok).
_BUCKET_LUA = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or burst
local ts = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) / rate * 1000000)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return wait
"""


@dataclass
class RedisRateLimiter:
    """Token buckets in Redis hashes (``<prefix><key>``), updated by one Lua script."""

    client: redis.asyncio.Redis
    rate_per_s: float
    burst: int
    prefix: str = "lantern:ratelimit:"

    def __post_init__(self) -> None:
        _check(self.rate_per_s, self.burst)
        self._script = self.client.register_script(_BUCKET_LUA)

    @classmethod
    def from_url(cls, url: str, *, rate_per_s: float, burst: int) -> RedisRateLimiter:
        """A limiter on the Redis server at ``url`` (``redis://host:port/db``)."""
        import redis.asyncio

        return cls(redis.asyncio.Redis.from_url(url), rate_per_s, burst)

    async def acquire(self, key: str) -> float:
        wait_us = await self._script(keys=[self.prefix + key], args=[self.rate_per_s, self.burst])
        return int(wait_us) / 1_000_000

    async def aclose(self) -> None:
        await self.client.aclose()
