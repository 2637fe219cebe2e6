"""Compute routes: the accelerator cluster of the drill being replayed (state and jobs)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from lantern.api.fleet import current_replay

__all__ = ["router"]

router = APIRouter(prefix="/v1/compute", tags=["compute"])


@router.get("/cluster")
def cluster(request: Request) -> dict[str, Any]:
    """Cluster size and mix, and its allocation, at the shown minute of the drill."""
    replay = current_replay(request)
    minute = replay.minute()
    summary = replay.doc["summary"]
    return {
        "minute": round(minute, 2),
        "accelerators": summary["accelerators"],
        "h200_share": summary.get("h200_share"),
        "by_model": replay.doc.get("cluster_by_model", {}),
        "state": replay.cluster(minute),
    }


@router.get("/jobs")
def jobs(request: Request) -> dict[str, Any]:
    """Training jobs running and queued, and the assistant's inference replicas."""
    replay = current_replay(request)
    state = replay.cluster(replay.minute()) or {}
    return {
        "training_running": state.get("jobs_running", 0),
        "training_queued": state.get("jobs_queued", 0),
        "inference_replicas": state.get("replicas", 0),
    }
