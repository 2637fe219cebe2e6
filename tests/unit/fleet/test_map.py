"""Simulator outputs (PNG map, GeoJSON, positions) and the fleet simulate/matrix commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from lantern.cli.app import app
from lantern.errors import InvalidInput
from lantern.fleet.errors import InvalidSimulation, UnknownCity

runner = CliRunner()


def _last_json(output: str) -> dict[str, Any]:
    data = json.loads(output.strip().splitlines()[-1])
    assert isinstance(data, dict)
    return data


def _check_geojson(path: Path, bbox: list[float]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    kinds = set()
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        geometry = feature["geometry"]
        kinds.add(feature["properties"]["kind"])
        if geometry["type"] == "Point":
            points = [geometry["coordinates"]]
        else:
            assert geometry["type"] == "MultiLineString"
            points = [p for line in geometry["coordinates"] for p in line]
            assert all(len(line) >= 2 for line in geometry["coordinates"])
        for lon, lat in points:
            assert bbox[0] - 1e-6 <= lon <= bbox[2] + 1e-6
            assert bbox[1] - 1e-6 <= lat <= bbox[3] + 1e-6
    assert {"route", "pickup", "drop", "depot"} <= kinds


def test_simulate_writes_map_geojson_positions_and_metrics(tmp_path: Path) -> None:
    """`lantern fleet simulate --out` writes a PNG, valid GeoJSON, positions and metrics."""
    out = tmp_path / "day"
    result = runner.invoke(
        app, ["fleet", "simulate", "--vans", "3", "--orders", "30", "--seed", "4",
              "--out", str(out), "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = _last_json(result.stdout)
    assert summary["delivered"] + summary["undeliverable"] == 30
    assert summary["network"] == "hangzhou"
    assert (out / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    network = json.loads(runner.invoke(app, ["fleet", "network", "--json"]).stdout)
    _check_geojson(out / "routes.geojson", network["bbox"])
    rows = [json.loads(line) for line in (out / "positions.jsonl").read_text().splitlines()]
    assert rows
    assert {"t", "van", "lon", "lat"} == set(rows[0])
    assert [r["t"] for r in rows] == sorted(r["t"] for r in rows)
    assert json.loads((out / "metrics.json").read_text())["orders"] == 30


def test_matrix_command_times_the_matrix() -> None:
    """`lantern fleet matrix --points N --json` reports the matrix size and time."""
    result = runner.invoke(app, ["fleet", "matrix", "--points", "50", "--json"])
    assert result.exit_code == 0, result.output
    data = _last_json(result.stdout)
    assert data["points"] == 50
    assert data["unreachable_pairs"] == 0
    assert float(data["matrix_s"]) > 0


@pytest.mark.parametrize(
    ("args", "error", "text"),
    [
        (["--city", "atlantis"], UnknownCity, "atlantis"),
        (["--vans", "0"], InvalidSimulation, "--vans"),
        (["--orders", "-5"], InvalidSimulation, "--orders"),
        (["--seed", "-1"], InvalidSimulation, "--seed"),
        (["--vans", "100000000"], InvalidSimulation, "1..10,000"),
        (["--orders", "100000000"], InvalidSimulation, "1..1,000,000"),
        (["--epoch-s", "inf"], InvalidSimulation, "finite"),
        (["--positions-interval-s", "0.001"], InvalidSimulation, "--positions-interval-s"),
    ],
)
def test_simulate_refuses_bad_input(args: list[str], error: type[Exception], text: str) -> None:
    """Unknown city, no vans or no orders: a clear LanternError, nothing written."""
    result = runner.invoke(app, ["fleet", "simulate", *args, "--json"])
    assert isinstance(result.exception, error)
    assert text in str(result.exception)


def test_simulate_refuses_an_output_path_that_is_a_file(tmp_path: Path) -> None:
    """--out naming an existing file fails before simulating, leaving the file alone."""
    target = tmp_path / "taken.txt"
    target.write_text("keep", encoding="utf-8")
    result = runner.invoke(app, ["fleet", "simulate", "--out", str(target), "--json"])
    assert isinstance(result.exception, InvalidInput)
    assert "is a file" in str(result.exception)
    assert target.read_text(encoding="utf-8") == "keep"


def test_unwritable_output_paths_fail_before_any_work(tmp_path: Path) -> None:
    """--out or --save-npz below a file is an InvalidInput naming the option, not a traceback."""
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    sim = runner.invoke(app, ["fleet", "simulate", "--out", str(blocker / "day"), "--json"])
    assert isinstance(sim.exception, InvalidInput)
    assert "--out" in str(sim.exception)
    npz = runner.invoke(app, ["fleet", "network", "--save-npz", str(blocker / "hz.npz")])
    assert isinstance(npz.exception, InvalidInput)
    assert "--save-npz" in str(npz.exception)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_bad_input_leaves_no_output_folder(tmp_path: Path) -> None:
    """An unknown city or a bad parameter fails before --out (or --save-npz's folder) exists."""
    out = tmp_path / "day"
    for args in (["--city", "atlantis"], ["--epoch-s", "0"]):
        result = runner.invoke(app, ["fleet", "simulate", *args, "--out", str(out)])
        assert result.exception is not None
        assert not out.exists()
    bad = runner.invoke(app, ["fleet", "network", "--city", "atlantis", "--save-npz",
                              str(out / "hz.npz")])  # fmt: skip
    assert bad.exception is not None
    assert not out.exists()


def test_matrix_refuses_a_negative_seed() -> None:
    """matrix --seed -1 or a points count whose matrix cannot fit in memory is refused."""
    result = runner.invoke(app, ["fleet", "matrix", "--points", "5", "--seed", "-1"])
    assert isinstance(result.exception, InvalidSimulation)
    assert "--seed" in str(result.exception)
    huge = runner.invoke(app, ["fleet", "matrix", "--points", "100000000"])
    assert isinstance(huge.exception, InvalidSimulation)
    assert "2..10,000" in str(huge.exception)


def test_simulate_runs_on_an_osm_extract(shared_data: Path) -> None:
    """`simulate --pbf` runs a small day on the Baltimore extract, every order resolved."""
    pbf = shared_data / "roads" / "osm-pbf" / "baltimore.osm.pbf"
    result = runner.invoke(
        app, ["fleet", "simulate", "--pbf", str(pbf), "--vans", "2", "--orders", "15", "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = _last_json(result.stdout)
    assert summary["network"] == "baltimore"
    assert summary["delivered"] + summary["undeliverable"] == 15


def test_network_command_converts_to_npz(tmp_path: Path) -> None:
    """`network --save-npz` writes a file that loads back, also via --npz, as the same network."""
    from lantern.fleet import load_npz

    target = tmp_path / "hz.npz"
    result = runner.invoke(app, ["fleet", "network", "--save-npz", str(target), "--json"])
    assert result.exit_code == 0, result.output
    summary = _last_json(result.stdout)
    again = load_npz(target)
    assert (again.n_nodes, again.n_edges) == (summary["nodes"], summary["edges"])
    reread = runner.invoke(app, ["fleet", "matrix", "--npz", str(target), "--points", "5",
                                 "--json"])  # fmt: skip
    assert reread.exit_code == 0, reread.output
    assert _last_json(reread.stdout)["nodes"] == summary["nodes"]
