"""The drill's HTTP routes (fleet, compute, drill state, dashboard, /metrics) on a replay."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from lantern.api.dashboard import install_drill_routes
from lantern.api.problems import install_problem_handlers
from lantern.drill import DrillReplay, DrillResult


@pytest.fixture
def app(fake_run: DrillResult) -> FastAPI:
    """A bare app with the problem handlers and the drill routes, replaying the fake run."""
    app = FastAPI()
    install_problem_handlers(app)
    install_drill_routes(app)
    assert fake_run.replay_path is not None
    app.state.drill_replay = DrillReplay.load(fake_run.replay_path, speed=60.0)
    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def test_fleet_routes(client: TestClient, fake_run: DrillResult) -> None:
    """Vans, positions, routes and deliveries describe the replayed fleet."""
    vans = client.get("/v1/fleet/vans").json()
    assert vans["count"] == fake_run.summary["vans"] == len(vans["vans"])
    assert {"id", "lng", "lat", "busy"} <= set(vans["vans"][0])
    positions = client.get("/v1/fleet/positions").json()["positions"]
    assert len(positions) == vans["count"]
    assert isinstance(client.get("/v1/fleet/routes").json()["routes"], dict)
    deliveries = client.get("/v1/fleet/deliveries").json()
    assert len(deliveries["open"]) + len(deliveries["delivered"]) <= fake_run.summary["orders"]


def test_roads_are_geojson_of_the_shipped_network(client: TestClient) -> None:
    """The road network comes as a GeoJSON MultiLineString over central Hangzhou."""
    geo = client.get("/v1/fleet/roads").json()
    assert geo["type"] == "FeatureCollection"
    lines = geo["features"][0]["geometry"]["coordinates"]
    assert len(lines) > 10_000
    west, south, east, north = geo["bbox"]
    assert 119.9 < west < east < 120.4
    assert 30.1 < south < north < 30.5


def test_compute_and_drill_routes(client: TestClient, fake_run: DrillResult) -> None:
    """Cluster state, jobs, the dashboard's state and meta are served."""
    cluster = client.get("/v1/compute/cluster").json()
    assert cluster["accelerators"] == fake_run.summary["accelerators"]
    jobs = client.get("/v1/compute/jobs").json()
    assert {"training_running", "training_queued", "inference_replicas"} <= set(jobs)
    state = client.get("/v1/drill/state").json()
    assert {"minute", "time", "vans", "totals", "spent_by_pool_fen", "cluster"} <= set(state)
    meta = client.get("/v1/drill/meta").json()
    assert meta["summary"]["audit_ok"] is True
    page = client.get("/")
    assert page.status_code == 200
    assert '<canvas id="map"' in page.text
    assert client.get("/static/dashboard.js").status_code == 200


def test_metrics_exposition(client: TestClient) -> None:
    """/metrics is Prometheus text with request counters and the drill's live figures."""
    client.get("/v1/fleet/vans")
    text = client.get("/metrics").text
    assert (
        'lantern_http_requests_total{method="GET",route="/v1/fleet/vans",status="200"} 1.0' in text
    )
    assert "lantern_drill_ready 1.0" in text
    assert "lantern_fleet_vans " in text
    assert 'lantern_campaign_spent_fen{pool="cash"}' in text


def test_no_replay_yet_is_a_503_problem(app: FastAPI, client: TestClient) -> None:
    """Before the server's drill is ready the routes answer 503 DRILL_REPLAY_NOT_READY."""
    app.state.drill_replay = None
    response = client.get("/v1/drill/state")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "DRILL_REPLAY_NOT_READY"
    assert "lantern_drill_ready 0.0" in client.get("/metrics").text


def test_a_failed_drill_is_reported(app: FastAPI, client: TestClient) -> None:
    """When the server's drill failed, the routes say so (500 DRILL_ERROR) instead of waiting."""
    app.state.drill_replay = None
    app.state.drill_error = "EngineUnavailable: boom"
    response = client.get("/v1/fleet/vans")
    assert response.status_code == 500
    assert response.json()["code"] == "DRILL_ERROR"
    assert "boom" in response.json()["detail"]
