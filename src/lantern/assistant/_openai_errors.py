"""Errors of the LLM backends.

LanternError
└── LLMError                 (LLM_ERROR, 502)
    ├── LLMUnavailable       (LLM_UNAVAILABLE, 503: 429/5xx/timeouts after every retry)
    ├── LLMRejected          (LLM_REJECTED, 502: the endpoint refused the request, 4xx)
    └── LLMNotConfigured     (LLM_NOT_CONFIGURED, 422: base URL or model missing)
"""

from __future__ import annotations

from lantern.errors import LanternError

__all__ = ["LLMError", "LLMNotConfigured", "LLMRejected", "LLMUnavailable"]


class LLMError(LanternError):
    """Base of the LLM backend errors."""

    code = "LLM_ERROR"
    http_status = 502


class LLMUnavailable(LLMError):
    """The endpoint kept answering 429/5xx or timing out; every retry was used."""

    code = "LLM_UNAVAILABLE"
    http_status = 503


class LLMRejected(LLMError):
    """The endpoint refused the request (a 4xx other than 429): key, model or payload."""

    code = "LLM_REJECTED"
    http_status = 502


class LLMNotConfigured(LLMError):
    """The OpenAI-compatible backend was asked for but its settings are missing."""

    code = "LLM_NOT_CONFIGURED"
    http_status = 422
