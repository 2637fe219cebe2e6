"""Delivery orders and a generator of a day of them on a road network.

An :class:`Order` is a pickup at a merchant (a restaurant or a shop) and a drop at a
customer, with a ready time (the food or parcel is ready), an optional earliest drop time
and a promised delivery time (``due_s``), weight and volume. Times are seconds on the
simulation clock (for a day: seconds after local midnight).

:func:`generate_orders` draws a day: customers from LaDe's Hangzhou records (jittered by
a few hundred metres and snapped to the network), merchants at random intersections,
each customer ordering from a nearby merchant, arrivals along a daily curve with lunch and
dinner peaks. Restaurant orders promise delivery within an hour; shop orders take the
window shape (lead time and length) of a random LaDe record.
"""

from __future__ import annotations

import csv
import importlib.resources
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from lantern.fleet._network import RoadNetwork
from lantern.fleet.errors import InvalidSimulation

__all__ = ["ARRIVALS_PER_HOUR", "Merchant", "Order", "generate_orders", "lade_customers"]

ARRIVALS_PER_HOUR: tuple[float, ...] = (
    0.0,
    0.0,
    0.0,
    0.0,
    0.0,
    0.0,  # 00-05: closed
    0.0,
    2.0,
    4.0,
    5.0,
    7.0,
    11.0,  # 06-11
    12.0,
    8.0,
    5.0,
    5.0,
    6.0,
    9.0,  # 12-17
    11.0,
    8.0,
    5.0,
    2.0,
    0.0,
    0.0,  # 18-23
)
"""Relative order arrivals per hour of day (lunch and dinner peaks; orders 07:00-22:00)."""


@dataclass(frozen=True)
class Merchant:
    """A pickup place: a restaurant or a shop."""

    merchant_id: str
    kind: Literal["restaurant", "shop"]
    lon: float
    lat: float


@dataclass(frozen=True)
class Order:
    """A pickup at a merchant and a drop at a customer; times on the simulation clock (s)."""

    order_id: str
    created_s: float
    pickup_lon: float
    pickup_lat: float
    drop_lon: float
    drop_lat: float
    ready_s: float
    due_s: float
    weight_kg: float
    volume_m3: float
    drop_earliest_s: float = 0.0
    kind: Literal["restaurant", "shop"] = "restaurant"
    merchant_id: str = ""

    def check(self) -> None:
        """Raise :class:`InvalidSimulation` naming this order if a field is out of range."""
        if not self.order_id.strip():
            raise InvalidSimulation("an order has an empty order_id; give every order a unique id")
        problems = []
        if not self.weight_kg >= 0 or not self.volume_m3 >= 0:
            problems.append("weight and volume must be >= 0")
        if not self.ready_s >= self.created_s:
            problems.append("ready_s is before created_s")
        if not self.due_s > self.created_s:
            problems.append("due_s must be after created_s")
        if not self.drop_earliest_s <= self.due_s:
            problems.append("drop_earliest_s is after due_s")
        if problems:
            raise InvalidSimulation(f"order {self.order_id}: " + "; ".join(problems))


def lade_customers() -> NDArray[np.float64]:
    """The shipped LaDe Hangzhou records: columns lon, lat, lead_s, window_s."""
    ref = importlib.resources.files("lantern.data") / "fleet" / "lade_hangzhou_customers.csv"
    rows = []
    with ref.open(encoding="utf-8") as handle:
        for rec in csv.DictReader(handle):
            accept, start, end = (
                float(rec[k]) for k in ("accept_min", "window_start_min", "window_end_min")
            )
            rows.append(
                [
                    float(rec["lon"]),
                    float(rec["lat"]),
                    max(0.0, start - accept) * 60,
                    max(0.0, end - max(start, accept)) * 60,
                ]
            )
    return np.array(rows)


_MAX_ROUNDS = 50  # rejection rounds before the remaining customers go to intersections


