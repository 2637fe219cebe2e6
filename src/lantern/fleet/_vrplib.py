"""Reader of VRPLIB files (CVRP/VRPTW), including the EURO-NeurIPS 2022 ORTEC instances.

Specification lines ``KEY : value`` come first; then sections: ``EDGE_WEIGHT_SECTION``
(``EXPLICIT`` integers, ``EDGE_WEIGHT_FORMAT`` ``FULL_MATRIX`` or a triangle of a symmetric
matrix as TSPLIB writes it: ``LOWER_ROW``, ``LOWER_DIAG_ROW``, ``UPPER_ROW``,
``UPPER_DIAG_ROW``, read as one stream of numbers whatever the line breaks) or
``NODE_COORD_SECTION`` with ``EUC_2D`` (integer or decimal coordinates; each distance
rounded to the nearest integer, TSPLIB's ``nint``), ``DEMAND_SECTION``, ``DEPOT_SECTION``
(ids, ended by -1), ``SERVICE_TIME_SECTION``, ``TIME_WINDOW_SECTION``; ``EOF`` ends the
file. Nodes are numbered 1..DIMENSION in the file, and messages name a customer by that id
and the line of its ``DEMAND_SECTION`` row (``customer 3 (line 13)``). The fleet is
unlimited (one vehicle per customer), as in the competition's static variant; ``VEHICLES``
is kept for reference.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import numpy.typing as npt

from lantern.fleet._instances import Instance
from lantern.fleet._problem import Depot, RoutingProblem, VehicleKind, Visit
from lantern.fleet.errors import InstanceFormatError

__all__ = ["read_vrplib"]

_Rows = dict[str, list[tuple[int, list[str]]]]


def _split(file: Path, lines: list[str]) -> tuple[dict[str, tuple[int, str]], _Rows]:
    """Specification values and section rows, each with its line number."""
    spec: dict[str, tuple[int, str]] = {}
    sections: _Rows = {}
    current: str | None = None
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        upper = line.upper()
        if upper == "EOF":
            break
        if upper.endswith("_SECTION"):
            current = upper
            sections.setdefault(current, [])
        elif current is None:
            if ":" not in line:
                raise InstanceFormatError(file, number, f"expected 'KEY : value', got {line!r}")
            key, _, value = line.partition(":")
            spec[key.strip().upper()] = (number, value.strip())
        else:
            sections[current].append((number, line.split()))
    return spec, sections


def _int(file: Path, number: int, text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            raise InstanceFormatError(file, number, f"{what}: {text!r} is not a number") from None
        if value != int(value):
            raise InstanceFormatError(file, number, f"{what}: {text!r} is not an integer") from None
        return int(value)


def _float(file: Path, number: int, text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InstanceFormatError(file, number, f"{what}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise InstanceFormatError(file, number, f"{what}: {text!r} is not a finite number")
    return value


def _spec_int(file: Path, spec: dict[str, tuple[int, str]], key: str) -> int:
    if key not in spec:
        raise InstanceFormatError(file, None, f"missing specification line '{key} : ...'")
    number, value = spec[key]
    return _int(file, number, value, key)


def _table(file: Path, sections: _Rows, name: str, n: int, width: int) -> list[list[int]]:
    """Rows ``id v1 .. v_width`` for ids 1..n in order; returns the values."""
    return [[int(v) for v in row] for row in _rows(file, sections, name, n, width, decimal=False)]


def _lines(sections: _Rows, name: str) -> list[int]:
    """The line number of each row of a section (node id order, already checked)."""
    return [number for number, _ in sections[name]]


def _rows(
    file: Path, sections: _Rows, name: str, n: int, width: int, *, decimal: bool
) -> list[list[float]]:
    """Rows ``id v1 .. v_width`` for ids 1..n in order; values integers unless ``decimal``."""
    if name not in sections:
        raise InstanceFormatError(file, None, f"missing {name}")
    rows = sections[name]
    if len(rows) != n:
        where = rows[-1][0] if rows else None
        raise InstanceFormatError(file, where, f"{name} has {len(rows)} rows, expected {n}")
    values = []
    for expected, (number, fields) in enumerate(rows, start=1):
        if len(fields) != width + 1:
            raise InstanceFormatError(
                file, number, f"{name}: expected {width + 1} fields, found {len(fields)}"
            )
        if _int(file, number, fields[0], name) != expected:
            raise InstanceFormatError(file, number, f"{name}: expected node {expected} here")
        parse = _float if decimal else _int
        values.append([float(parse(file, number, f, name)) for f in fields[1:]])
    return values


_TRIANGLES = {
    # format: (lower triangle?, diagonal included?); rows are read left to right
    "LOWER_ROW": (True, False),
    "LOWER_DIAG_ROW": (True, True),
    "UPPER_ROW": (False, False),
    "UPPER_DIAG_ROW": (False, True),
}


def _matrix(file: Path, spec: dict[str, tuple[int, str]], sections: _Rows, n: int) -> np.ndarray:
    kind = spec.get("EDGE_WEIGHT_TYPE", (0, "EXPLICIT"))[1].upper()
    if kind == "EUC_2D":
        coords = np.array(
            _rows(file, sections, "NODE_COORD_SECTION", n, 2, decimal=True), dtype=np.float64
        )
        diff = coords[:, None, :] - coords[None, :, :]
        # TSPLIB's nint (x + 0.5, truncated); the same as rounding for integer coordinates,
        # whose distances are never exactly half-way
        lengths: npt.NDArray[np.float64] = np.hypot(diff[..., 0], diff[..., 1])
        return np.floor(lengths + 0.5).astype(np.int64)
    fmt_line, fmt = spec.get("EDGE_WEIGHT_FORMAT", (0, "FULL_MATRIX"))
    fmt = fmt.upper()
    if kind != "EXPLICIT" or (fmt != "FULL_MATRIX" and fmt not in _TRIANGLES):
        raise InstanceFormatError(
            file,
            fmt_line or spec.get("EDGE_WEIGHT_TYPE", (None, ""))[0],
            f"unsupported edge weights {kind}/{fmt} (EUC_2D, or EXPLICIT with FULL_MATRIX, "
            + ", ".join(_TRIANGLES)
            + ")",
        )
    rows = sections.get("EDGE_WEIGHT_SECTION", [])
    numbers: list[int] = []
    for number, fields in rows:
        numbers.extend(_int(file, number, f, "EDGE_WEIGHT_SECTION") for f in fields)
    where = rows[-1][0] if rows else None
    if fmt == "FULL_MATRIX":
        if len(numbers) != n * n:
            raise InstanceFormatError(
                file, where, f"EDGE_WEIGHT_SECTION has {len(numbers)} numbers, expected {n}x{n}"
            )
        matrix = np.array(numbers, dtype=np.int64).reshape(n, n)
    else:
        lower, diagonal = _TRIANGLES[fmt]
        offset = 0 if diagonal else (-1 if lower else 1)
        index = np.tril_indices(n, k=offset) if lower else np.triu_indices(n, k=offset)
        if len(numbers) != len(index[0]):
            raise InstanceFormatError(
                file,
                where,
                f"EDGE_WEIGHT_SECTION has {len(numbers)} numbers, expected {len(index[0])} "
                f"for a {fmt} triangle of {n} nodes",
            )
        matrix = np.zeros((n, n), dtype=np.int64)
        matrix[index] = numbers
        matrix[index[1], index[0]] = numbers  # symmetric
    if (matrix < 0).any():
        raise InstanceFormatError(file, rows[0][0], "EDGE_WEIGHT_SECTION has negative weights")
    return matrix


def read_vrplib(file: Path, lines: list[str]) -> Instance:
    """Parse a VRPLIB file (already split into lines)."""
    spec, sections = _split(file, lines)
    n = _spec_int(file, spec, "DIMENSION")
    capacity = _spec_int(file, spec, "CAPACITY")
    if n < 2:
        raise InstanceFormatError(file, spec["DIMENSION"][0], f"DIMENSION must be >= 2, got {n}")
    if capacity <= 0:
        why = f"CAPACITY must be positive, got {capacity}"
        raise InstanceFormatError(file, spec["CAPACITY"][0], why)
    matrix = _matrix(file, spec, sections, n)
    demand = [row[0] for row in _table(file, sections, "DEMAND_SECTION", n, 1)]
    service = (
        [row[0] for row in _table(file, sections, "SERVICE_TIME_SECTION", n, 1)]
        if "SERVICE_TIME_SECTION" in sections
        else [0] * n
    )
    windows = (
        _table(file, sections, "TIME_WINDOW_SECTION", n, 2)
        if "TIME_WINDOW_SECTION" in sections
        else [[0, 2**62]] * n
    )
    depot_ids = _depots(file, sections, n)
    coords = None
    if "NODE_COORD_SECTION" in sections:
        coords = np.array(
            _rows(file, sections, "NODE_COORD_SECTION", n, 2, decimal=True), dtype=np.float64
        )
    demand_lines = _lines(sections, "DEMAND_SECTION")
    for i, (early, late) in enumerate(windows):
        for bad, section, what in (
            (demand[i] < 0, "DEMAND_SECTION", f"negative demand {demand[i]}"),
            (service[i] < 0, "SERVICE_TIME_SECTION", f"negative service time {service[i]}"),
            (
                early > late,
                "TIME_WINDOW_SECTION",
                f"time window opens at {early}, after it closes at {late}",
            ),
        ):
            if bad:
                raise InstanceFormatError(
                    file, _lines(sections, section)[i], f"node {i + 1}: {what}"
                )
    customers = [i for i in range(n) if i not in depot_ids]
    depots = tuple(Depot(d, windows[d][0], windows[d][1], name=f"depot {d + 1}") for d in depot_ids)
    visits = tuple(
        Visit(
            location=i,
            demand=(demand[i],),
            service_s=service[i],
            tw_early=windows[i][0],
            tw_late=windows[i][1],
            name=f"customer {i + 1} (line {demand_lines[i]})",
        )
        for i in customers
    )
    kinds = tuple(
        VehicleKind(count=max(1, len(customers)), capacity=(capacity,), start_depot=d)
        for d in range(len(depots))
    )
    name = spec.get("NAME", (0, file.stem))[1]
    problem = RoutingProblem(
        duration_matrix=matrix,
        depots=depots,
        vehicle_kinds=kinds,
        visits=visits,
        coords=coords,
        name=name,
    )
    file_vehicles = _spec_int(file, spec, "VEHICLES") if "VEHICLES" in spec else len(customers)
    return Instance(
        name=name,
        path=file,
        format="vrplib",
        problem=problem,
        node_ids=tuple(customers),
        scale=1,
        convention="integer",
        file_vehicles=file_vehicles,
    )


def _depots(file: Path, sections: _Rows, n: int) -> list[int]:
    rows = sections.get("DEPOT_SECTION", [])
    ids = []
    for number, fields in rows:
        for field in fields:
            value = _int(file, number, field, "DEPOT_SECTION")
            if value == -1:
                break
            if not 1 <= value <= n:
                raise InstanceFormatError(file, number, f"depot {value} outside 1..{n}")
            ids.append(value - 1)
    return ids or [0]
