"""Join the real engines for one drill run, through their public interfaces.

- campaign: :class:`lantern.campaign.CampaignEngine` on a throw-away SQLite database, the
  scenario (and budget variant) scaled to the simulated users (``scale = users /
  audience_users`` of the base scenario), so the budget per user is the real campaign's
  (a rival's smaller budget is spread over the same users);
- commerce: :class:`lantern.commerce.Commerce` over its own throw-away order store, paying
  through :class:`lantern.commerce.CampaignPayments` and handing food to the fleet;
- assistant: :class:`lantern.assistant.Agent` with the embedded semantic router (or an
  OpenAI-compatible endpoint, ``DrillConfig.llm``) and the tool box over commerce and the
  campaign; identical utterances reuse their embedding;
- fleet: :class:`lantern.fleet.DeliveryService` on the shipped Hangzhou road network,
  inside the drill's SimPy environment;
- compute: :class:`lantern.compute.ClusterSimulator` (see :mod:`lantern.drill._compute_side`).

The throw-away databases live in a temporary directory (on ``/dev/shm`` when there is one:
the drill's state need not survive the run, the code paths are the service's own).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import simpy

from lantern.clock import FakeClock
from lantern.drill._campaign_side import CampaignAdapter
from lantern.drill._config import DrillConfig
from lantern.drill._fleet_side import FleetAdapter, FleetGateway
from lantern.drill._model import Engines
from lantern.drill._shop_side import ShopAdapter
from lantern.drill.errors import EngineUnavailable

__all__ = ["CachingEmbedder", "build_engines"]

DEPOTS_PER_VANS = 20  # one depot per 20 vans (at least one)


class CachingEmbedder:
    """An embedder that remembers the vectors of texts it has encoded (a pure function)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = f"cached-{inner.name}"
        self._memo: dict[str, Any] = {}

    def encode(self, texts: Sequence[str]) -> Any:
        import numpy as np

        missing = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if missing:
            for text, row in zip(missing, self.inner.encode(missing), strict=True):
                self._memo[text] = row
        return np.stack([self._memo[t] for t in texts])


def _scratch_dir() -> Path:
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() else None
    return Path(tempfile.mkdtemp(prefix="lantern-drill-", dir=base))


def _campaign(config: DrillConfig, clock: FakeClock, scratch: Path) -> tuple[Any, str]:
    from lantern.campaign import CampaignEngine, load_scenario

    audience = load_scenario(config.scenario).audience_users  # the app's users, any variant
    scenario = load_scenario(config.scenario, config.variant, scale=config.scale.users / audience)
    engine = CampaignEngine.open(f"sqlite:///{scratch / 'campaign.db'}", clock=clock)
    engine.load(scenario)
    return engine, scenario.id


def _fleet(config: DrillConfig, env: simpy.Environment) -> FleetAdapter:
    from lantern.fleet import DeliveryService, SimParams, default_depots, load_city, make_fleet

    network = load_city("hangzhou")
    depots = max(1, config.van_count // DEPOTS_PER_VANS)
    service = DeliveryService(
        env,
        network,
        make_fleet(config.van_count, depots),
        default_depots(network, depots),
        SimParams(seed=config.seed),
    )
    return FleetAdapter(env, service)


def _agent(
    config: DrillConfig, commerce: Any, campaign: Any, campaign_id: str, clock: FakeClock
) -> Any:
    from lantern.assistant import (
        Agent,
        OpenAIBackend,
        SemanticRouter,
        ToolBox,
        default_embedder,
    )

    backend: Any
    if config.llm is not None:
        backend = OpenAIBackend(config.llm)
    else:
        backend = SemanticRouter(embedder=CachingEmbedder(default_embedder()))
    return Agent(backend, ToolBox(commerce, campaign, campaign_id, clock=clock))


def build_engines(config: DrillConfig) -> Engines:
    """The engines joined for ``config``; call ``Engines.close`` when the run is over."""
    try:
        return _build(config)
    except ImportError as exc:
        raise EngineUnavailable(
            f"an engine the drill joins lacks the public interface it calls: {exc}; "
            "install Lantern in full (pip install -e .) and check docs/drill.md"
        ) from exc


def _build(config: DrillConfig) -> Engines:
    from lantern.commerce import CampaignPayments, Commerce, OrderStore, make_engine
    from lantern.drill._compute_side import ComputeAdapter

    env = simpy.Environment()
    clock = FakeClock(config.start)
    scratch = _scratch_dir()
    campaign, campaign_id = _campaign(config, clock, scratch)
    fleet = _fleet(config, env)
    gateway = FleetGateway(env, fleet)
    store_engine = make_engine(f"sqlite:///{scratch / 'commerce.db'}")
    commerce = Commerce(
        OrderStore(store_engine),
        CampaignPayments(campaign, campaign_id),
        delivery=gateway,
        clock=clock,
    )
    shop = ShopAdapter(
        _agent(config, commerce, campaign, campaign_id, clock), commerce, gateway, config.seed
    )
    days = tuple((config.start + timedelta(days=d)).date() for d in range(config.days))

    def close() -> None:
        campaign.close()
        store_engine.dispose()
        shutil.rmtree(scratch, ignore_errors=True)

    return Engines(
        env=env,
        clock=clock,
        campaign=CampaignAdapter(campaign, campaign_id, days),
        shop=shop,
        fleet=fleet,
        compute=ComputeAdapter(config),
        close=close,
    )
