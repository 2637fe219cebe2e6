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
from typing import Literal

from lantern.errors import LanternError

__all__ = ["SERVERS", "ServerHandle", "free_port", "serve_in_subprocess", "server_command"]

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


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def server_command(server: Server, factory: str, host: str, port: int) -> list[str]:
    """The command line serving ``module:factory`` (an app factory) with one worker."""
    if server == "granian":
        return [
            sys.executable, "-m", "granian", "--interface", "asgi", "--factory",
            "--host", host, "--port", str(port), "--workers", "1",
            "--no-log", "--no-access-log", factory,
        ]  # fmt: skip
    assert server == "uvicorn", f"unknown server {server}"
    return [
        sys.executable, "-m", "uvicorn", "--factory", "--host", host, "--port", str(port),
        "--workers", "1", "--no-access-log", "--log-level", "warning", factory,
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
    start_timeout_s: float = 30.0,
) -> Iterator[ServerHandle]:
    """Serve the app factory ``module:function`` until the block ends, then SIGTERM it."""
    port = free_port(host)
    process = subprocess.Popen(
        server_command(server, factory, host, port),
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
