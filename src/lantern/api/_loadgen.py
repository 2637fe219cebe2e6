"""A small loopback HTTP/1.1 load generator on raw asyncio streams.

It keeps ``connections`` keep-alive connections busy, each sending one request at a time
(no pipelining) from a shared request counter, and records every response's status and
latency. It is deliberately minimal (no TLS, no chunked bodies, no redirects): parsing a
``Content-Length`` response costs a few microseconds, so a Python client can push several
thousand requests per second through one core. On a 2-core machine it still competes with
the server for CPU; that bias is the same for the ceiling and for the measured endpoint.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["LoadResult", "build_request", "run_load"]


@dataclass
class LoadResult:
    """What a load run saw: statuses, per-request latencies and bodies, wall time."""

    elapsed_s: float
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    bodies: dict[int, bytes] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        """Requests answered."""
        return len(self.latencies_ms)

    @property
    def rps(self) -> float:
        """Answered requests per second of wall time."""
        return self.requests / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def latency_ms(self, quantile: float) -> float:
        """The latency at ``quantile`` (0..1), nearest rank."""
        assert 0.0 <= quantile <= 1.0
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        rank = min(len(ordered) - 1, max(0, int(quantile * len(ordered) + 0.5) - 1))
        return ordered[rank]


def build_request(
    method: str,
    path: str,
    *,
    host: str,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
) -> bytes:
    """One HTTP/1.1 keep-alive request as bytes."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method in {"POST", "PUT", "PATCH"}:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
            break
    else:
        assert status in {204, 304}, "the load generator only reads Content-Length bodies"
    body = await reader.readexactly(length) if length else b""
    return status, body


async def _connection(
    host: str,
    port: int,
    make_request: Callable[[int], bytes],
    counter: list[int],
    total: int,
    result: LoadResult,
    keep_bodies: bool,
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while counter[0] < total:
            index = counter[0]
            counter[0] += 1
            started = time.perf_counter()
            writer.write(make_request(index))
            status, body = await _read_response(reader)
            result.latencies_ms.append((time.perf_counter() - started) * 1000.0)
            result.statuses[status] += 1
            if keep_bodies:
                result.bodies[index] = body
    finally:
        writer.close()


async def run_load(
    host: str,
    port: int,
    make_request: Callable[[int], bytes],
    *,
    total: int,
    connections: int = 64,
    keep_bodies: bool = False,
) -> LoadResult:
    """Send ``total`` requests (``make_request(i)`` for i in 0..total-1) over ``connections``."""
    assert total >= 0
    assert connections >= 1
    result = LoadResult(elapsed_s=0.0)
    counter = [0]
    started = time.perf_counter()
    await asyncio.gather(
        *(
            _connection(host, port, make_request, counter, total, result, keep_bodies)
            for _ in range(min(connections, max(1, total)))
        )
    )
    result.elapsed_s = time.perf_counter() - started
    return result
