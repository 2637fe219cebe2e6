"""The same conversation on an OpenAI-compatible endpoint: the agent streams from a scripted
server through the real openai client; the order still waits for the user's "yes"."""

from __future__ import annotations

import json
from pathlib import Path

from lantern.assistant import OpenAIBackend, OpenAIConfig, Session
from lantern.commerce import SearchQuery
from tests.unit.assistant.scripted_openai import Reply, chunk, scripted_server
from tests.unit.assistant.stack import stack

SEARCH = {"query": "milk tea", "with_red_envelope": True}


def _streamed_call(call_id: str, name: str, arguments: str) -> Reply:
    half = len(arguments) // 2
    return Reply(
        chunks=[
            chunk(
                {
                    "role": "assistant",
                    "tool_calls": [
                        {
                            "index": 0,
                            "id": call_id,
                            "type": "function",
                            "function": {"name": name, "arguments": arguments[:half]},
                        }
                    ],
                }
            ),
            chunk({"tool_calls": [{"index": 0, "function": {"arguments": arguments[half:]}}]}),
            chunk({}, finish="tool_calls"),
        ]
    )


def _streamed_text(text: str) -> Reply:
    return Reply(
        chunks=[
            chunk({"content": text[:5]}),
            chunk({"content": text[5:]}),
            chunk({}, finish="stop"),
        ]
    )


def test_llm_conversation_claims_orders_and_tracks(tmp_path: Path) -> None:
    """claim -> search -> choose -> yes -> track over SSE from the scripted LLM; the LLM's
    place_order is only a proposal until "yes"; the order is paid by the red envelope and
    the model sees every tool result as a tool message."""
    with scripted_server() as server, stack(tmp_path) as st:
        offer_id = (
            st.commerce.search(SearchQuery(text="milk tea", with_red_envelope=True, limit=1))
            .pop()
            .offer.offer_id
        )
        server.script(
            _streamed_call("c1", "claim_red_envelope", "{}"),
            _streamed_text("Claimed it!"),
            _streamed_call(
                "c2", "search_offers", '{"query": "milk tea", "with_red_envelope": true}'
            ),
            _streamed_text("Here are milk teas."),
            _streamed_call("c3", "place_order", json.dumps({"offer_id": offer_id})),
            _streamed_call("c4", "track_order", '{"order_id": "OD-00000001"}'),
            _streamed_text("It is on its way."),
        )
        config = OpenAIConfig(base_url=server.base_url, model="qwen-plus", max_retries=0)
        backend = OpenAIBackend(config)
        agent, session = st.agent(backend), Session("erin")
        replies = []
        for text in (
            "claim my envelope",
            "milk tea with red envelope",
            "the first",
            "yes",
            "where is it?",
        ):
            events = list(agent.events(session, text))
            replies.append(events[-1].data["reply"])
        (order,) = st.commerce.orders("erin")
        sent = server.requests[-1]["messages"]
    assert replies[0] == "Claimed it!"
    assert "yes" in replies[2]  # the agent's own confirmation question
    assert order.order_id in replies[3]
    assert replies[4] == "It is on its way."
    assert order.offer_id == offer_id
    assert order.voucher_fen == order.total_fen
    assert sent[0]["role"] == "system"
    assert any(m["role"] == "tool" and "OD-00000001" in m["content"] for m in sent)
    assert len(server.requests) == 7  # the "yes" turn never asked the model
