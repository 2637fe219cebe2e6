"""The seeded catalogue generator behind ``lantern commerce generate``.

Shops cluster around real Hangzhou hubs (:data:`~lantern.commerce._items.HUBS`); each gets a
Chinese name with a branch suffix ("一点奶茶(湖滨店)"), opening hours typical of its trade,
3-6 offers with prices drawn from realistic ranges, stock, and campaign eligibility. Given
the fleet's road network (GraphML), every shop that delivers stands near a road: its
intersection within 250 m (``road_node``: where a robovan picks up); venues have none. The same seed
and road file give a byte-identical catalogue.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from lantern.commerce._catalogue import Catalogue, Merchant, Offer
from lantern.commerce._items import HOURS, HUBS, ITEMS, NAME_PARTS, SHOP_COUNTS, TRAITS, Item
from lantern.commerce._taxonomy import LANDMARKS, SUBCATEGORIES, Landmark
from lantern.commerce.errors import CatalogueInvalid

__all__ = ["generate_catalogue", "read_road_nodes"]

_LANDMARKS = {lm.key: lm for lm in LANDMARKS}
_NODE = re.compile(
    r'<node id="(\d+)">\s*<data key="d1">([0-9.]+)</data>\s*<data key="d2">([0-9.]+)</data>'
)
_MAX_GAP_M = 250.0
_SPREAD_DEG = {"city": 0.009, "lake": 0.002, "green": 0.006, "zoo": 0.001}


def read_road_nodes(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Node ids and (lon, lat) of a GraphML road network such as hangzhou_cnbg_scc.graphml."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueInvalid(f"{path}: cannot read the road network: {exc}") from exc
    found = _NODE.findall(text)
    if not found:
        raise CatalogueInvalid(
            f"{path}: no <node> with x/y data (expected GraphML with "
            "d1=longitude, d2=latitude as in hangzhou_cnbg_scc.graphml)"
        )
    ids = np.array([int(n) for n, _, _ in found], dtype=np.int64)
    coords = np.array([(float(x), float(y)) for _, x, y in found], dtype=np.float64)
    return ids, coords


def _zh_name(landmark: Landmark) -> str:
    return next(n for n in landmark.names if any("\u4e00" <= c <= "\u9fff" for c in n))


def _en_name(landmark: Landmark) -> str:
    return landmark.key.replace("_", " ").title()


def _price_fen(rng: np.random.Generator, item: Item) -> int:
    yuan = int(rng.integers(item.yuan_lo, item.yuan_hi + 1))
    return yuan * 100 - (10 if rng.random() < 0.3 and yuan > 10 else 0)


class _Snapper:
    def __init__(self, roads: tuple[np.ndarray, np.ndarray] | None) -> None:
        self.ids: np.ndarray | None = None
        if roads is not None:
            from scipy.spatial import cKDTree

            self.ids, coords = roads
            self.scale = np.array([np.cos(np.radians(30.25)), 1.0])
            self.tree = cKDTree(coords * self.scale)
            self.coords = coords

    def nearest(self, lon: float, lat: float) -> tuple[int | None, float]:
        """The nearest intersection and its distance in metres (None, 0 without roads)."""
        if self.ids is None:
            return None, 0.0
        dist, i = self.tree.query(np.array([lon, lat]) * self.scale)
        return int(self.ids[int(i)]), float(dist) * 111_320.0


def _offers_for(rng: np.random.Generator, merchant: Merchant, first_id: int) -> list[Offer]:
    items = ITEMS[merchant.subcategory]
    count = int(rng.integers(min(3, len(items)), min(6, len(items)) + 1))
    picks = rng.choice(len(items), size=count, replace=False)
    traits = TRAITS[merchant.category]
    near = next(
        lm
        for lm in LANDMARKS
        if merchant.name_zh.endswith(f"({_zh_name(lm)}店)")
        or merchant.name_zh.startswith(_zh_name(lm))
    )
    offers = []
    for k, pick in enumerate(sorted(int(p) for p in picks)):
        item = items[pick]
        en_trait, de_trait = traits[int(rng.integers(len(traits)))]
        kind = merchant.sub.kind
        stock = int(rng.integers(40, 400)) if kind == "delivery" else int(rng.integers(20, 300))
        offers.append(
            Offer(
                offer_id=f"OF-{first_id + k:05d}",
                merchant_id=merchant.merchant_id,
                name_zh=item.zh,
                desc_en=f"{item.en}, near {_en_name(near)}. {en_trait}",
                desc_de=f"{item.de}, nahe {_en_name(near)}. {de_trait}",
                price_fen=_price_fen(rng, item),
                party_min=item.party_min,
                party_max=item.party_max,
                stock=stock,
            )
        )
    return offers


def _merchant(
    rng: np.random.Generator,
    number: int,
    sub: str,
    hub: Landmark,
    snapper: _Snapper,
    spread_deg: float,
) -> Merchant:
    prefixes, suffixes = NAME_PARTS[sub]
    name = prefixes[int(rng.integers(len(prefixes)))] + suffixes[int(rng.integers(len(suffixes)))]
    if SUBCATEGORIES[sub].category == "gastronomy" or sub in ("cinema", "ktv", "spa"):
        name += f"({_zh_name(hub)}店)"
    else:
        name = f"{_zh_name(hub)}·{name}"
    for _ in range(50):  # delivering shops stand within 250 m of a road intersection
        lon = hub.lon + float(rng.normal(0.0, spread_deg))
        lat = hub.lat + float(rng.normal(0.0, spread_deg * 0.8))
        node, gap_m = snapper.nearest(lon, lat)
        if SUBCATEGORIES[sub].kind != "delivery" or gap_m <= _MAX_GAP_M:
            break
    if SUBCATEGORIES[sub].kind != "delivery":
        node = None
    hours = HOURS[sub][int(rng.integers(len(HOURS[sub])))]
    return Merchant(
        merchant_id=f"MC-{number:04d}",
        name_zh=name,
        subcategory=sub,
        lon=round(lon, 6),
        lat=round(lat, 6),
        open_min=hours[0],
        close_min=hours[1],
        red_envelope=bool(rng.random() < 0.75),
        rating_x10=int(rng.integers(36, 51)),
        road_node=node,
    )


def generate_catalogue(seed: int = 2026, roads: Path | None = None) -> Catalogue:
    """Generate the Hangzhou catalogue; identical for the same seed and road file."""
    rng = np.random.default_rng(seed)
    snapper = _Snapper(read_road_nodes(roads) if roads is not None else None)
    merchants: list[Merchant] = []
    offers: list[Offer] = []
    for sub, (count, group) in SHOP_COUNTS.items():
        hubs = HUBS[group]
        weights = np.array([w for _, w in hubs]) / sum(w for _, w in hubs)
        for _ in range(count):
            hub = _LANDMARKS[hubs[int(rng.choice(len(hubs), p=weights))][0]]
            merchant = _merchant(rng, len(merchants) + 1, sub, hub, snapper, _SPREAD_DEG[group])
            merchants.append(merchant)
            offers.extend(_offers_for(rng, merchant, len(offers) + 1))
    return Catalogue(merchants, offers, source=f"generated(seed={seed})")
