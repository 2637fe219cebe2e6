"""Benchmark instances: a routing problem plus what is needed to report on it.

Two file formats are read (:func:`read_instance` picks by content):

- Solomon / Gehring-Homberger text files (``lantern.fleet._solomon``): Euclidean plane,
  one depot, homogeneous fleet. Distances are real numbers; see ``Convention``.
- VRPLIB files, including the EURO-NeurIPS 2022 ORTEC instances (``lantern.fleet._vrplib``):
  integer explicit matrices (full or triangular) or EUC_2D coordinates, objective = total
  driving time.

Files are UTF-8; a byte-order mark in front (as some Windows editors write) is ignored.

Routes are reported with node numbers as the instance's own numbering: Solomon customer
numbers (``CUST NO.``, depot 0); for VRPLIB the solution-file convention of VRPLIB and the
EURO-NeurIPS competition (file node id minus one, so the depot is 0 and customers 1..n).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import numpy as np
import numpy.typing as npt

from lantern.errors import NotFound
from lantern.fleet._problem import RoutingProblem, Solution
from lantern.fleet.errors import InstanceFormatError

__all__ = [
    "DATA_DIR",
    "BestKnown",
    "Convention",
    "Instance",
    "best_known",
    "dimacs_length",
    "euclidean_length",
    "read_instance",
    "route_node_ids",
]

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "fleet" / "instances"
"""Instances and best-known values shipped with Lantern (see its ATTRIBUTION.md)."""

DIMACS_BKS = DATA_DIR / "BKS_homberger1000_dimacs.json"
"""Distance-only best-known values in the DIMACS convention (Gehring-Homberger 1000), each
re-costed from its routes and checked feasible; consulted whenever ``--convention dimacs``."""


class Convention(StrEnum):
    """How real-valued Euclidean lengths become the solver's integers (Solomon files)."""

    EXACT = "exact"
    """Distances x1000 rounded, travel times x1000 rounded up: a plan feasible for the solver
    is feasible with exact real arithmetic; the objective is the unrounded Euclidean length
    (to 0.001), the convention of the best-known values in BKS.json."""
    DIMACS = "dimacs"
    """Each arc truncated to one decimal (DIMACS 2021 challenge; PyVRP's x10-and-truncate)."""


@dataclass(frozen=True)
class Instance:
    """A benchmark instance read from a file."""

    name: str
    path: Path
    format: str  # "solomon" | "vrplib"
    problem: RoutingProblem
    node_ids: tuple[int, ...]  # per visit, its number in routes.json
    scale: int  # solver units per instance unit (1000 or 10 for Solomon, 1 for VRPLIB)
    convention: str
    file_vehicles: int  # fleet size stated by the file

    def objective(self, solution: Solution) -> float:
        """The solution's distance in the instance's units."""
        return solution.distance / self.scale


def read_instance(path: str | Path, *, convention: Convention = Convention.EXACT) -> Instance:
    """Read a Solomon/Homberger or VRPLIB instance; malformed files raise InstanceFormatError."""
    from lantern.fleet._solomon import read_solomon
    from lantern.fleet._vrplib import read_vrplib

    file = Path(path)
    if not file.is_file():
        what = "is a directory, not a file" if file.is_dir() else "does not exist"
        raise NotFound(f"instance file {file} {what}; give a Solomon or VRPLIB .txt file")
    try:
        text = file.read_text(encoding="utf-8-sig")  # a byte-order mark in front is dropped
    except UnicodeDecodeError as exc:
        raise InstanceFormatError(file, None, f"not a UTF-8 text file ({exc.reason})") from exc
    lines = text.splitlines()
    head = [line.strip().upper() for line in lines[:12]]
    if "VEHICLE" in head and "CUSTOMER" in head:  # Solomon's block headers, alone on a line
        return read_solomon(file, lines, convention)
    if any(":" in line or line.endswith("_SECTION") for line in head):
        return read_vrplib(file, lines)
    raise InstanceFormatError(
        file, 1, "neither a Solomon file (VEHICLE/CUSTOMER blocks) nor a VRPLIB file (KEY : value)"
    )


def route_node_ids(instance: Instance, solution: Solution) -> list[list[int]]:
    """The routes as node numbers of the instance file (depot excluded)."""
    return [[instance.node_ids[i] for i in route] for route in solution.visit_routes()]


