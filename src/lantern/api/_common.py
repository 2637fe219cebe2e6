"""Helpers shared by the campaign routers: the engine, idempotency keys, JSON bodies."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import Future
from typing import Annotated, Any, TypeVar

import orjson
from fastapi import Depends, Header, Request, Response
from starlette.concurrency import run_in_threadpool

from lantern.api._bridge import await_future
from lantern.api._schemas import IDEMPOTENCY_KEY_PATTERN
from lantern.api.errors import IdempotencyKeyMissing
from lantern.campaign import CampaignEngine
from lantern.errors import InvalidInput

__all__ = [
    "EngineDep",
    "IdempotencyKeyHeader",
    "blocking",
    "engine_of",
    "json_response",
    "operator_key",
    "settle",
    "user_key",
]

T = TypeVar("T")
_KEY = re.compile(IDEMPOTENCY_KEY_PATTERN)

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="Required on mutations: a client-chosen unique key (e.g. a UUID); a "
        "retry with the same key and body returns the identical result.",
        examples=["3f1c6a52-5b8e-4d5e-9d55-0c1d2a3b4c5d"],
    ),
]


def engine_of(request: Request) -> CampaignEngine:
    """The campaign engine the app's lifespan opened."""
    engine: CampaignEngine = request.app.state.campaign_engine
    return engine


EngineDep = Annotated[CampaignEngine, Depends(engine_of)]


def _checked(key: str | None) -> str:
    if key is None:
        raise IdempotencyKeyMissing(
            "this request changes state: send an Idempotency-Key header (e.g. a UUID) "
            "and reuse it when you retry"
        )
    if not _KEY.match(key):
        raise InvalidInput(
            "the Idempotency-Key header must be 1-60 characters of letters, digits and _.:-"
        )
    return key


def user_key(user_id: str, key: str | None) -> str:
    """The engine key for a user's request: scoped to the user, so users never collide."""
    return f"u:{user_id}:{_checked(key)}"


def operator_key(key: str | None) -> str:
    """The engine key for an operator's request."""
    return f"op:{_checked(key)}"


def json_response(value: Any, status_code: int = 200) -> Response:
    """A JSON response of an engine result (frozen dataclasses, datetimes as RFC 3339)."""
    return Response(orjson.dumps(value), status_code=status_code, media_type="application/json")


async def settle(future: Future[T]) -> T:
    """Await an engine future (answered by its committer after the durable commit)."""
    return await await_future(future)


async def blocking(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a blocking engine read or operator call in the threadpool, off the event loop."""
    return await run_in_threadpool(function, *args, **kwargs)
