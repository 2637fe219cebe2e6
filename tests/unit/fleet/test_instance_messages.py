"""Instance input handling: messages in the file's units and numbering, fleet size checked
before solving, no library warnings, byte-order marks, triangular matrices, decimal
coordinates."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lantern.fleet import max_iterations, solve
from lantern.fleet._instances import read_instance
from lantern.fleet._problem import Depot, RoutingProblem, VehicleKind, Visit
from lantern.fleet.errors import (
    CapacityExceeded,
    FleetTooSmall,
    InstanceFormatError,
    NoFeasibleSolution,
    UnreachableCustomer,
)

HEAD = """MY4

VEHICLE
NUMBER     CAPACITY
  {vans}         {capacity}

CUSTOMER
CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME

    0      50         50          0          0       1000          0
"""


def _solomon(rows: list[str], vans: int = 3, capacity: int = 50) -> str:
    return HEAD.format(vans=vans, capacity=capacity) + "".join(f"{r}\n" for r in rows)


GOOD_ROWS = [
    "    1      60         50         10          0        500         10",
    "    2      40         50         10          0        500         10",
]


def _vrplib(
    weights: list[str],
    *,
    fmt: str = "FULL_MATRIX",
    demand: tuple[int, ...] = (0, 3, 3, 3),
    windows: list[str] | None = None,
) -> str:
    n = len(demand)
    lines = [
        "NAME : tiny",
        "TYPE : CVRP",
        f"DIMENSION : {n}",
        "EDGE_WEIGHT_TYPE : EXPLICIT",
        f"EDGE_WEIGHT_FORMAT : {fmt}",
        "CAPACITY : 10",
        "EDGE_WEIGHT_SECTION",
        *weights,
        "DEMAND_SECTION",
        *(f"{i} {d}" for i, d in enumerate(demand, start=1)),
        "DEPOT_SECTION",
        "1",
        "-1",
    ]
    if windows is not None:
        lines += ["TIME_WINDOW_SECTION", *windows]
    return "\n".join([*lines, "EOF", ""])


FULL = ["0 5 7 9", "5 0 3 8", "7 3 0 4", "9 8 4 0"]


def _write(tmp_path: Path, text: str, name: str = "inst.txt", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def test_solomon_unreachable_customer_in_file_units(tmp_path: Path) -> None:
    """A Solomon time-window error prints the file's units (28.29, 5), not the solver's x1000
    integers (28285, 5000), and no internal location index."""
    rows = [*GOOD_ROWS, "    3      70         70         10          0          5         10"]
    path = _write(tmp_path, _solomon(rows))
    with pytest.raises(UnreachableCustomer) as info:
        solve(read_instance(path).problem, stop=max_iterations(10))
    message = str(info.value)
    assert "customer 3 (line 13)" in message
    assert "the earliest arrival is 28.29, after its time window closes at 5;" in message
    for internal in ("28285", "5000", "location"):
        assert internal not in message


def test_solomon_depot_closing_in_file_units(tmp_path: Path) -> None:
    """The 'returns after the depot closes' reason is also in the file's units."""
    text = _solomon([*GOOD_ROWS, "    3      50        100         10          0       1000  10"])
    text = text.replace("0       1000          0", "0         90          0", 1)
    with pytest.raises(UnreachableCustomer, match=r"returns at 110, after the depot closes at 90"):
        solve(read_instance(_write(tmp_path, text)).problem, stop=max_iterations(10))


def test_vrplib_errors_use_file_ids_and_lines(tmp_path: Path) -> None:
    """VRPLIB capacity and window errors name the customer by its file node id and the line
    of its DEMAND_SECTION row, with no internal 0-based 'location'. The heavy file's fleet
    (3 vans x 10) is also below its total demand: the order's own error comes first."""
    heavy = _write(tmp_path, _vrplib(FULL, demand=(0, 4, 50, 6)), "heavy.vrp")
    with pytest.raises(CapacityExceeded, match=r"^order customer 3 \(line 15\) cannot be served"):
        solve(read_instance(heavy).problem, stop=max_iterations(10))
    windows = ["1 0 200", "2 0 50", "3 0 60", "4 0 5"]
    late = _write(tmp_path, _vrplib(FULL, windows=windows), "late.vrp")
    with pytest.raises(UnreachableCustomer) as info:
        solve(read_instance(late).problem, stop=max_iterations(10))
    assert str(info.value).startswith("order customer 4 (line 16) cannot be served: the earliest")
    assert "arrival is 9, after its time window closes at 5" in str(info.value)
    assert "location" not in str(info.value)


