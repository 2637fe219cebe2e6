"""The scenario model: budget, calendar, pools, voucher templates, drops, quotas, pacing.

Validated pydantic models (frozen, unknown fields rejected). Amounts are integer fen;
datetimes are timezone-aware; calendar days are dates in the campaign's time zone
(Asia/Shanghai). A scenario loads from Python (the built-ins), TOML or JSON.
"""

from __future__ import annotations

import json
import tomllib
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from lantern.campaign.errors import InvalidScenario

__all__ = [
    "CATEGORIES",
    "Calendar",
    "Category",
    "Drop",
    "Pacing",
    "PacingMode",
    "Pool",
    "Quota",
    "Referral",
    "Scenario",
    "VoucherTemplate",
    "scenario_from_file",
]

Category = Literal["gastronomy", "entertainment", "leisure"]
CATEGORIES: tuple[str, ...] = ("gastronomy", "entertainment", "leisure")
PacingMode = Literal["even", "holiday-weighted", "front-loaded", "operator"]
ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,63}$"
MAX_FEN = 10**15  # ten trillion yuan: far above any campaign, far below int64


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Calendar(_Model):
    """Campaign days (inclusive) and the public holiday, in ``timezone``."""

    timezone: str = "Asia/Shanghai"
    start: date
    end: date
    holiday_start: date
    holiday_end: date

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Calendar:
        if not self.start <= self.end:
            raise ValueError(f"calendar start {self.start} is after its end {self.end}")
        if not self.holiday_start <= self.holiday_end:
            raise ValueError("holiday_start is after holiday_end")
        if self.holiday_start < self.start or self.holiday_end > self.end:
            raise ValueError(
                f"the holiday {self.holiday_start}..{self.holiday_end} must lie within the "
                f"calendar {self.start}..{self.end}"
            )
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def days(self) -> list[date]:
        """Every campaign day, start to end inclusive."""
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def opens_at(self) -> datetime:
        return datetime.combine(self.start, time(0), tzinfo=self.zone)

    def closes_at(self) -> datetime:
        """Midnight after the last day (exclusive end)."""
        return datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=self.zone)

    def day_of(self, when: datetime) -> date:
        return when.astimezone(self.zone).date()

    def is_holiday(self, day: date) -> bool:
        return self.holiday_start <= day <= self.holiday_end


class Pool(_Model):
    """A budget pool: cash envelopes, or vouchers of one category."""

    id: str = Field(pattern=ID_PATTERN)
    kind: Literal["cash", "voucher"]
    category: Category | None = None
    budget_fen: int = Field(gt=0, le=MAX_FEN)

    @model_validator(mode="after")
    def _category_matches(self) -> Pool:
        if (self.kind == "voucher") != (self.category is not None):
            raise ValueError(f"pool {self.id!r}: a voucher pool needs a category, a cash pool none")
        return self


class VoucherTemplate(_Model):
    """A voucher kind: ``value_fen`` off, on orders of at least ``threshold_fen`` (0 = none)."""

    id: str = Field(pattern=ID_PATTERN)
    category: Category
    value_fen: int = Field(gt=0, le=MAX_FEN)
    threshold_fen: int = Field(default=0, ge=0, le=MAX_FEN)
    merchant_ids: tuple[str, ...] = ()
    valid_days: int | None = Field(default=None, gt=0, le=366)

    @model_validator(mode="after")
    def _threshold(self) -> VoucherTemplate:
        if self.threshold_fen and self.value_fen > self.threshold_fen:
            raise ValueError(f"template {self.id!r}: value above its threshold")
        return self


