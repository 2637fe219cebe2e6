"""A claiming worker process for multi-process and crash tests (and manual load tests).

``python -m lantern.campaign._stress URL CAMPAIGN DROP ACKS FIRST LAST [--prefix P]``
claims one envelope of DROP for users ``user-FIRST`` .. ``user-LAST-1`` (idempotency keys
``P-<user>``), up to 64 at a time, and appends ``key grant_id amount_fen`` to the file ACKS
for each claim *after* the engine acknowledged it (so after its durable commit). Refusals
are written as ``key - CODE``. The clock is fixed at 13 Feb 2026 21:00 in Shanghai.
"""

from __future__ import annotations

import argparse
import os
from concurrent.futures import Future
from datetime import datetime

from lantern.campaign._engine import CampaignEngine
from lantern.campaign._types import Grant
from lantern.campaign.errors import CampaignError
from lantern.clock import SHANGHAI, FakeClock

__all__ = ["STRESS_NOW", "claim_worker"]

STRESS_NOW = datetime(2026, 2, 13, 21, tzinfo=SHANGHAI)


def _ack(fd: int, key: str, future: Future[Grant]) -> None:
    try:
        grant = future.result()
    except CampaignError as exc:
        os.write(fd, f"{key} - {exc.code}\n".encode())
        return
    os.write(fd, f"{key} {grant.grant_id} {grant.amount_fen}\n".encode())


def claim_worker(
    url: str, campaign_id: str, drop_id: str, acks: str, users: range, prefix: str
) -> None:
    """Claim for every user in ``users``, acknowledging each answer in ``acks``."""
    fd = os.open(acks, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        with CampaignEngine(url, clock=FakeClock(STRESS_NOW)) as engine:
            window: list[tuple[str, Future[Grant]]] = []
            for i in users:
                key = f"{prefix}-user-{i}"
                window.append(
                    (
                        key,
                        engine.submit_claim(
                            campaign_id, f"user-{i}", drop_id=drop_id, idempotency_key=key
                        ),
                    )
                )
                if len(window) >= 64:
                    key0, future0 = window.pop(0)
                    _ack(fd, key0, future0)
            for key, future in window:
                _ack(fd, key, future)
    finally:
        os.close(fd)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("campaign")
    parser.add_argument("drop")
    parser.add_argument("acks")
    parser.add_argument("first", type=int)
    parser.add_argument("last", type=int)
    parser.add_argument("--prefix", default="w")
    args = parser.parse_args()
    claim_worker(
        args.url, args.campaign, args.drop, args.acks, range(args.first, args.last), args.prefix
    )


if __name__ == "__main__":
    main()
