"""Pick the chat backend from the settings: the embedded router, or an OpenAI endpoint.

``LANTERN_LLM_BASE_URL`` and ``LANTERN_LLM_MODEL`` (and ``LANTERN_LLM_API_KEY`` when the
endpoint needs one) select the OpenAI-compatible backend; without them the embedded
semantic router runs, offline. ``name`` forces one ("embedded" or "openai").
"""

from __future__ import annotations

from typing import Literal

from lantern.assistant._openai_errors import LLMNotConfigured
from lantern.assistant._types import ChatBackend
from lantern.settings import Settings

__all__ = ["BackendName", "backend_from_settings"]

BackendName = Literal["embedded", "openai"]


def backend_from_settings(settings: Settings, name: BackendName | None = None) -> ChatBackend:
    """The backend the settings ask for (``name`` overrides the choice)."""
    configured = bool(settings.llm_base_url and settings.llm_model)
    choice = name or ("openai" if configured else "embedded")
    if choice == "openai":
        if not configured:
            raise LLMNotConfigured(
                "the openai backend needs LANTERN_LLM_BASE_URL and LANTERN_LLM_MODEL "
                "(and LANTERN_LLM_API_KEY if the endpoint wants a key)"
            )
        from lantern.assistant._openai import OpenAIBackend, OpenAIConfig

        assert settings.llm_base_url is not None
        assert settings.llm_model is not None
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
        return OpenAIBackend(
            OpenAIConfig(
                base_url=settings.llm_base_url,
                model=settings.llm_model,
                api_key=key,
                timeout_s=settings.llm_timeout_s,
            )
        )
    from lantern.assistant._router import SemanticRouter

    return SemanticRouter()
