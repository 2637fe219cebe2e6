"""The HTTP benchmark harness runs end to end on a small load and checks the money."""

from __future__ import annotations

from pathlib import Path

import pytest

from lantern.campaign._bench_http import run_http_bench


@pytest.mark.slow
def test_http_bench_small(tmp_path: Path) -> None:
    """200 claims through the real server: every claim granted once, no overspend, the
    ledger balanced, and every figure the campaign bench merges is present."""
    figures = run_http_bench(
        f"sqlite:///{tmp_path / 'bench.db'}", 200, connections=16, ceiling_requests=500
    )
    for name in (
        "http_claims_per_s",
        "http_ceiling_rps",
        "http_ratio_to_ceiling",
        "http_latency_ms_p50",
        "http_latency_ms_p99",
    ):
        assert figures[name] > 0, name
    assert figures["http_statuses"] == {"201": 200}
    assert figures["http_double_grants"] == 0
    assert figures["http_overspend_fen"] == 0
    assert figures["http_unacknowledged_grants"] == 0
    assert figures["http_granted_fen"] == figures["http_engine_granted_fen"]
    assert figures["http_ledger_balanced"] is True
    assert figures["http_server_cpu_ms_per_claim"] > 0
