"""DirectRoute: documented by FastAPI, driven by the endpoint itself."""

from __future__ import annotations

import pytest
from fastapi import FastAPI, Request, Response
from fastapi.testclient import TestClient

from lantern.api._routing import DirectRoute
from lantern.api.problems import install_problem_handlers
from lantern.errors import InvalidInput


async def _echo(request: Request) -> Response:
    """Answer the path parameter and body, or fail the way a real handler does."""
    name = request.path_params["name"]
    if name == "bad":
        raise InvalidInput("the name 'bad' is not allowed; pick another")
    return Response(name.encode() + b":" + await request.body(), status_code=201)


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.router.add_api_route(
        "/echo/{name}",
        _echo,
        methods=["POST"],
        status_code=201,
        summary="Echo",
        openapi_extra={"parameters": [{"name": "name", "in": "path", "required": True}]},
        route_class_override=DirectRoute,
    )
    return app


def test_the_endpoint_answers_itself_and_errors_become_problems() -> None:
    """The endpoint's own Response goes out unchanged (status, body), and an engine-style
    error raised inside it is turned into problem+json by the app's handlers, as for any
    declared route."""
    with TestClient(_app()) as client:
        ok = client.post("/echo/tea", content=b"milk")
        assert (ok.status_code, ok.content) == (201, b"tea:milk")
        bad = client.post("/echo/bad", content=b"")
        assert (bad.status_code, bad.json()["code"]) == (422, "INVALID_INPUT")
        assert bad.headers["content-type"].startswith("application/problem+json")
        assert "pick another" in bad.json()["detail"]
        wrong_method = client.get("/echo/tea")
        assert wrong_method.status_code == 405


def test_openapi_documents_the_route() -> None:
    """FastAPI still lists the route in /openapi.json with its summary and status code."""
    with TestClient(_app()) as client:
        spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/echo/{name}"]["post"]
    assert operation["summary"] == "Echo"
    assert "201" in operation["responses"]


def test_endpoints_that_need_fastapi_are_refused() -> None:
    """An endpoint that declares parameters for FastAPI to resolve, or a sync one, is refused
    at registration with a message naming it, rather than silently never getting them."""
    app = FastAPI()

    async def two(request: Request, name: str) -> Response:
        return Response(name)

    def sync(request: Request) -> Response:
        return Response()

    with pytest.raises(TypeError, match="exactly one argument"):
        app.router.add_api_route("/a", two, route_class_override=DirectRoute)
    with pytest.raises(TypeError, match="must be async"):
        app.router.add_api_route("/b", sync, route_class_override=DirectRoute)


def test_the_claim_route_is_a_direct_route_on_the_app() -> None:
    """create_app registers the claim as a DirectRoute on the app's own router (the fast
    path), exactly once."""
    from pydantic import SecretStr

    from lantern.api.app import create_app
    from lantern.api.campaign import CLAIM_PATH
    from lantern.settings import Settings

    settings = Settings(token_secret=SecretStr("t" * 32), operator_key=SecretStr("o" * 32))
    app = create_app(settings)
    claims = [r for r in app.router.routes if getattr(r, "path", None) == CLAIM_PATH]
    assert len(claims) == 1
    assert isinstance(claims[0], DirectRoute)