def dimacs_length(coords: npt.NDArray[np.float64], depot: int, routes: list[list[int]]) -> float:
    """Total length of routes (location indices) in the DIMACS 2021 convention.

    Each arc's Euclidean length is truncated to one decimal (x10, integer part, as PyVRP
    reads DIMACS instances), and the integer tenths are summed, so the result is exact."""
    tenths = 0
    for route in routes:
        path = [depot, *route, depot]
        steps = np.diff(coords[path], axis=0)
        tenths += int(np.floor(np.hypot(steps[:, 0], steps[:, 1]) * 10 + 1e-9).sum())
    return tenths / 10


def euclidean_length(coords: npt.NDArray[np.float64], depot: int, routes: list[list[int]]) -> float:
    """Total unrounded Euclidean length of routes given as location indices."""
    total = 0.0
    for route in routes:
        path = [depot, *route, depot]
        steps = np.diff(coords[path], axis=0)
        total += float(np.hypot(steps[:, 0], steps[:, 1]).sum())
    return total


@dataclass(frozen=True)
class BestKnown:
    """A best-known value, and which convention it follows."""

    cost: float
    vehicles: int | None
    convention: str  # "distance-only" (exact) | "dimacs" | "hierarchical" | "given"


def best_known(
    name: str,
    bks_file: Path | None = None,
    *,
    customers: int | None = None,
    convention: Convention | None = None,
) -> tuple[BestKnown | None, BestKnown | None]:
    """(distance-only, hierarchical) best-known values for an instance name, when known.

    Looks in ``bks_file`` (the BKS.json layout of ../shared/data/vrptw, or a plain
    ``{name: cost}`` map) or else in the copy bundled with Lantern. With ``customers``, an
    entry recorded for another number of customers (its ``jobs``: a cut-down copy of the
    instance under the same name) is not that instance's value and is left out.

    With ``convention``, a distance-only entry (``NAME_distance``) is used only when it was
    recorded in that convention: its ``"convention"`` field, ``"exact"`` (unrounded lengths)
    when absent, as in BKS.json. For ``Convention.DIMACS`` the bundled DIMACS table
    (:data:`DIMACS_BKS`) is consulted after ``bks_file``.
    """
    primary = bks_file or DATA_DIR / "BKS.json"
    files = [primary]
    if convention is Convention.DIMACS and primary.resolve() != DIMACS_BKS:
        files.append(DIMACS_BKS)
    distance: BestKnown | None = None
    hierarchical: BestKnown | None = None
    for path in files:
        table = _bks_table(path)
        try:
            found = _entry(table, f"{name}_distance", "distance-only", customers, convention)
            hier = _entry(table, name, "hierarchical", customers, None)
        except (KeyError, TypeError, ValueError) as exc:
            problem = f"entry for {name} is neither a number nor {{'best_known_cost': ...}} ({exc})"
            raise InstanceFormatError(path, None, problem) from exc
        if path == primary and found is None and hier is not None and hier.vehicles is None:
            return hier, None  # a plain map: the value is what the user gave
        distance = distance or found
        hierarchical = hierarchical or hier
    return distance, hierarchical


def _bks_table(path: Path) -> dict[str, object]:
    """The JSON object of a best-known-values file; a missing or malformed one is an error."""
    if not path.is_file():
        raise NotFound(f"best-known file {path} does not exist; fix --bks or leave it out")
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InstanceFormatError(path, None, f"not a readable JSON file ({exc})") from exc
    if not isinstance(table, dict):
        raise InstanceFormatError(path, None, "expected a JSON object {instance: value, ...}")
    return table


def _entry(
    table: dict[str, object],
    key: str,
    label: str,
    customers: int | None,
    convention: Convention | None,
) -> BestKnown | None:
    matches = [k for k in table if k.lower() == key.lower()]
    if not matches:
        return None
    value = table[matches[0]]
    if isinstance(value, int | float):
        return BestKnown(float(value), None, "given")
    if not isinstance(value, dict):
        raise TypeError(f"got {type(value).__name__}")
    if customers is not None and value.get("jobs", customers) != customers:
        return None
    recorded = str(value.get("convention", Convention.EXACT.value))
    if convention is not None and recorded != convention.value:
        return None  # a value in another rounding convention is not comparable
    if recorded == Convention.DIMACS.value:
        label = "dimacs"
    vehicles = value.get("solved_with_vehicles")
    return BestKnown(float(value["best_known_cost"]), vehicles, label)
