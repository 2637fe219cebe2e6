"""Instance readers: Solomon/Homberger and VRPLIB, conventions, and clear format errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from lantern.errors import NotFound
from lantern.fleet import max_iterations, solve
from lantern.fleet._instances import DATA_DIR, Convention, best_known, read_instance
from lantern.fleet.errors import CapacityExceeded, InstanceFormatError, UnreachableCustomer

SOLOMON_HEAD = """TINY

VEHICLE
NUMBER     CAPACITY
  3         50

CUSTOMER
CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME

    0      0          0          0          0       1000          0
    1      3          4         10          0        100         10
"""


def _write(tmp_path: Path, text: str, name: str = "inst.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_solomon_instance() -> None:
    """C101 reads as 100 customers, capacity 200, 25 vans, exact convention x1000."""
    inst = read_instance(DATA_DIR / "C101.txt")
    assert inst.name == "C101"
    assert len(inst.problem.visits) == 100
    assert inst.problem.vehicle_kinds[0].capacity == (200,)
    assert inst.file_vehicles == 25
    assert inst.node_ids == tuple(range(1, 101))
    assert inst.scale == 1000
    first = inst.problem.visits[0]
    assert (first.tw_early, first.tw_late, first.service_s) == (912_000, 967_000, 90_000)


def test_conventions_differ_only_in_rounding() -> None:
    """A 3-4-5 triangle arc is 5 in both; an irrational arc is truncated in DIMACS."""
    exact = read_instance(DATA_DIR / "R101.txt")
    dimacs = read_instance(DATA_DIR / "R101.txt", convention=Convention.DIMACS)
    assert dimacs.scale == 10
    # R101 depot (35, 35), customer 1 (41, 49): sqrt(36 + 196) = 15.2315...
    assert exact.problem.distances[0, 1] == 15232
    assert dimacs.problem.distances[0, 1] == 152
    assert exact.problem.duration_matrix[0, 1] == 15232  # rounded up, never shorter


def test_shipped_vrplib_instance() -> None:
    """The hand-made EURO-style VRPLIB file reads with its matrix, windows and depot."""
    inst = read_instance(DATA_DIR / "tiny_euro_16.txt")
    assert inst.format == "vrplib"
    assert len(inst.problem.visits) == 15
    assert inst.problem.duration_matrix.shape == (16, 16)
    assert inst.node_ids == tuple(range(1, 16))
    assert inst.problem.depots[0].tw_late == 36000


def test_best_known_values() -> None:
    """Both conventions of the bundled BKS table are found by instance name."""
    distance, hierarchical = best_known("R101")
    assert distance is not None
    assert hierarchical is not None
    assert distance.convention == "distance-only"
    assert hierarchical.vehicles == 19
    assert best_known("no-such-instance") == (None, None)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            SOLOMON_HEAD + "    2      3          4         10          0        100\n",
            12,
            "expected 7 numbers",
        ),
        (
            SOLOMON_HEAD + "    2      3          x         10          0   100  10\n",
            12,
            "not a number",
        ),
        (
            SOLOMON_HEAD + "    1      3          4         10          0   100  10\n",
            12,
            "repeated",
        ),
        (
            SOLOMON_HEAD + "    2      3          4         10          90   50  10\n",
            12,
            "ready time 90 is after the due date 50",
        ),
        (SOLOMON_HEAD.replace("  3         50", "  3"), 5, "expected 2 numbers"),
    ],
)
def test_malformed_solomon_names_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    """Each malformed Solomon file fails with the file, the line and what is wrong."""
    path = _write(tmp_path, text)
    with pytest.raises(InstanceFormatError, match=message) as info:
        read_instance(path)
    assert info.value.line == line
    assert f"{path}:{line}" in str(info.value)


def _vrplib(matrix_rows: list[str], demand: list[str] | None = None) -> str:
    demand = demand or ["1 0", "2 5", "3 5"]
    return "\n".join(
        [
            "NAME : t",
            "TYPE : VRPTW",
            "DIMENSION : 3",
            "CAPACITY : 10",
            "EDGE_WEIGHT_TYPE : EXPLICIT",
            "EDGE_WEIGHT_FORMAT : FULL_MATRIX",
            "EDGE_WEIGHT_SECTION",
            *matrix_rows,
            "DEMAND_SECTION",
            *demand,
            "DEPOT_SECTION",
            "1",
            "-1",
            "EOF",
        ]
    )


def test_vrplib_reads_and_solves(tmp_path: Path) -> None:
    """A minimal VRPLIB file reads; routes use the solution-file numbering (depot 0)."""
    path = _write(tmp_path, _vrplib(["0 1 2", "1 0 1", "2 1 0"]))
    inst = read_instance(path)
    assert inst.node_ids == (1, 2)
    solution = solve(inst.problem, stop=max_iterations(20))
    assert solution.distance == 4


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (_vrplib(["0 1 2", "1 0 1", "2 1"]), 10, "has 8 numbers, expected 3x3"),
        (_vrplib(["0 1 2", "1 0 1", "2 1 x"]), 10, "not a number"),
        (_vrplib(["0 1 2", "1 0 1", "2 1 0"], ["1 0", "3 5", "2 5"]), 13, "expected node 2"),
        (_vrplib(["0 1 2", "1 0 1", "2 1 0"], ["1 0", "2 5"]), 13, "has 2 rows, expected 3"),
        (
            _vrplib(["0 1 2", "1 0 1", "2 1 0"]).replace("DIMENSION : 3", "DIMENSION 3"),
            3,
            "expected 'KEY : value'",
        ),
        (
            _vrplib(["0 1 2", "1 0 1", "2 1 0"]).replace("CAPACITY : 10", "CAPACITY : ten"),
            4,
            "CAPACITY",
        ),
        (
            _vrplib(["0 1 2", "1 0 1", "2 1 0"]).replace("CAPACITY : 10", "CAPACITY : -5"),
            4,
            "CAPACITY must be positive, got -5",
        ),
        (
            _vrplib(["0"], ["1 0"]).replace("DIMENSION : 3", "DIMENSION : 1"),
            3,
            "DIMENSION must be >= 2, got 1",
        ),
    ],
)
def test_malformed_vrplib_names_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    """Each malformed VRPLIB file fails with the file, the line and what is wrong."""
    path = _write(tmp_path, text)
    with pytest.raises(InstanceFormatError, match=message) as info:
        read_instance(path)
    assert info.value.line == line


def test_missing_and_unknown_files(tmp_path: Path) -> None:
    """A missing file is NotFound; a file of neither format says so."""
    with pytest.raises(NotFound):
        read_instance(tmp_path / "absent.txt")
    with pytest.raises(InstanceFormatError, match="neither a Solomon file"):
        read_instance(_write(tmp_path, "hello\nworld\n"))


def test_demand_over_capacity_names_the_customer(tmp_path: Path) -> None:
    """A Solomon customer heavier than the van is reported by number and line."""
    path = _write(
        tmp_path, SOLOMON_HEAD + "    2      1          1         60          0  900  10\n"
    )
    with pytest.raises(CapacityExceeded, match=r"customer 2 \(line 12\)") as info:
        solve(read_instance(path).problem, stop=max_iterations(10))
    assert "its demand 60 exceeds every vehicle's capacity (largest 50)" in str(info.value)


def test_impossible_window_names_the_customer(tmp_path: Path) -> None:
    """A customer whose window closes before a van can reach it is reported by number."""
    path = _write(
        tmp_path, SOLOMON_HEAD + "    2      60         80        5           0    50  10\n"
    )
    with pytest.raises(UnreachableCustomer, match=r"customer 2 \(line 12\).*earliest arrival"):
        solve(read_instance(path).problem, stop=max_iterations(10))


def test_all_solomon_files_read(shared_data: Path) -> None:
    """Every shared Solomon file reads, with 100 customers and a bundled best-known value."""
    files = sorted((shared_data / "vrptw" / "solomon").glob("*.txt"))
    assert len(files) == 56
    for file in files:
        inst = read_instance(file)
        assert len(inst.problem.visits) == 100
        assert best_known(inst.name)[0] is not None


def test_vrplib_with_vehicle_and_customer_words_is_still_vrplib(tmp_path: Path) -> None:
    """Format detection is not fooled by 'VEHICLES :' and a comment naming customers."""
    text = _vrplib(["0 1 2", "1 0 1", "2 1 0"]).replace(
        "TYPE : VRPTW", "COMMENT : CUSTOMER data\nVEHICLES : 2\nTYPE : VRPTW"
    )
    assert read_instance(_write(tmp_path, text)).format == "vrplib"