def _customer_points(
    network: RoadNetwork, n: int, rng: np.random.Generator
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Customer lon, lat (LaDe points inside the network, jittered) and LaDe window rows."""
    lade = lade_customers()
    lon_min, lat_min, lon_max, lat_max = network.bbox
    inside = (lade[:, 0] >= lon_min) & (lade[:, 0] <= lon_max)
    inside &= (lade[:, 1] >= lat_min) & (lade[:, 1] <= lat_max)
    pool = lade[inside] if inside.sum() >= 20 else None
    if pool is None:  # another city: uniform over the network's nodes
        nodes = rng.integers(0, network.n_nodes, n)
        return network.lon[nodes], network.lat[nodes], lade[rng.integers(0, len(lade), n)]
    lon = np.empty(0)
    lat = np.empty(0)
    jitter_deg = 400.0 / 111_000.0
    for _ in range(_MAX_ROUNDS):  # rejection: keep jittered points within 300 m of a road
        if lon.shape[0] >= n:
            break
        pick = pool[rng.integers(0, len(pool), 2 * n)]
        cand_lon = pick[:, 0] + rng.normal(0, jitter_deg, 2 * n)
        cand_lat = pick[:, 1] + rng.normal(0, jitter_deg, 2 * n)
        dist, _ = network.nearest(cand_lon, cand_lat)
        ok = dist <= 300.0
        lon, lat = np.concatenate([lon, cand_lon[ok]]), np.concatenate([lat, cand_lat[ok]])
    else:  # a sparse network over the LaDe area: the rest at random intersections
        nodes = rng.integers(0, network.n_nodes, n - lon.shape[0])
        lon, lat = (
            np.concatenate([lon, network.lon[nodes]]),
            np.concatenate([lat, network.lat[nodes]]),
        )
    return lon[:n], lat[:n], lade[rng.integers(0, len(lade), n)]


def generate_orders(
    network: RoadNetwork,
    n_orders: int,
    *,
    seed: int = 0,
    restaurant_share: float = 0.7,
    promise_s: float = 3600.0,
) -> tuple[list[Order], list[Merchant]]:
    """A day of ``n_orders`` orders (sorted by creation) and the merchants they come from."""
    if n_orders <= 0:
        raise InvalidSimulation(f"the number of orders must be > 0, got {n_orders}")
    rng = np.random.default_rng(seed)
    n_merchants = min(int(np.clip(n_orders // 25, 10, 400)), network.n_nodes)
    m_nodes = rng.choice(network.n_nodes, n_merchants, replace=False)
    m_kind = np.where(rng.random(n_merchants) < 0.8, "restaurant", "shop")
    m_kind[0], m_kind[-1] = "restaurant", "shop"
    merchants = [
        Merchant(
            f"M{i:04d}",
            "restaurant" if k == "restaurant" else "shop",
            float(network.lon[n]),
            float(network.lat[n]),
        )
        for i, (n, k) in enumerate(zip(m_nodes, m_kind, strict=True))
    ]
    xy = network.project_m(network.lon[m_nodes], network.lat[m_nodes])
    trees = {kind: (np.flatnonzero(m_kind == kind)) for kind in ("restaurant", "shop")}
    c_lon, c_lat, windows = _customer_points(network, n_orders, rng)
    c_nodes = network.snap(c_lon, c_lat, max_distance_m=300.0)
    c_lon, c_lat = network.lon[c_nodes], network.lat[c_nodes]
    hours = np.array(ARRIVALS_PER_HOUR)
    hour = rng.choice(24, n_orders, p=hours / hours.sum())
    created = np.sort(hour * 3600.0 + rng.random(n_orders) * 3600.0)
    is_food = rng.random(n_orders) < restaurant_share
    c_xy = network.project_m(c_lon, c_lat)
    orders = []
    for kind, idx in trees.items():
        tree = cKDTree(xy[idx])
        mask = is_food if kind == "restaurant" else ~is_food
        k = min(5, len(idx))
        _, near = tree.query(c_xy[mask], k=k)
        near = np.asarray(near).reshape(int(mask.sum()), k)
        pick = idx[near[np.arange(near.shape[0]), rng.integers(0, k, near.shape[0])]]
        for o, m in zip(np.flatnonzero(mask), pick, strict=True):
            orders.append(
                _make_order(
                    int(o), created[o], merchants[m], c_lon[o], c_lat[o], windows[o], rng, promise_s
                )
            )
    orders.sort(key=lambda order: (order.created_s, order.order_id))
    return orders, merchants


def _make_order(
    i: int,
    created: float,
    merchant: Merchant,
    lon: float,
    lat: float,
    window: NDArray[np.float64],
    rng: np.random.Generator,
    promise_s: float,
) -> Order:
    if merchant.kind == "restaurant":
        ready = created + rng.uniform(300.0, 900.0)
        earliest, due = 0.0, created + promise_s
        weight, volume = rng.uniform(0.3, 3.0), rng.uniform(0.003, 0.02)
    else:
        ready = created + 600.0
        earliest = created + float(np.clip(window[2], 0.0, 4 * 3600.0))
        due = earliest + float(np.clip(window[3], 3600.0, 4 * 3600.0))
        weight = float(np.clip(rng.lognormal(1.2, 0.8), 0.2, 40.0))
        volume = float(np.clip(weight * rng.uniform(0.003, 0.008), 0.002, 0.3))
    return Order(
        order_id=f"O{i:06d}",
        created_s=float(created),
        pickup_lon=merchant.lon,
        pickup_lat=merchant.lat,
        drop_lon=float(lon),
        drop_lat=float(lat),
        ready_s=float(ready),
        due_s=float(due),
        weight_kg=float(round(weight, 2)),
        volume_m3=float(round(volume, 4)),
        drop_earliest_s=float(earliest),
        kind=merchant.kind,
        merchant_id=merchant.merchant_id,
    )
