"""Customer locations: the LaDe Hangzhou sample shipped in ``lantern/data/drill``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

from lantern.drill.errors import DrillInputError

__all__ = ["Customer", "load_customers"]

_FILE = "lade_hangzhou_customers.csv"


@dataclass(frozen=True, slots=True)
class Customer:
    """A delivery address from LaDe: its record id, area of interest and coordinates."""

    lade_order_id: int
    aoi_type: int
    lng: float
    lat: float


def load_customers() -> tuple[Customer, ...]:
    """The 147 LaDe Hangzhou addresses on the road network (see ATTRIBUTION.md)."""
    path = resources.files("lantern").joinpath("data", "drill", _FILE)
    rows: list[Customer] = []
    with path.open("r", encoding="utf-8") as handle:
        for line, record in enumerate(csv.DictReader(handle), start=2):
            try:
                rows.append(
                    Customer(
                        lade_order_id=int(record["order_id"]),
                        aoi_type=int(record["aoi_type"]),
                        lng=float(record["lng"]),
                        lat=float(record["lat"]),
                    )
                )
            except (KeyError, ValueError) as exc:
                raise DrillInputError(f"{_FILE} line {line}: malformed record ({exc})") from exc
    assert rows, f"{_FILE} is empty"
    return tuple(rows)
