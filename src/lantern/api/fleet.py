"""Fleet routes: the robovans of the drill being replayed (vans, positions, routes, roads).

Read-only views of the fleet state the served drill recorded; ``/v1/fleet/roads`` is the
simplified road network (GeoJSON) the dashboard draws its map from.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

from lantern.drill import DrillError, DrillReplay, ReplayNotReady

__all__ = ["current_replay", "router"]

router = APIRouter(prefix="/v1/fleet", tags=["fleet"])


def current_replay(request: Request) -> DrillReplay:
    """The drill replay this app serves; 503 DRILL_REPLAY_NOT_READY until there is one."""
    replay: DrillReplay | None = getattr(request.app.state, "drill_replay", None)
    if replay is None:
        failed: str | None = getattr(request.app.state, "drill_error", None)
        if failed is not None:
            raise DrillError(f"the drill behind this server failed: {failed}")
        raise ReplayNotReady("the drill behind this server is still running; retry in a moment")
    return replay


@router.get("/vans")
def vans(request: Request) -> dict[str, Any]:
    """Every van: id, position and whether it is serving deliveries, at the shown minute."""
    replay = current_replay(request)
    minute = replay.minute()
    listed = replay.vans(minute)
    return {
        "minute": round(minute, 2),
        "time": replay.clock_time(minute).isoformat(timespec="minutes"),
        "count": len(listed),
        "busy": sum(v["busy"] for v in listed),
        "vans": listed,
    }


@router.get("/positions")
def positions(request: Request) -> dict[str, Any]:
    """Compact positions: ``[lng, lat, busy]`` per van, in van-id order."""
    replay = current_replay(request)
    minute = replay.minute()
    return {
        "minute": round(minute, 2),
        "positions": [[v["lng"], v["lat"], int(v["busy"])] for v in replay.vans(minute)],
    }


@router.get("/routes")
def routes(request: Request) -> dict[str, Any]:
    """Each van's route over the last half hour of the drill, as [lng, lat] polylines."""
    replay = current_replay(request)
    minute = replay.minute()
    return {"minute": round(minute, 2), "routes": replay.trails(minute)}


@router.get("/deliveries")
def deliveries(request: Request) -> dict[str, Any]:
    """Deliveries open (ordered, not yet delivered) and delivered by the shown minute."""
    replay = current_replay(request)
    minute = replay.minute()
    open_, done = [], []
    for lng, lat, placed, delivered, on_time in replay.doc["deliveries"]:
        if placed > minute:
            continue
        if delivered is not None and delivered <= minute:
            done.append({"lng": lng, "lat": lat, "on_time": on_time})
        else:
            open_.append({"lng": lng, "lat": lat, "placed_min": placed})
    return {"minute": round(minute, 2), "open": open_, "delivered": done}


@router.get("/roads")
async def roads() -> dict[str, Any]:
    """The road network (GeoJSON MultiLineString, lng/lat) the vans drive on."""
    from lantern.drill import road_geojson

    geojson: dict[str, Any] = await run_in_threadpool(road_geojson)
    return geojson
