"""Reader of Solomon and Gehring-Homberger VRPTW text files.

Layout: a name line; a ``VEHICLE`` block (``NUMBER CAPACITY`` header, one line of two
integers); a ``CUSTOMER`` block (a header, then one row per node: number, x, y, demand,
ready time, due date, service time), node 0 the depot. Every problem names the file and line.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from lantern.fleet._instances import Convention, Instance
from lantern.fleet._problem import Depot, RoutingProblem, VehicleKind, Visit
from lantern.fleet.errors import InstanceFormatError

__all__ = ["read_solomon"]


def _numbers(file: Path, lineno: int, line: str, count: int) -> list[float]:
    fields = line.split()
    if len(fields) != count:
        raise InstanceFormatError(
            file, lineno, f"expected {count} numbers, found {len(fields)}: {line.strip()!r}"
        )
    try:
        values = [float(f) for f in fields]
    except ValueError:
        raise InstanceFormatError(file, lineno, f"not a number in {line.strip()!r}") from None
    if any(not math.isfinite(v) for v in values):
        raise InstanceFormatError(file, lineno, f"non-finite number in {line.strip()!r}")
    return values


def _find(file: Path, lines: list[str], word: str, start: int) -> int:
    for i in range(start, len(lines)):
        if lines[i].strip().upper().startswith(word):
            return i
    raise InstanceFormatError(file, None, f"no {word} block")


def _data_lines(lines: list[str], start: int) -> list[tuple[int, str]]:
    return [(i + 1, lines[i]) for i in range(start, len(lines)) if lines[i].strip()]


def read_solomon(file: Path, lines: list[str], convention: Convention) -> Instance:
    """Parse a Solomon/Homberger file (already split into lines)."""
    vehicle = _find(file, lines, "VEHICLE", 0)
    rows = _data_lines(lines, vehicle + 1)
    if len(rows) < 2:
        raise InstanceFormatError(file, vehicle + 1, "the VEHICLE block is incomplete")
    (lineno, line) = rows[1]
    number, capacity = _numbers(file, lineno, line, 2)
    if number < 1 or capacity < 1 or number != int(number) or capacity != int(capacity):
        raise InstanceFormatError(file, lineno, "vehicle NUMBER and CAPACITY must be positive")
    customer = _find(file, lines, "CUSTOMER", lineno)
    table = _data_lines(lines, customer + 1)
    if table and not table[0][1].split()[0][0].isdigit():
        table = table[1:]  # the column header line
    if len(table) < 2:
        raise InstanceFormatError(file, customer + 1, "the CUSTOMER block has no customers")
    nodes = [(n, _numbers(file, n, text, 7)) for n, text in table]
    _check_nodes(file, nodes)
    return _build(file, lines, nodes, int(number), int(capacity), convention)


def _check_nodes(file: Path, nodes: list[tuple[int, list[float]]]) -> None:
    seen: set[int] = set()
    for lineno, (number, _x, _y, demand, ready, due, service) in nodes:
        if number != int(number) or int(number) in seen:
            raise InstanceFormatError(file, lineno, _repeated(number))
        seen.add(int(number))
        wrong = _node_problem(demand, service, ready, due)
        if wrong:
            raise InstanceFormatError(file, lineno, f"customer {int(number)}: {wrong}")
    first_line, first = nodes[0]
    if int(first[0]) != 0 or first[3] != 0:
        raise InstanceFormatError(file, first_line, "the first row must be the depot, number 0")


def _repeated(number: float) -> str:
    shown = f"{number:g}"
    if number != int(number):
        return f"customer number {shown} is not a whole number"
    return f"customer number {shown} is repeated"


def _node_problem(demand: float, service: float, ready: float, due: float) -> str | None:
    """Which of a node's values is out of range (None when all are fine)."""
    if demand < 0:
        return f"negative demand {demand:g}"
    if service < 0:
        return f"negative service time {service:g}"
    if ready > due:
        return f"ready time {ready:g} is after the due date {due:g}"
    return None


def _build(
    file: Path,
    lines: list[str],
    nodes: list[tuple[int, list[float]]],
    number: int,
    capacity: int,
    convention: Convention,
) -> Instance:
    coords = np.array([[v[1], v[2]] for _, v in nodes], dtype=np.float64)
    diff = coords[:, None, :] - coords[None, :, :]
    euclid = np.hypot(diff[..., 0], diff[..., 1])
    if convention is Convention.DIMACS:
        scale = 10
        distances = np.floor(euclid * scale + 1e-9).astype(np.int64)
        durations = distances
    else:
        scale = 1000
        distances = np.rint(euclid * scale).astype(np.int64)
        durations = np.ceil(euclid * scale - 1e-6).astype(np.int64)

    def t(value: float) -> int:
        return round(value * scale)

    depot_row = nodes[0][1]
    visits = tuple(
        Visit(
            location=i,
            demand=(round(v[3]),),
            service_s=t(v[6]),
            tw_early=t(v[4]),
            tw_late=t(v[5]),
            name=f"customer {int(v[0])} (line {lineno})",
        )
        for i, (lineno, v) in enumerate(nodes)
        if i > 0
    )
    problem = RoutingProblem(
        duration_matrix=durations,
        distance_matrix=distances,
        coords=coords,
        depots=(Depot(0, t(depot_row[4]), t(depot_row[5]), name="depot"),),
        vehicle_kinds=(VehicleKind(count=number, capacity=(capacity,), name="vehicle"),),
        visits=visits,
        name=lines[0].strip() or file.stem,
        unit_scale=scale,
    )
    return Instance(
        name=problem.name,
        path=file,
        format="solomon",
        problem=problem,
        node_ids=tuple(int(v[0]) for _, v in nodes[1:]),
        scale=scale,
        convention=convention.value,
        file_vehicles=number,
    )
