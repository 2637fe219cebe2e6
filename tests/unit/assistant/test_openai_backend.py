"""The OpenAI-compatible backend against a scripted server, through the real openai client."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from lantern.assistant import (
    TOOL_SPECS,
    LLMRejected,
    LLMUnavailable,
    Message,
    OpenAIBackend,
    OpenAIConfig,
    ToolCall,
)
from tests.unit.assistant.scripted_openai import (
    Reply,
    ScriptedServer,
    chunk,
    completion,
    error,
    scripted_server,
)

USER = [Message(role="system", content="be brief"), Message(role="user", content="奶茶")]


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with scripted_server() as running:
        yield running


def _backend(server: ScriptedServer, **overrides: float) -> tuple[OpenAIBackend, list[float]]:
    sleeps: list[float] = []
    config = OpenAIConfig(
        base_url=server.base_url,
        model="scripted",
        api_key="sk-test",
        timeout_s=overrides.pop("timeout_s", 5.0),
        max_retries=int(overrides.pop("max_retries", 3)),
    )
    return OpenAIBackend(config, sleep=sleeps.append), sleeps


def test_plain_tool_call_and_request_shape(server: ScriptedServer) -> None:
    """A non-streamed tool call comes back parsed; the request carries the model, the key,
    the messages and every tool of the contract."""
    server.script(completion(calls=[("call_a", "search_offers", '{"query": "milk tea"}')]))
    backend, _ = _backend(server)
    reply = backend.complete(USER, TOOL_SPECS)
    assert reply.tool_calls == (ToolCall("call_a", "search_offers", {"query": "milk tea"}),)
    body = server.requests[0]
    assert body["model"] == "scripted"
    assert body["stream"] is False
    assert [t["function"]["name"] for t in body["tools"]] == [s.name for s in TOOL_SPECS]
    assert body["messages"][1] == {"role": "user", "content": "奶茶"}
    assert server.headers[0]["authorization"] == "Bearer sk-test"


def test_parallel_calls_and_history_round_trip(server: ScriptedServer) -> None:
    """Two calls in one reply both arrive; earlier tool calls and results are sent back in
    the wire format (arguments as JSON strings, tool_call_id on results)."""
    server.script(
        completion(calls=[("c1", "claim_red_envelope", "{}"), ("c2", "list_my_envelopes", "")])
    )
    history = [
        *USER,
        Message(role="assistant", tool_calls=(ToolCall("c0", "campaign_status", {}),)),
        Message(role="tool", content='{"state": "active"}', tool_call_id="c0"),
    ]
    backend, _ = _backend(server)
    reply = backend.complete(history, TOOL_SPECS)
    assert [c.name for c in reply.tool_calls] == ["claim_red_envelope", "list_my_envelopes"]
    assert all(c.arguments == {} for c in reply.tool_calls)
    sent = server.requests[0]["messages"]
    assert sent[2]["tool_calls"][0]["function"] == {"name": "campaign_status", "arguments": "{}"}
    assert sent[3] == {"role": "tool", "tool_call_id": "c0", "content": '{"state": "active"}'}


def test_streamed_calls_with_split_arguments(server: ScriptedServer) -> None:
    """Streamed text deltas pass through; two parallel calls whose arguments arrive in
    interleaved fragments are assembled whole, in index order."""
    server.script(
        Reply(
            chunks=[
                chunk({"role": "assistant", "content": "Sure, "}),
                chunk({"content": "searching."}),
                chunk(
                    {
                        "tool_calls": [
                            {
                                "index": 0,
                                "id": "s1",
                                "type": "function",
                                "function": {"name": "search_offers", "arguments": ""},
                            }
                        ]
                    }
                ),
                chunk({"tool_calls": [{"index": 0, "function": {"arguments": '{"query": "mi'}}]}),
                chunk(
                    {
                        "tool_calls": [
                            {
                                "index": 1,
                                "id": "s2",
                                "type": "function",
                                "function": {"name": "place_order", "arguments": '{"offer_'},
                            }
                        ]
                    }
                ),
                chunk(
                    {"tool_calls": [{"index": 0, "function": {"arguments": 'lk tea", "max_pri'}}]}
                ),
                chunk(
                    {"tool_calls": [{"index": 1, "function": {"arguments": 'id": "OF-00001"}'}}]}
                ),
                chunk({"tool_calls": [{"index": 0, "function": {"arguments": 'ce_yuan": 20}'}}]}),
                chunk({}, finish="tool_calls"),
            ]
        )
    )
    backend, _ = _backend(server)
    events = list(backend.stream(USER, TOOL_SPECS))
    assert "".join(e.text for e in events if e.kind == "text") == "Sure, searching."
    calls = [e.tool_call for e in events if e.kind == "tool_call"]
    assert calls == [
        ToolCall("s1", "search_offers", {"query": "milk tea", "max_price_yuan": 20}),
        ToolCall("s2", "place_order", {"offer_id": "OF-00001"}),
    ]
    assert events[-1].kind == "done"
    assert server.requests[0]["stream"] is True


def test_ollama_style_whole_calls_in_single_chunks(server: ScriptedServer) -> None:
    """Servers that send each complete call in one chunk, reusing index 0, give two calls."""
    server.script(
        Reply(
            chunks=[
                chunk(
                    {
                        "role": "assistant",
                        "content": "",
                        "tool_calls": [
                            {
                                "index": 0,
                                "id": "o1",
                                "type": "function",
                                "function": {
                                    "name": "track_order",
                                    "arguments": '{"order_id": "OD-00000001"}',
                                },
                            }
                        ],
                    }
                ),
                chunk(
                    {
                        "tool_calls": [
                            {
                                "index": 0,
                                "id": "o2",
                                "type": "function",
                                "function": {"name": "campaign_status", "arguments": "{}"},
                            }
                        ]
                    }
                ),
                chunk({}, finish="stop"),
            ]
        )
    )
    backend, _ = _backend(server)
    calls = [e.tool_call for e in backend.stream(USER, TOOL_SPECS) if e.kind == "tool_call"]
    assert calls == [
        ToolCall("o1", "track_order", {"order_id": "OD-00000001"}),
        ToolCall("o2", "campaign_status", {}),
    ]


def test_429_and_500_are_retried_with_backoff(server: ScriptedServer) -> None:
    """A 429 (with Retry-After) and a 500 are retried; the third answer is used; the waits
    follow Retry-After, then exponential backoff."""
    server.script(
        error(429, headers={"retry-after": "0.25"}), error(500), completion(content="hello")
    )
    backend, sleeps = _backend(server)
    assert backend.complete(USER, TOOL_SPECS).content == "hello"
    assert len(server.requests) == 3
    assert sleeps[0] == 0.25
    assert 0.5 <= sleeps[1] <= 1.0  # 0.5 s * 2**1, halved at most by jitter
    assert backend.retries == 2


def test_streams_are_retried_before_the_first_byte(server: ScriptedServer) -> None:
    """A 503 before a stream starts is retried; the stream then runs normally."""
    server.script(error(503), Reply(chunks=[chunk({"content": "ok"}), chunk({}, "stop")]))
    backend, _ = _backend(server)
    assert [e.text for e in backend.stream(USER, TOOL_SPECS) if e.kind == "text"] == ["ok"]


def test_persistent_errors_give_up_with_a_clear_error(server: ScriptedServer) -> None:
    """After max_retries the backend raises LLMUnavailable naming the endpoint."""
    server.script(*(error(502) for _ in range(3)))
    backend, sleeps = _backend(server, max_retries=2)
    with pytest.raises(LLMUnavailable, match="failed 3 times"):
        backend.complete(USER, TOOL_SPECS)
    assert len(sleeps) == 2


def test_client_errors_are_not_retried(server: ScriptedServer) -> None:
    """A 401 is the caller's fault: LLMRejected at once, no retry."""
    server.script(error(401, "bad key"))
    backend, sleeps = _backend(server)
    with pytest.raises(LLMRejected, match="401"):
        backend.complete(USER, TOOL_SPECS)
    assert sleeps == []
    assert len(server.requests) == 1


def test_timeouts_are_retried_then_reported(server: ScriptedServer) -> None:
    """A server slower than the timeout is retried, then reported as unavailable."""
    server.script(Reply(body={}, delay_s=1.0), Reply(body={}, delay_s=1.0))
    backend, _ = _backend(server, timeout_s=0.2, max_retries=1)
    with pytest.raises(LLMUnavailable, match="Timeout"):
        backend.complete(USER, TOOL_SPECS)


def test_broken_argument_json_is_refused_not_guessed(server: ScriptedServer) -> None:
    """Unparseable arguments become an argument the contract refuses, so nothing runs."""
    server.script(completion(calls=[("b1", "place_order", '{"offer_id": "OF-0')]))
    backend, _ = _backend(server)
    (call,) = backend.complete(USER, TOOL_SPECS).tool_calls
    assert set(call.arguments) == {"__invalid_json__"}
    assert json.dumps(call.arguments)
