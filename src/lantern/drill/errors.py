"""Errors of the drill engine.

LanternError
└── DrillError                 (500: a drill could not run)
    ├── DrillInputError        (422: a bad scenario, scale, window or parameter; an
    │                           ``InvalidInput`` as well)
    ├── ReplayFileError        (422: a replay file that is missing or malformed)
    └── EngineUnavailable      (500: an engine the drill joins is missing its public API)
"""

from __future__ import annotations

from lantern.errors import InvalidInput, LanternError

__all__ = [
    "DrillError",
    "DrillInputError",
    "EngineUnavailable",
    "ReplayFileError",
    "ReplayNotReady",
]


class DrillError(LanternError):
    """Base class of the drill's errors."""

    code = "DRILL_ERROR"
    http_status = 500


class DrillInputError(DrillError, InvalidInput):
    """A drill parameter (scenario, variant, scale, window, sweep grid) is not valid."""

    code = "DRILL_INVALID_INPUT"
    http_status = 422


class ReplayFileError(DrillError, InvalidInput):
    """A replay file (written by ``lantern drill run``) is missing or malformed."""

    code = "DRILL_REPLAY_INVALID"
    http_status = 422


class EngineUnavailable(DrillError):
    """An engine the drill joins does not (yet) offer the public interface the drill calls."""

    code = "DRILL_ENGINE_UNAVAILABLE"
    http_status = 500


class ReplayNotReady(DrillError):
    """No drill replay is loaded yet (the server's drill is still running)."""

    code = "DRILL_REPLAY_NOT_READY"
    http_status = 503