class Drop(_Model):
    """A scheduled wave of ``count`` envelopes worth ``total_fen`` in all, open in
    [starts_at, ends_at). Cash envelopes are split by double-mean under ``cap_fen``; voucher
    drops issue ``template`` vouchers, so their total is count x value. ``referral`` drops are
    claimed only through referrals."""

    id: str = Field(pattern=ID_PATTERN)
    pool: str
    starts_at: datetime
    ends_at: datetime
    count: int = Field(gt=0, le=10**10)
    total_fen: int = Field(gt=0, le=MAX_FEN)
    cap_fen: int | None = Field(default=None, gt=0, le=MAX_FEN)
    template: str | None = None
    per_user: int = Field(default=1, gt=0, le=1000)
    referral: bool = False

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("drop times need a time zone, e.g. 2026-02-16T00:00:00+08:00")
        return value

    @model_validator(mode="after")
    def _window(self) -> Drop:
        if self.ends_at <= self.starts_at:
            raise ValueError(f"drop {self.id!r}: ends_at is not after starts_at")
        if self.total_fen < self.count:
            raise ValueError(f"drop {self.id!r}: total below 1 fen per envelope")
        if self.cap_fen is not None and self.cap_fen * self.count < self.total_fen:
            raise ValueError(f"drop {self.id!r}: count x cap is below the total")
        return self


class Quota(_Model):
    """A per-user limit over ``drops`` (all drops when empty), per campaign or per day."""

    id: str = Field(pattern=ID_PATTERN)
    drops: tuple[str, ...] = ()
    period: Literal["campaign", "day"] = "campaign"
    max_count: int | None = Field(default=None, gt=0)
    max_amount_fen: int | None = Field(default=None, gt=0, le=MAX_FEN)


class Referral(_Model):
    """Referral cards: inviter and invitee each get one envelope of ``drop``."""

    drop: str
    max_referrals_per_inviter: int = Field(default=20, gt=0)


class Pacing(_Model):
    """How each pool's budget is planned over the days its drops are open.

    even: equal per day; holiday-weighted: holiday days weigh ``holiday_weight``;
    front-loaded: day i weighs ``front_decay``**i; operator: ``plan`` gives fen per day.
    With ``rollover`` the plan left unspent on a day is added to the next day's."""

    mode: PacingMode = "holiday-weighted"
    holiday_weight: float = Field(default=2.0, gt=0, le=100)
    front_decay: float = Field(default=0.85, gt=0, le=1)
    rollover: bool = True
    plan: dict[date, int] = Field(default_factory=dict)


class Scenario(_Model):
    """A whole campaign, ready to load into the engine."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1, max_length=200)
    budget_fen: int = Field(gt=0, le=MAX_FEN)
    calendar: Calendar
    pools: tuple[Pool, ...] = Field(min_length=1)
    templates: tuple[VoucherTemplate, ...] = ()
    drops: tuple[Drop, ...] = Field(min_length=1)
    quotas: tuple[Quota, ...] = ()
    referral: Referral | None = None
    pacing: dict[str, Pacing] = Field(default_factory=dict)
    seed: int = 2026
    audience_users: int = Field(default=1_000_000, gt=0)

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        from lantern.campaign._validate import check_scenario

        check_scenario(self)
        return self

    def pool(self, pool_id: str) -> Pool:
        return next(p for p in self.pools if p.id == pool_id)

    def template(self, template_id: str) -> VoucherTemplate:
        return next(t for t in self.templates if t.id == template_id)

    def drop(self, drop_id: str) -> Drop:
        return next(d for d in self.drops if d.id == drop_id)

    def pacing_for(self, pool_id: str) -> Pacing:
        return self.pacing.get(pool_id, self.pacing.get("*", Pacing()))

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)


def _validation_message(exc: ValidationError, source: str) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(x) for x in err.get("loc", ()))
        parts.append(f"{loc or '(scenario)'}: {err.get('msg', '')}")
    return f"{source}: invalid scenario: " + "; ".join(parts)


def scenario_from_data(data: dict[str, Any], source: str) -> Scenario:
    """Validate a scenario from plain data, naming the source and field on failure."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise InvalidScenario(_validation_message(exc, source)) from exc


def scenario_from_file(path: Path) -> Scenario:
    """Load a scenario from a ``.toml`` or ``.json`` file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidScenario(f"{path}: cannot read scenario file: {exc.strerror}") from exc
    try:
        data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidScenario(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InvalidScenario(f"{path}: not valid TOML: {exc}") from exc
    return scenario_from_data(data, str(path))
