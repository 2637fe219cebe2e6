"""Shared fixtures: paths to shipped and shared data, and the real test servers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The ../shared/data folder beside the project (CI has it; a user's clone may not)."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not beside this clone")
    return SHARED_DATA


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """URL of the real PostgreSQL server started by scripts/test."""
    url = os.environ.get("LANTERN_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("LANTERN_TEST_REQUIRE_SERVERS"):
            pytest.fail("LANTERN_TEST_POSTGRES_URL is not set although servers are required")
        pytest.skip("no PostgreSQL server: run the tests through scripts/test")
    return url


@pytest.fixture(scope="session")
def redis_url() -> str:
    """URL of the real Redis server started by scripts/test."""
    url = os.environ.get("LANTERN_TEST_REDIS_URL")
    if not url:
        if os.environ.get("LANTERN_TEST_REQUIRE_SERVERS"):
            pytest.fail("LANTERN_TEST_REDIS_URL is not set although servers are required")
        pytest.skip("no Redis server: run the tests through scripts/test")
    return url
