"""The bodies of `lantern commerce` commands (imported only when a command runs)."""

from __future__ import annotations

import json
import math
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from lantern.errors import InvalidInput

__all__ = ["run_bench", "run_generate", "run_search"]


def run_generate(out: Path, seed: int, roads: Path | None, *, as_json: bool) -> None:
    from lantern.cli._paths import output_file
    from lantern.commerce._generate import generate_catalogue

    output_file(out)
    catalogue = generate_catalogue(seed, roads)
    catalogue.save(out)
    summary = {
        "out": str(out),
        "seed": seed,
        "merchants": len(catalogue.merchants),
        "offers": len(catalogue),
        "bytes": out.stat().st_size,
    }
    if as_json:
        typer.echo(json.dumps(summary))
    else:
        Console().print(
            f"wrote {summary['offers']} offers of {summary['merchants']} "
            f"merchants to {out} ({summary['bytes']:,} bytes)"
        )


def run_search(
    text: str,
    category: str | None,
    max_price_yuan: float | None,
    party_size: int | None,
    near: str | None,
    red_envelope: bool,
    at: str | None,
    limit: int,
    *,
    as_json: bool,
) -> None:
    from lantern.clock import SHANGHAI
    from lantern.commerce import SearchIndex, SearchQuery, default_catalogue, require_landmark

    if max_price_yuan is not None and not (max_price_yuan >= 0):  # NaN fails this too
        raise InvalidInput(
            f"--max-price-yuan: max price must be a number >= 0, got {max_price_yuan}"
        )
    if max_price_yuan is not None and math.isinf(max_price_yuan):
        raise InvalidInput(
            f"--max-price-yuan: max price must be a finite number of yuan, got {max_price_yuan}"
        )
    if near is not None:
        require_landmark(near)
    when = None
    if at is not None:
        try:
            when = datetime.fromisoformat(at)
        except ValueError as exc:
            raise InvalidInput(f"--at {at!r} is not an ISO time like 2026-02-06T19:00") from exc
        when = when if when.tzinfo else when.replace(tzinfo=SHANGHAI)
    query = SearchQuery(
        text=text or None,
        category=category,
        max_price_fen=None if max_price_yuan is None else round(max_price_yuan * 100),
        party_size=party_size,
        with_red_envelope=red_envelope or None,
        open_from=when,
        near=near,
        limit=limit,
    )
    hits = SearchIndex(default_catalogue()).search(query)
    rows = [
        {
            "offer_id": h.offer.offer_id,
            "name": h.offer.name_zh,
            "merchant": h.merchant.name_zh,
            "price_yuan": h.offer.price_fen / 100,
            "red_envelope": h.merchant.red_envelope,
            "distance_km": None if h.distance_km is None else round(h.distance_km, 2),
            "description": h.offer.desc_en,
        }
        for h in hits
    ]
    if as_json:
        typer.echo(json.dumps({"offers": rows}, ensure_ascii=False))
        return
    table = Table(title=f"{len(rows)} offers")
    for column in ("offer_id", "name", "merchant", "price_yuan", "red_envelope", "distance_km"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            *(
                str(row[c])
                for c in (
                    "offer_id",
                    "name",
                    "merchant",
                    "price_yuan",
                    "red_envelope",
                    "distance_km",
                )
            )
        )
    Console().print(table)


_TEXTS = (
    "milk tea",
    "奶茶",
    "Milchtee",
    "coffee",
    "咖啡",
    "hotpot",
    "火锅",
    "Feuertopf",
    "dumplings",
    "小笼包",
    "noodles",
    "片儿川",
    "cinema",
    "电影",
    "Kino",
    "KTV",
    "唱歌",
    "escape room",
    "密室",
    "spa",
    "按摩",
    "Massage",
    "hot spring",
    "温泉",
    "boat",
    "游船",
    "Bootsfahrt",
    "zoo",
    "动物园",
    "museum",
    "bakery",
    "蛋糕",
    "bbq",
    "烧烤",
    "",
)
_NEAR = (None, None, "West Lake", "西湖", "Wulin Square", "Hangzhou East Station", "Xixi")


def run_bench(queries: int, seed: int, *, as_json: bool) -> None:
    from lantern.clock import SHANGHAI
    from lantern.commerce import SearchIndex, SearchQuery, default_catalogue

    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    index = SearchIndex(default_catalogue())
    build_ms = (time.perf_counter() - started) * 1000
    latencies = []
    hits_total = 0
    for _ in range(queries):
        query = SearchQuery(
            text=str(rng.choice(_TEXTS)) or None,
            max_price_fen=int(rng.choice([0, 2000, 5000, 20000])) or None,
            party_size=int(rng.choice([0, 1, 2, 4, 6])) or None,
            with_red_envelope=bool(rng.random() < 0.5) or None,
            open_from=datetime(
                2026, 2, 6 + int(rng.integers(0, 14)), int(rng.integers(0, 24)), tzinfo=SHANGHAI
            )
            if rng.random() < 0.5
            else None,
            near=_NEAR[int(rng.integers(len(_NEAR)))],
            limit=10,
        )
        t0 = time.perf_counter()
        hits_total += len(index.search(query))
        latencies.append((time.perf_counter() - t0) * 1000)
    lat = np.array(latencies)
    figures = {
        "offers": len(index.offers),
        "queries": queries,
        "index_build_ms": round(build_ms, 1),
        "latency_ms_p50": round(float(np.percentile(lat, 50)), 3),
        "latency_ms_p95": round(float(np.percentile(lat, 95)), 3),
        "latency_ms_p99": round(float(np.percentile(lat, 99)), 3),
        "queries_per_s": round(queries / (lat.sum() / 1000), 1),
        "mean_hits": round(hits_total / queries, 2),
    }
    if not as_json:
        Console(stderr=True).print(figures)
    typer.echo(json.dumps(figures))
