"""Reader of VRPLIB files (CVRP/VRPTW), including the EURO-NeurIPS 2022 ORTEC instances.

Specification lines ``KEY : value`` come first; then sections: ``EDGE_WEIGHT_SECTION``
(``EXPLICIT``/``FULL_MATRIX``) or ``NODE_COORD_SECTION`` with ``EUC_2D`` (rounded to the
nearest integer, as TSPLIB), ``DEMAND_SECTION``, ``DEPOT_SECTION`` (ids, ended by -1),
``SERVICE_TIME_SECTION``, ``TIME_WINDOW_SECTION``; ``EOF`` ends the file. Nodes are numbered
1..DIMENSION in the file. The fleet is unlimited (one vehicle per customer), as in the
competition's static variant; ``VEHICLES`` is kept for reference.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

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


def _spec_int(file: Path, spec: dict[str, tuple[int, str]], key: str) -> int:
    if key not in spec:
        raise InstanceFormatError(file, None, f"missing specification line '{key} : ...'")
    number, value = spec[key]
    return _int(file, number, value, key)


def _table(file: Path, sections: _Rows, name: str, n: int, width: int) -> list[list[int]]:
    """Rows ``id v1 .. v_width`` for ids 1..n in order; returns the values."""
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
        values.append([_int(file, number, f, name) for f in fields[1:]])
    return values


def _matrix(file: Path, spec: dict[str, tuple[int, str]], sections: _Rows, n: int) -> np.ndarray:
    kind = spec.get("EDGE_WEIGHT_TYPE", (0, "EXPLICIT"))[1].upper()
    if kind == "EUC_2D":
        coords = np.array(_table(file, sections, "NODE_COORD_SECTION", n, 2), dtype=np.float64)
        diff = coords[:, None, :] - coords[None, :, :]
        return np.rint(np.hypot(diff[..., 0], diff[..., 1])).astype(np.int64)
    fmt = spec.get("EDGE_WEIGHT_FORMAT", (0, "FULL_MATRIX"))
    if kind != "EXPLICIT" or fmt[1].upper() != "FULL_MATRIX":
        raise InstanceFormatError(
            file,
            fmt[0] or None,
            f"unsupported edge weights {kind}/{fmt[1]} (EXPLICIT FULL_MATRIX or EUC_2D)",
        )
    rows = sections.get("EDGE_WEIGHT_SECTION", [])
    numbers: list[int] = []
    for number, fields in rows:
        numbers.extend(_int(file, number, f, "EDGE_WEIGHT_SECTION") for f in fields)
    if len(numbers) != n * n:
        where = rows[-1][0] if rows else None
        raise InstanceFormatError(
            file, where, f"EDGE_WEIGHT_SECTION has {len(numbers)} numbers, expected {n}x{n}"
        )
    matrix = np.array(numbers, dtype=np.int64).reshape(n, n)
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
        coords = np.array(_table(file, sections, "NODE_COORD_SECTION", n, 2), dtype=np.float64)
    for i, (early, late) in enumerate(windows):
        if early > late or demand[i] < 0 or service[i] < 0:
            raise InstanceFormatError(
                file, None, f"node {i + 1}: negative demand/service or window start after end"
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
            name=f"node {i + 1}",
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
