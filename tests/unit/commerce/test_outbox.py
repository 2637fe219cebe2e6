"""The database outbox that hands paid food orders to the fleet."""

from __future__ import annotations

from pathlib import Path

from lantern.commerce import DeliveryOutbox, DeliveryRequest, make_engine


def _request(order_id: str) -> DeliveryRequest:
    return DeliveryRequest(order_id, "MC-0001", 120.16, 30.27, 42, None, None, 2, 1.0)


def test_outbox_is_idempotent_and_taken_once(tmp_path: Path) -> None:
    """A retried hand-off queues one request with one delivery id; the fleet takes it once
    and it leaves the pending list."""
    engine = make_engine(f"sqlite:///{tmp_path / 'o.db'}")
    try:
        outbox = DeliveryOutbox(engine)
        first = outbox.hand_off(_request("OD-00000001"))
        assert outbox.hand_off(_request("OD-00000001")) == first == "DL-00000001"
        outbox.hand_off(_request("OD-00000002"))
        assert [r.order_id for r in outbox.pending()] == ["OD-00000001", "OD-00000002"]
        assert outbox.pending()[0] == _request("OD-00000001")
        assert outbox.take("OD-00000001") is True
        assert outbox.take("OD-00000001") is False
        assert [r.order_id for r in outbox.pending()] == ["OD-00000002"]
    finally:
        engine.dispose()