def test_fleet_too_small_is_named_before_solving(tmp_path: Path) -> None:
    """Total demand over NUMBER x CAPACITY raises FleetTooSmall (a NoFeasibleSolution) with
    both figures, before any search; with require_feasible=False the best effort is still
    returned."""
    path = _write(tmp_path, _solomon([*GOOD_ROWS, GOOD_ROWS[0].replace(" 1 ", " 3 ")], 1, 25))
    with pytest.raises(FleetTooSmall) as info:
        solve(read_instance(path).problem, stop=max_iterations(1))
    assert isinstance(info.value, NoFeasibleSolution)
    assert info.value.code == "FLEET_TOO_SMALL"
    relaxed = solve(read_instance(path).problem, stop=max_iterations(20), require_feasible=False)
    assert not relaxed.feasible or relaxed.unserved_visits  # best effort still allowed
    assert "total demand 30 of 3 customers exceeds the fleet's capacity 25 (1 vehicle x 25)" in (
        str(info.value)
    )


def test_no_feasible_solution_says_what_is_broken(monkeypatch: pytest.MonkeyPatch) -> None:
    """One van, two customers each reachable alone but not both in their windows: the error
    says the best plan arrives late, and a library warning raised during the search is
    caught (pytest turns any escaping warning into an error)."""
    import pyvrp

    real = pyvrp.solve

    def noisy(*args: Any, **kwargs: Any) -> Any:
        warnings.warn("penalty at its bound", UserWarning, stacklevel=1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pyvrp, "solve", noisy)
    matrix = np.array([[0, 10, 10], [10, 0, 20], [10, 20, 0]], dtype=np.int64)
    problem = RoutingProblem(
        duration_matrix=matrix,
        depots=(Depot(0),),
        vehicle_kinds=(VehicleKind(count=1, capacity=(10,)),),
        visits=(Visit(1, (1,), tw_late=10, name="a"), Visit(2, (1,), tw_late=10, name="b")),
        name="tight",
    )
    with pytest.raises(NoFeasibleSolution) as info:
        solve(problem, stop=max_iterations(50))
    message = str(info.value)
    assert message.startswith("no feasible plan for tight within the stop rule: the best plan")
    assert "arrives after time windows close (by " in message or "unserved" in message
    assert "0 visits and 0 pairs" not in message


@pytest.mark.parametrize("kind", ["solomon", "vrplib"])
def test_byte_order_mark_is_ignored(tmp_path: Path, kind: str) -> None:
    """A UTF-8 BOM in front changes nothing: the name line (Solomon) and 'NAME :' (VRPLIB)
    are read as without it, so best-known lookups still match."""
    if kind == "solomon":
        text, name = _solomon(GOOD_ROWS), "MY4"
    else:
        text, name = _vrplib(FULL), "tiny"
    plain = read_instance(_write(tmp_path, text, "plain.txt"))
    marked = read_instance(_write(tmp_path, text, "bom.txt", bom=True))
    assert marked.name == plain.name == name
    assert marked.format == kind
    assert np.array_equal(marked.problem.duration_matrix, plain.problem.duration_matrix)


@pytest.mark.parametrize(
    ("fmt", "rows"),
    [
        ("LOWER_ROW", ["5", "7 3", "9 8 4"]),
        ("LOWER_DIAG_ROW", ["0", "5 0", "7 3 0", "9 8 4 0"]),
        ("UPPER_ROW", ["5 7 9", "3 8", "4"]),
        ("UPPER_DIAG_ROW", ["0 5 7 9", "0 3 8", "0 4", "0"]),
        ("LOWER_ROW", ["5 7 3 9 8 4"]),  # one stream, whatever the line breaks
    ],
)
def test_triangular_edge_weights(tmp_path: Path, fmt: str, rows: list[str]) -> None:
    """The four TSPLIB triangle formats give the same symmetric matrix as FULL_MATRIX."""
    full = read_instance(_write(tmp_path, _vrplib(FULL), "full.vrp"))
    tri = read_instance(_write(tmp_path, _vrplib(rows, fmt=fmt), "tri.vrp"))
    assert np.array_equal(tri.problem.duration_matrix, full.problem.duration_matrix)


