"""A loaded campaign's static configuration, derived once per config version."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from lantern.campaign._envelopes import bucket_seed
from lantern.campaign._pacing import cumulative, share
from lantern.campaign._scenario import Drop, Quota, Scenario, VoucherTemplate

__all__ = ["EPOCH", "CampaignConfig", "from_us", "to_us"]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


def to_us(when: datetime) -> int:
    """Microseconds since the epoch of an aware datetime (exact)."""
    return (when - EPOCH) // _US


def from_us(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=us)


@dataclass
class CampaignConfig:
    """Everything a batch needs to decide a request without reading the scenario again."""

    scenario: Scenario
    version: int
    buckets: int
    plan: dict[str, dict[str, int]]  # pool -> ISO day -> fen
    campaign_id: str = field(init=False)
    zone: ZoneInfo = field(init=False)
    opens_us: int = field(init=False)
    closes_us: int = field(init=False)
    drops: dict[str, Drop] = field(init=False)
    windows: dict[str, tuple[int, int]] = field(init=False)
    quotas_of: dict[str, list[Quota]] = field(init=False)
    quota_drops: dict[str, frozenset[str]] = field(init=False)
    templates: dict[str, VoucherTemplate] = field(init=False)
    pool_kind: dict[str, str] = field(init=False)
    cum_plan: dict[str, dict[str, int]] = field(init=False)
    rollover: dict[str, bool] = field(init=False)
    _seeds: dict[tuple[str, int], int] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        sc = self.scenario
        self.campaign_id = sc.id
        self.zone = sc.calendar.zone
        self.opens_us = to_us(sc.calendar.opens_at())
        self.closes_us = to_us(sc.calendar.closes_at())
        self.drops = {d.id: d for d in sc.drops}
        self.windows = {d.id: (to_us(d.starts_at), to_us(d.ends_at)) for d in sc.drops}
        self.quotas_of = {
            d.id: [q for q in sc.quotas if not q.drops or d.id in q.drops] for d in sc.drops
        }
        self.quota_drops = {q.id: frozenset(q.drops) for q in sc.quotas}
        self.templates = {t.id: t for t in sc.templates}
        self.pool_kind = {p.id: p.kind for p in sc.pools}
        self.cum_plan = {pool: cumulative(days) for pool, days in self.plan.items()}
        self.rollover = {p.id: sc.pacing_for(p.id).rollover for p in sc.pools}

    def day(self, now: datetime) -> str:
        return now.astimezone(self.zone).date().isoformat()

    def seed(self, drop_id: str, bucket: int) -> int:
        key = (drop_id, bucket)
        seed = self._seeds.get(key)
        if seed is None:
            seed = self._seeds[key] = bucket_seed(self.scenario.seed, drop_id, bucket)
        return seed

    def open_drops(self, now_us: int) -> list[Drop]:
        """Claimable (non-referral) drops open at ``now_us``, the newest first (the drop being
        announced now), then by id."""
        found = [
            d
            for d in self.scenario.drops
            if not d.referral and self.windows[d.id][0] <= now_us < self.windows[d.id][1]
        ]
        return sorted(found, key=lambda d: (-self.windows[d.id][0], d.id))

    def pacing_allowance(
        self, pool: str, day: str, spent_fen: int, day_spent_fen: int, bucket: int
    ) -> int:
        """How much more bucket ``bucket`` of ``pool`` may grant on ``day``."""
        if self.rollover[pool]:
            allowed = share(self.cum_plan[pool].get(day, 0), bucket, self.buckets)
            return allowed - spent_fen
        allowed_day = share(self.plan[pool].get(day, 0), bucket, self.buckets)
        allowed_total = share(self.cum_plan[pool].get(day, 0), bucket, self.buckets)
        return min(allowed_day - day_spent_fen, allowed_total - spent_fen)
