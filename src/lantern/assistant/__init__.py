"""The assistant: a tool-calling agent over commerce and the campaign, in de/en/zh.

    from lantern.assistant import Agent, SessionStore, ToolBox, backend_from_settings
    agent = Agent(backend_from_settings(settings), ToolBox(commerce, engine, campaign_id))
    session = SessionStore().get("u1", None)
    print(agent.turn(session, "帮我点一杯奶茶").reply)

Backends: the embedded semantic router (offline default) and any OpenAI-compatible
endpoint (``LANTERN_LLM_BASE_URL`` / ``LANTERN_LLM_MODEL`` / ``LANTERN_LLM_API_KEY``).
Money moves only after the user's explicit "yes" to the exact offer and quantity shown.
"""

from lantern.assistant._agent import SYSTEM_PROMPT, Agent, AgentEvent, TurnResult
from lantern.assistant._agent_confirm import is_confirmation, is_refusal
from lantern.assistant._agent_tools import CampaignDesk, ToolBox
from lantern.assistant._backends import BackendName, backend_from_settings
from lantern.assistant._embed import Embedder, HashingEmbedder, UseEmbedder, default_embedder
from lantern.assistant._eval import CasesInvalid, EvalReport, evaluate, load_cases
from lantern.assistant._lang import LANGUAGES, Language, detect_language
from lantern.assistant._openai import OpenAIBackend, OpenAIConfig, ToolCallAssembler
from lantern.assistant._openai_errors import (
    LLMError,
    LLMNotConfigured,
    LLMRejected,
    LLMUnavailable,
)
from lantern.assistant._router import SemanticRouter
from lantern.assistant._session import PendingAction, Session, SessionStore
from lantern.assistant._tools import (
    LANDMARKS,
    NO_TOOL,
    TOOL_NAMES,
    TOOL_SPECS,
    ToolArgumentsInvalid,
    normalize_arguments,
    when_window,
)
from lantern.assistant._types import (
    BackendReply,
    ChatBackend,
    Message,
    StreamEvent,
    ToolCall,
    ToolSpec,
)

__all__ = [
    "LANDMARKS",
    "LANGUAGES",
    "NO_TOOL",
    "SYSTEM_PROMPT",
    "TOOL_NAMES",
    "TOOL_SPECS",
    "Agent",
    "AgentEvent",
    "BackendName",
    "BackendReply",
    "CampaignDesk",
    "CasesInvalid",
    "ChatBackend",
    "Embedder",
    "EvalReport",
    "HashingEmbedder",
    "LLMError",
    "LLMNotConfigured",
    "LLMRejected",
    "LLMUnavailable",
    "Language",
    "Message",
    "OpenAIBackend",
    "OpenAIConfig",
    "PendingAction",
    "SemanticRouter",
    "Session",
    "SessionStore",
    "StreamEvent",
    "ToolArgumentsInvalid",
    "ToolBox",
    "ToolCall",
    "ToolCallAssembler",
    "ToolSpec",
    "TurnResult",
    "UseEmbedder",
    "backend_from_settings",
    "default_embedder",
    "detect_language",
    "evaluate",
    "is_confirmation",
    "is_refusal",
    "load_cases",
    "normalize_arguments",
    "when_window",
]
