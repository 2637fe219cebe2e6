"""The whole assistant stack for tests: a real campaign engine and commerce on SQLite, a
fake clock inside the campaign's first wave, a recording delivery gateway."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from lantern.assistant import (
    Agent,
    BackendReply,
    ChatBackend,
    Message,
    StreamEvent,
    ToolBox,
    ToolCall,
    ToolSpec,
)
from lantern.campaign import CampaignEngine, load_scenario
from lantern.clock import SHANGHAI, FakeClock
from lantern.commerce import (
    CampaignPayments,
    Catalogue,
    Commerce,
    FakeDeliveryGateway,
    OrderStore,
    make_engine,
)

CAMPAIGN = "spring-festival-2026"
LAUNCH_LUNCH = datetime(2026, 2, 6, 12, 0, tzinfo=SHANGHAI)


@dataclass
class Stack:
    engine: CampaignEngine
    commerce: Commerce
    tools: ToolBox
    gateway: FakeDeliveryGateway
    clock: FakeClock

    def agent(self, backend: ChatBackend) -> Agent:
        return Agent(backend, self.tools)

    def cash_fen(self, user: str) -> int:
        return self.engine.wallet(CAMPAIGN, user).cash_fen

    def voucher_states(self, user: str) -> list[str]:
        return [v.state for v in self.engine.wallet(CAMPAIGN, user).vouchers]

    def audit_passes(self) -> bool:
        return self.engine.audit(CAMPAIGN).passed


@contextmanager
def stack(tmp_path: Path, catalogue: Catalogue | None = None) -> Iterator[Stack]:
    clock = FakeClock(LAUNCH_LUNCH)
    url = f"sqlite:///{tmp_path / 'lantern.db'}"
    engine = CampaignEngine.open(url, clock=clock)
    try:
        engine.load(load_scenario(CAMPAIGN, scale=1e-4))
        gateway = FakeDeliveryGateway()
        commerce = Commerce(
            OrderStore(make_engine(url)),
            CampaignPayments(engine, CAMPAIGN),
            catalogue=catalogue,
            delivery=gateway,
            clock=clock,
        )
        yield Stack(engine, commerce, ToolBox(commerce, engine, CAMPAIGN), gateway, clock)
    finally:
        engine.close()


@dataclass
class ScriptedBackend:
    """A backend that answers from a script: each entry is a reply, or a function of the
    messages so far (to act like a model that reads tool results)."""

    script: list[BackendReply | object] = field(default_factory=list)
    seen: list[list[Message]] = field(default_factory=list)
    name: str = "scripted"

    def complete(self, messages: Sequence[Message], tools: Sequence[ToolSpec]) -> BackendReply:
        self.seen.append(list(messages))
        step = self.script.pop(0) if self.script else BackendReply(content="(end of script)")
        if callable(step):
            step = step(messages)
        assert isinstance(step, BackendReply)
        return step

    def stream(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec]
    ) -> Iterator[StreamEvent]:
        reply = self.complete(messages, tools)
        if reply.content:
            yield StreamEvent(kind="text", text=reply.content)
        for call in reply.tool_calls:
            yield StreamEvent(kind="tool_call", tool_call=call)
        yield StreamEvent(kind="done")


def call(name: str, **arguments: object) -> BackendReply:
    return BackendReply(tool_calls=(ToolCall(id=f"c_{name}", name=name, arguments=arguments),))
