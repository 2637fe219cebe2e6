"""`lantern fleet solve`, `bench` and `dynamic-bench` on shipped instances."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
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


def _refused(args: list[str]) -> BaseException | None:
    """Run ``lantern fleet ARGS``; the exception it stopped with (None when it succeeded)."""
    result = CliRunner().invoke(app, ["fleet", *args])
    assert result.exit_code != 0, result.output
    return result.exception


def test_seed_outside_pyvrps_range_is_a_usage_error() -> None:
    """A negative or over-32-bit --seed is refused by the option (exit 2), not a TypeError."""
    for seed in ("-5", str(2**32)):
        result = CliRunner().invoke(
            app, ["fleet", "solve", str(DATA_DIR / "C101.txt"), "--seed", seed]
        )
        assert result.exit_code == 2, result.output
        assert "--seed" in result.output


def test_unwritable_out_is_refused_before_solving(tmp_path: Path) -> None:
    """--out naming a directory, or under a file, is an InvalidInput; nothing is written."""
    from lantern.errors import InvalidInput

    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    for out in (tmp_path, blocker / "sub" / "routes.json"):
        exc = _refused(
            ["solve", str(DATA_DIR / "C101.txt"), "--time-limit", "30", "--out", str(out)]
        )
        assert isinstance(exc, InvalidInput), exc
        assert "--out" in str(exc)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_bad_bks_file_is_named(tmp_path: Path) -> None:
    """A missing --bks is NotFound; one that is not JSON, or has a bad entry, names the file."""
    from lantern.errors import NotFound
    from lantern.fleet.errors import InstanceFormatError

    instance = str(DATA_DIR / "C101.txt")
    exc = _refused(["solve", instance, "--bks", str(tmp_path / "none.json")])
    assert isinstance(exc, NotFound)
    assert "none.json" in str(exc)
    for text, problem in (
        ("{not json", "not a readable JSON"),
        ('{"C101": "x"}', "entry for C101"),
    ):
        bad = tmp_path / "BKS.json"
        bad.write_text(text)
        exc = _refused(["solve", instance, "--time-limit", "30", "--bks", str(bad)])
        assert isinstance(exc, InstanceFormatError)
        assert problem in str(exc)


def test_bench_reads_every_file_before_solving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A malformed file anywhere in --data stops bench before the first solve."""
    from lantern.fleet import _static_bench
    from lantern.fleet.errors import InstanceFormatError

    def no_solve(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("bench solved before reading every file")

    monkeypatch.setattr(_static_bench, "solve", no_solve)
    shutil.copy(DATA_DIR / "C101.txt", tmp_path / "A.txt")
    (tmp_path / "Z.txt").write_text("VEHICLE\n")
    exc = _refused(["bench", "--data", str(tmp_path), "--time-limit", "30"])
    assert isinstance(exc, InstanceFormatError)
    assert "Z.txt" in str(exc)


def test_bench_data_must_be_a_folder_and_strategies_non_empty(tmp_path: Path) -> None:
    """--data naming a file is NotFound; dynamic-bench with --strategies ',' is InvalidInput."""
    from lantern.errors import InvalidInput, NotFound

    exc = _refused(["bench", "--data", str(DATA_DIR / "C101.txt")])
    assert isinstance(exc, NotFound)
    assert "not a directory" in str(exc)
    args = ["dynamic-bench", "--data", str(DATA_DIR), "--pattern", "tiny*", "--strategies", ","]
    exc = _refused(args)
    assert isinstance(exc, InvalidInput)
    assert "--strategies" in str(exc)


def test_dynamic_bench_names_a_malformed_configs_json(tmp_path: Path) -> None:
    """A configs.json that is not JSON, or not the round's list of seeds, names the file."""
    from lantern.fleet.errors import InstanceFormatError

    shutil.copy(DATA_DIR / "tiny_euro_16.txt", tmp_path / "tiny_euro_16.txt")
    for text, problem in (("{bad", "not a readable JSON"), ("[1, 2]", "expected a list of")):
        (tmp_path / "configs.json").write_text(text)
        exc = _refused(["dynamic-bench", "--data", str(tmp_path), "--strategies", "greedy"])
        assert isinstance(exc, InstanceFormatError)
        assert "configs.json" in str(exc)
        assert problem in str(exc)


def test_cut_down_copy_gets_no_gap_to_the_full_instances_bks(tmp_path: Path) -> None:
    """A file named C101 with 3 customers is not compared with C101's 100-customer BKS."""
    lines = (DATA_DIR / "C101.txt").read_text().splitlines()
    cut = tmp_path / "C101.txt"
    cut.write_text("\n".join(lines[:13]) + "\n")
    result = CliRunner().invoke(app, ["fleet", "solve", str(cut), "--time-limit", "0.1"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["customers"] == 3
    assert summary["bks"] is None
    assert summary["gap_pct"] is None
