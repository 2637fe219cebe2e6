"""The DIMACS convention end to end: route cost, best-known tables by convention, the gap."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from lantern.cli import app
from lantern.fleet._instances import (
    DIMACS_BKS,
    Convention,
    best_known,
    dimacs_length,
    euclidean_length,
)
from lantern.fleet._static_bench import solve_file

# depot (0, 0); customers on irrational arcs, so truncation to one decimal matters
TINY = """TINY

VEHICLE
NUMBER     CAPACITY
  3         50

CUSTOMER
CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME

    0      0          0          0          0       1000          0
    1      1          1         10          0        900          0
    2      2          3         10          0        900          0
    3      5          1         10          0        900          0
"""
COORDS = {0: (0, 0), 1: (1, 1), 2: (2, 3), 3: (5, 1)}


def _tiny(tmp_path: Path, name: str = "tiny.txt") -> Path:
    path = tmp_path / name
    path.write_text(TINY, encoding="utf-8")
    return path


def _bks(tmp_path: Path, table: dict[str, object]) -> Path:
    path = tmp_path / "bks.json"
    path.write_text(json.dumps(table), encoding="utf-8")
    return path


def _truncated_cost(routes: list[list[int]]) -> float:
    """DIMACS cost by hand: each arc floor(10 * length) tenths, summed as integers."""
    tenths = 0
    for route in routes:
        path = [0, *route, 0]
        for a, b in itertools.pairwise(path):
            (xa, ya), (xb, yb) = COORDS[a], COORDS[b]
            tenths += math.floor(10 * math.hypot(xb - xa, yb - ya) + 1e-9)
    return tenths / 10


def test_dimacs_length_truncates_each_arc() -> None:
    """Out and back to (1, 1) is 1.4 + 1.4, not 2.83; a 3-4-5 arc stays exactly 5."""
    coords = np.array([[0.0, 0.0], [1.0, 1.0], [3.0, 4.0]])
    assert dimacs_length(coords, 0, [[1]]) == 2.8
    assert dimacs_length(coords, 0, [[2]]) == 10.0
    assert dimacs_length(coords, 0, [[1], [2]]) == 12.8
    assert euclidean_length(coords, 0, [[1]]) > 2.82


def test_dimacs_solve_reports_the_truncated_cost_of_its_routes(tmp_path: Path) -> None:
    """In the DIMACS convention the objective is the truncated cost of the routes it printed;
    the unrounded length is kept apart, in ``distance``."""
    summary = solve_file(_tiny(tmp_path), time_limit_s=0.2, convention=Convention.DIMACS)
    assert summary.valid
    assert summary.objective == _truncated_cost(summary.routes)
    exact = sum(
        math.dist(COORDS[a], COORDS[b])
        for route in summary.routes
        for a, b in zip([0, *route], [*route, 0], strict=True)
    )
    assert math.isclose(summary.distance, exact, abs_tol=1e-3)
    assert summary.objective < summary.distance  # every arc here is irrational


def test_exact_convention_objective_is_unchanged(tmp_path: Path) -> None:
    """The exact convention still reports the unrounded length as both objective and distance."""
    summary = solve_file(_tiny(tmp_path), time_limit_s=0.2)
    assert summary.objective == summary.distance
    assert summary.objective != _truncated_cost(summary.routes)


def test_dimacs_value_is_read_and_gap_taken_against_it(tmp_path: Path) -> None:
    """A NAME_distance entry marked dimacs is the gap's reference in the DIMACS convention."""
    bks = _bks(tmp_path, {"TINY_distance": {"best_known_cost": 15.0, "convention": "dimacs"}})
    distance, _ = best_known("TINY", bks, convention=Convention.DIMACS)
    assert distance is not None
    assert (distance.cost, distance.convention) == (15.0, "dimacs")
    summary = solve_file(
        _tiny(tmp_path), time_limit_s=0.2, convention=Convention.DIMACS, bks_file=bks
    )
    assert summary.bks == 15.0
    assert summary.bks_convention == "dimacs"
    assert summary.gap_pct == round(100 * (summary.objective - 15.0) / 15.0, 3)


def test_value_of_another_convention_is_not_used(tmp_path: Path) -> None:
    """An unmarked (exact, unrounded) distance value gives no DIMACS gap, nor does the
    hierarchical one stand in; a DIMACS value gives no exact-convention gap."""
    exact_bks = _bks(
        tmp_path,
        {
            "TINY": {"best_known_cost": 20.0, "solved_with_vehicles": 2},
            "TINY_distance": {"best_known_cost": 15.0},
        },
    )
    distance, hierarchical = best_known("TINY", exact_bks, convention=Convention.DIMACS)
    assert distance is None
    assert hierarchical is not None
    assert hierarchical.cost == 20.0
    summary = solve_file(
        _tiny(tmp_path), time_limit_s=0.2, convention=Convention.DIMACS, bks_file=exact_bks
    )
    assert (summary.bks, summary.gap_pct) == (None, None)
    assert summary.bks_hierarchical == 20.0
    dimacs_bks = _bks(
        tmp_path, {"TINY_distance": {"best_known_cost": 15.0, "convention": "dimacs"}}
    )
    assert best_known("TINY", dimacs_bks, convention=Convention.EXACT) == (None, None)


def test_bundled_dimacs_table_is_picked_up_for_dimacs_only() -> None:
    """With --convention dimacs the Homberger DIMACS table is consulted beside BKS.json; the
    exact convention never sees it. Every entry is marked dimacs and names its source."""
    table = json.loads(DIMACS_BKS.read_text(encoding="utf-8"))
    entries = {k: v for k, v in table.items() if not k.startswith("_")}
    assert len(entries) == 24
    for key, value in entries.items():
        assert key.endswith("_distance")
        assert value["convention"] == "dimacs"
        assert value["jobs"] == 1000
        assert value["source"].startswith("PyVRP/Instances@")
    name = "r1_10_1"
    distance, hierarchical = best_known(name, customers=1000, convention=Convention.DIMACS)
    assert distance is not None
    assert distance.cost == table["R1_10_1_distance"]["best_known_cost"]
    assert distance.convention == "dimacs"
    assert hierarchical is not None  # the hierarchical value still comes from BKS.json
    exact, _ = best_known(name, customers=1000, convention=Convention.EXACT)
    assert exact is None


def test_bench_pattern_takes_a_comma_separated_list(tmp_path: Path) -> None:
    """--pattern a.txt,c.txt selects exactly those two files of the folder."""
    for name in ("a.txt", "b.txt", "c.txt"):
        _tiny(tmp_path, name)
    args = ["fleet", "bench", "--data", str(tmp_path), "--pattern", "a.txt, c.txt"]
    result = CliRunner().invoke(app, [*args, "--time-limit", "0.1", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert [Path(r["file"]).name for r in summary["results"]] == ["a.txt", "c.txt"]