def test_triangle_with_wrong_count_names_the_line(tmp_path: Path) -> None:
    """A triangle with a number missing is a format error saying how many were expected."""
    path = _write(tmp_path, _vrplib(["5", "7 3", "9 8"], fmt="LOWER_ROW"))
    with pytest.raises(InstanceFormatError, match="has 5 numbers, expected 6 for a LOWER_ROW"):
        read_instance(path)
    other = _write(tmp_path, _vrplib(FULL, fmt="FUNCTION"), "f.vrp")
    with pytest.raises(InstanceFormatError, match="unsupported edge weights EXPLICIT/FUNCTION"):
        read_instance(other)


def _euc(coords: list[str]) -> str:
    lines = [
        "NAME : euc",
        "TYPE : CVRP",
        f"DIMENSION : {len(coords)}",
        "EDGE_WEIGHT_TYPE : EUC_2D",
        "CAPACITY : 10",
        "NODE_COORD_SECTION",
        *(f"{i} {c}" for i, c in enumerate(coords, start=1)),
        "DEMAND_SECTION",
        *(f"{i} {0 if i == 1 else 1}" for i in range(1, len(coords) + 1)),
        "DEPOT_SECTION",
        "1",
        "-1",
        "EOF",
    ]
    return "\n".join(lines) + "\n"


def test_decimal_coordinates_use_tsplib_nint(tmp_path: Path) -> None:
    """EUC_2D with decimal coordinates reads; each distance is TSPLIB's nint (0.5 -> 1,
    where round-half-even would give 0); integer coordinates keep their distances."""
    inst = read_instance(_write(tmp_path, _euc(["0 0", "0.5 0", "3.5 4.25", "6 8"])))
    matrix = inst.problem.duration_matrix
    assert matrix[0, 1] == 1  # 0.5
    assert matrix[0, 2] == 6  # hypot(3.5, 4.25) = 5.506
    assert matrix[0, 3] == 10
    assert inst.problem.coords is not None
    assert inst.problem.coords[2, 1] == 4.25
    ints = read_instance(_write(tmp_path, _euc(["0 0", "1 1", "3 4", "6 8"]), "ints.vrp"))
    assert ints.problem.duration_matrix[0].tolist() == [0, 1, 5, 10]  # sqrt 2 -> 1
    bad = _write(tmp_path, _euc(["0 0", "1 nan", "3 4"]), "nan.vrp")
    with pytest.raises(InstanceFormatError, match="not a finite number"):
        read_instance(bad)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("    3      70         70         10        900        100         10",
         "customer 3: ready time 900 is after the due date 100"),
        ("    3      70         70        -10          0        100         10",
         "customer 3: negative demand -10"),
        ("    3      70         70         10          0        100         -1",
         "customer 3: negative service time -1"),
        ("    2      70         70         10          0        100         10",
         "customer number 2 is repeated"),
        ("    6.5    70         70         10          0        100         10",
         "customer number 6.5 is not a whole number"),
    ],
)  # fmt: skip
def test_solomon_row_errors_say_which_value(tmp_path: Path, row: str, message: str) -> None:
    """A bad customer row names the failing condition and prints whole numbers as such
    ('customer number 2', not '2.0')."""
    path = _write(tmp_path, _solomon([*GOOD_ROWS, row]))
    with pytest.raises(InstanceFormatError, match=message) as info:
        read_instance(path)
    assert info.value.line == 13


def test_vrplib_bad_window_names_its_line(tmp_path: Path) -> None:
    """A VRPLIB window that opens after it closes names the node and its TIME_WINDOW line."""
    windows = ["1 0 200", "2 0 50", "3 60 20", "4 0 80"]
    path = _write(tmp_path, _vrplib(FULL, windows=windows))
    with pytest.raises(InstanceFormatError, match="node 3: time window opens at 60, after it"):
        read_instance(path)
    with pytest.raises(InstanceFormatError) as info:
        read_instance(path)
    assert info.value.line == 23  # the third TIME_WINDOW_SECTION row
