"""`lantern fleet solve`, `bench` and `dynamic-bench` on shipped instances."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from lantern.cli import app
from lantern.fleet._instances import DATA_DIR


def test_solve_writes_routes_and_prints_summary(tmp_path: Path) -> None:
    """solve prints objective, vehicles and gap; routes.json uses the file's customer numbers."""
    out = tmp_path / "routes.json"
    result = CliRunner().invoke(
        app,
        [
            "fleet",
            "solve",
            str(DATA_DIR / "C101.txt"),
            "--time-limit",
            "0.5",
            "--seed",
            "1",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["instance"] == "C101"
    assert summary["valid"] is True
    assert summary["bks"] == 828.94
    assert summary["gap_pct"] is not None
    assert summary["distance"] == summary["objective"]
    assert summary["vehicles"] >= 10
    routes = json.loads(out.read_text())["routes"]
    assert sorted(n for route in routes for n in route) == list(range(1, 101))
    assert len(routes) == summary["vehicles"]


def test_bench_reports_mean_gap(tmp_path: Path) -> None:
    """bench solves every matching file and reports per-instance and mean gaps as JSON."""
    shutil.copy(DATA_DIR / "C101.txt", tmp_path / "C101.txt")
    shutil.copy(DATA_DIR / "RC208.txt", tmp_path / "RC208.txt")
    result = CliRunner().invoke(
        app, ["fleet", "bench", "--data", str(tmp_path), "--time-limit", "0.3", "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["instances"] == 2
    assert summary["all_valid"] is True
    assert [r["instance"] for r in summary["results"]] == ["C101", "RC208"]
    gaps = [r["gap_pct"] for r in summary["results"]]
    assert abs(summary["mean_gap_pct"] - sum(gaps) / 2) < 1e-2


def test_dynamic_bench_compares_with_greedy(tmp_path: Path) -> None:
    """dynamic-bench plays each strategy and reports costs and % against greedy."""
    shutil.copy(DATA_DIR / "tiny_euro_16.txt", tmp_path / "tiny.txt")
    result = CliRunner().invoke(
        app,
        [
            "fleet",
            "dynamic-bench",
            "--data",
            str(tmp_path),
            "--strategies",
            "greedy,must-routes",
            "--epoch-time-limit",
            "0.6",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    row = summary["instances"][0]
    assert row["failures"] == {}
    assert row["vs_greedy_pct"]["greedy"] == 0.0
    assert set(row["costs"]) == {"greedy", "must-routes"}


def test_malformed_instance_exits_2_with_file_and_line(tmp_path: Path) -> None:
    """The root command prints the format error with file:line and exits 2."""
    bad = tmp_path / "bad.txt"
    bad.write_text(
        "X\n\nVEHICLE\nNUMBER CAPACITY\n 3 50\n\nCUSTOMER\nCUST NO.\n"
        " 0 0 0 0 0 100 0\n 1 1 1 5 0 10\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "lantern", "fleet", "solve", str(bad), "--time-limit", "0.1"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 2
    assert "INSTANCE_FORMAT" in done.stderr
    message = done.stderr.replace("\n", "")
    assert "bad.txt:10" in message
    assert "expected 7 numbers" in message


def test_priced_vans_compare_with_the_hierarchical_table() -> None:
    """With --vehicle-cost the gap is taken against the hierarchical best-known value."""
    result = CliRunner().invoke(
        app,
        [
            "fleet",
            "solve",
            str(DATA_DIR / "C101.txt"),
            "--time-limit",
            "0.3",
            "--vehicle-cost",
            "1000",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["bks_convention"] == "hierarchical"
    assert summary["vehicles"] == summary["bks_vehicles"] == 10
