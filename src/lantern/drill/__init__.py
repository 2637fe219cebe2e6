"""The full-link festival drill: campaign, assistant, commerce, fleet and cluster at once.

A SimPy simulation of the Spring Festival campaign in Hangzhou over a chosen window: users
arrive along a daily curve, chat with the assistant, claim envelopes and order; deliveries go
to the robovan fleet; the assistant's inference load runs on the accelerator cluster beside
tenants' training. Each engine is the real one, called through its public interface. See
docs/drill.md.
"""

from lantern.drill._config import SCALES, DrillConfig, Scale, Window
from lantern.drill._model import DrillModel, Engines, Frame
from lantern.drill._ports import (
    AuditOutcome,
    CampaignSide,
    ClusterSnapshot,
    ComputeSide,
    Delivered,
    DeliveryRequest,
    FleetSide,
    FleetTimeline,
    OrderPlaced,
    SessionOutcome,
    SessionPlan,
    ShopSide,
)
from lantern.drill._replay import DEFAULT_SPEED, DrillReplay
from lantern.drill._roads import road_geojson, road_polylines
from lantern.drill._run import DrillResult, replay_document, run_drill
from lantern.drill._sweep import SWEEP_COLUMNS, SweepGrid, run_sweep, write_sweep
from lantern.drill.errors import (
    DrillError,
    DrillInputError,
    EngineUnavailable,
    ReplayFileError,
    ReplayNotReady,
)

__all__ = [
    "DEFAULT_SPEED",
    "SCALES",
    "SWEEP_COLUMNS",
    "AuditOutcome",
    "CampaignSide",
    "ClusterSnapshot",
    "ComputeSide",
    "Delivered",
    "DeliveryRequest",
    "DrillConfig",
    "DrillError",
    "DrillInputError",
    "DrillModel",
    "DrillReplay",
    "DrillResult",
    "EngineUnavailable",
    "Engines",
    "FleetSide",
    "FleetTimeline",
    "Frame",
    "OrderPlaced",
    "ReplayFileError",
    "ReplayNotReady",
    "Scale",
    "SessionOutcome",
    "SessionPlan",
    "ShopSide",
    "SweepGrid",
    "Window",
    "replay_document",
    "road_geojson",
    "road_polylines",
    "run_drill",
    "run_sweep",
    "write_sweep",
]
