"""The root of every engine's error hierarchy.

Each engine defines its own errors as subclasses of :class:`LanternError`, drawn in the
docstring of its ``errors`` module. An error carries a stable machine-readable ``code``
(``BUDGET_EXHAUSTED``) and the HTTP status the API maps it to; the CLI prints its message
and exits non-zero. A broken invariant (an unbalanced ledger) is never one of these: it is
an ``assert`` that stops the program.

    LanternError
    ├── InvalidInput          (400/422: bad input from a user or a file)
    ├── NotFound              (404)
    ├── Conflict              (409)
    └── <engine errors>       (campaign, fleet, compute, commerce, assistant, drill)
"""

from __future__ import annotations

__all__ = ["Conflict", "InvalidInput", "LanternError", "NotFound"]


class LanternError(Exception):
    """Base class of every error Lantern raises on purpose."""

    code: str = "LANTERN_ERROR"
    http_status: int = 500

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class InvalidInput(LanternError):
    """Input (a request, a file line, a parameter) is malformed or out of range."""

    code = "INVALID_INPUT"
    http_status = 422


class NotFound(LanternError):
    """A named thing (campaign, order, instance file) does not exist."""

    code = "NOT_FOUND"
    http_status = 404


class Conflict(LanternError):
    """The request conflicts with the current state."""

    code = "CONFLICT"
    http_status = 409
