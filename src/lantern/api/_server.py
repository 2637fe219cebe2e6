"""Run an ASGI app in a real server subprocess on a free loopback port.

Used by the HTTP benchmark and the end-to-end tests: the app is served exactly as in
production (granian or uvicorn, one worker), reached only through a socket.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from lantern.errors import LanternError

__all__ = [
    "SERVERS",
    "ServerHandle",
    "free_port",
    "process_tree_cpu_s",
    "serve_in_subprocess",
    "server_command",
]

Server = Literal["granian", "uvicorn"]
SERVERS: tuple[Server, ...] = ("granian", "uvicorn")


class ServerStartFailed(LanternError):
    """The server subprocess exited or did not answer in time."""

    code = "SERVER_START_FAILED"
    http_status = 500


@dataclass(frozen=True)
class ServerHandle:
    """Where a started server listens."""

    host: str
    port: int
    pid: int

    @property
    def base_url(self) -> str:
        """``http://host:port``."""
        return f"http://{self.host}:{self.port}"


def _stat_fields(pid: str) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def process_tree_cpu_s(root_pid: int) -> float | None:
    """CPU seconds (user + system) used so far by ``root_pid`` and all its descendants;
    None where ``/proc`` is not available (not Linux)."""
    if not Path("/proc/self/stat").exists():
        return None
    parent_of: dict[int, int] = {}
    ticks_of: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(entry.name)
        if fields is None:
            continue
        parent_of[int(entry.name)] = int(fields[1])
        ticks_of[int(entry.name)] = int(fields[11]) + int(fields[12])
    total = 0
    for pid, ticks in ticks_of.items():
        ancestor = pid
        while ancestor not in (root_pid, 0, 1) and ancestor in parent_of:
            ancestor = parent_of[ancestor]
        if ancestor == root_pid:
            total += ticks
    return total / os.sysconf("SC_CLK_TCK")


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def server_command(
    server: Server, factory: str, host: str, port: int, workers: int = 1
) -> list[str]:
    """The command line serving ``module:factory`` (an app factory) with ``workers``."""
    assert workers >= 1
    if server == "granian":
        return [
            sys.executable, "-m", "granian", "--interface", "asgi", "--factory",
            "--host", host, "--port", str(port), "--workers", str(workers),
            "--no-log", "--no-access-log", factory,
        ]  # fmt: skip
    assert server == "uvicorn", f"unknown server {server}"
    return [
        sys.executable, "-m", "uvicorn", "--factory", "--host", host, "--port", str(port),
        "--workers", str(workers), "--no-access-log", "--log-level", "warning", factory,
    ]  # fmt: skip


def _wait_ready(process: subprocess.Popen[bytes], host: str, port: int, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerStartFailed(f"the server exited with status {process.returncode}")
        try:
            with socket.create_connection((host, port), timeout=0.5) as sock:
                sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
                if sock.recv(64).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise ServerStartFailed(f"the server did not answer /healthz within {timeout_s} s")


@contextmanager
def serve_in_subprocess(
    factory: str,
    *,
    env: Mapping[str, str],
    server: Server = "granian",
    host: str = "127.0.0.1",
    workers: int = 1,
    start_timeout_s: float = 30.0,
) -> Iterator[ServerHandle]:
    """Serve the app factory ``module:function`` until the block ends, then SIGTERM it."""
    port = free_port(host)
    process = subprocess.Popen(
        server_command(server, factory, host, port, workers),
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
    )
    try:
        _wait_ready(process, host, port, start_timeout_s)
        yield ServerHandle(host, port, process.pid)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
