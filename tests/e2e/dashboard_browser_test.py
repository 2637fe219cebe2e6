"""End to end: `lantern serve` runs the drill, headless Chromium shows the live dashboard.

Debian's chromium (/usr/bin/chromium) is driven by Playwright's Python package; the page
comes from a real `lantern serve` subprocess on 127.0.0.1 that runs a tiny drill and
replays it. A screenshot is kept in $LANTERN_TEST_ARTIFACTS (default tests/artifacts).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait(url: str, deadline_s: float, proc: subprocess.Popen[bytes], log: Path) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        assert proc.poll() is None, log.read_text(encoding="utf-8")[-3000:]
        try:
            if httpx.get(url, timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    pytest.fail(f"{url} not ready after {deadline_s} s: {log.read_text(encoding='utf-8')[-2000:]}")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`lantern serve` (no --replay: it runs a tiny drill first); yields the dashboard link."""
    work = tmp_path_factory.mktemp("serve")
    port = _free_port()
    env = {
        **os.environ,
        "LANTERN_DATA_DIR": str(work / "data"),
        "LANTERN_DATABASE_URL": f"sqlite:///{work / 'lantern.db'}",
        "MPLBACKEND": "Agg",
    }
    log = work / "serve.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "lantern", "serve", "--host", "127.0.0.1", "--port",
             str(port), "--speed", "60", "--drill-seed", "3"],
            stdout=sink, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(f"{base}/healthz", 60, proc, log)
        _wait(f"{base}/v1/drill/meta", 200, proc, log)
        match = re.search(r"dashboard: (\S+#token=\S+)", log.read_text(encoding="utf-8"))
        assert match, log.read_text(encoding="utf-8")
        yield match.group(1)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_dashboard_draws_the_map_and_the_assistant_answers(served: str) -> None:
    """The map shows the road network and every van; charts fill; the chat panel answers."""
    from playwright.sync_api import sync_playwright

    artifacts = Path(os.environ.get("LANTERN_TEST_ARTIFACTS", ROOT / "tests" / "artifacts"))
    artifacts.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 950})
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(served)
            page.wait_for_function(
                "Number(document.body.dataset.roads || 0) > 10000", timeout=30_000
            )
            page.wait_for_function(
                "Number(document.body.dataset.minute || 0) > 600", timeout=60_000
            )
            assert page.evaluate("document.body.dataset.vans") == "8"
            drawn = page.evaluate(
                """() => {
                  const c = document.getElementById('map');
                  const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  let lit = 0;
                  for (let i = 0; i < px.length; i += 4) if (px[i] + px[i+1] + px[i+2] > 120) lit++;
                  return lit;
                }"""
            )
            assert drawn > 5_000  # roads and vans are on the canvas, not a blank frame
            assert "audit ok" in page.inner_text("#status")
            page.fill("#chat-input", "order a milk tea")
            page.press("#chat-input", "Enter")
            page.wait_for_function(
                "Number(document.body.dataset.chatReplies || 0) >= 1", timeout=60_000
            )
            log = page.inner_text("#chat-log")
            assert "search_offers" in log
            assert re.search(r"OF-\d+", log), log
            page.screenshot(path=str(artifacts / "dashboard.png"))
        finally:
            browser.close()
    assert errors == []
    assert (artifacts / "dashboard.png").stat().st_size > 50_000
