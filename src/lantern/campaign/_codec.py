"""JSON round trip of results, so that an idempotent retry returns an identical object."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import datetime
from typing import Any

from lantern.campaign._types import CashPayment, ExpiryResult, Refund, Reservation

__all__ = ["decode", "encode"]

_TYPES: dict[str, Any] = {
    "reserve": Reservation,
    "capture": Reservation,
    "release": Reservation,
    "spend_cash": CashPayment,
    "refund": Refund,
    "expire": ExpiryResult,
}
_FIELDS: dict[type, list[str]] = {}
_TIMES = {"created_at", "paid_at", "refunded_at", "at"}


def _default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__}")


def encode(result: object) -> str:
    """JSON of a result dataclass (``null`` for None)."""
    if result is None:
        return "null"
    names = _FIELDS.get(type(result))
    if names is None:
        names = _FIELDS[type(result)] = [f.name for f in fields(result)]  # type: ignore[arg-type]  # results are dataclass instances; fields() is typed for the union with types
    data = {name: getattr(result, name) for name in names}
    return json.dumps(data, default=_default, separators=(",", ":"))


def decode(op: str, text: str) -> Any:
    """The result object of ``op`` back from :func:`encode`."""
    data = json.loads(text)
    if data is None:
        return None
    fields = {k: datetime.fromisoformat(v) if k in _TIMES else v for k, v in data.items()}
    return _TYPES[op](**fields)
