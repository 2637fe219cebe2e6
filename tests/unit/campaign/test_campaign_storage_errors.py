"""Opening the engine on a database it cannot use fails with a clear, typed error."""

from __future__ import annotations

from pathlib import Path

import pytest

from lantern.campaign import CampaignEngine
from lantern.campaign.errors import IdempotencyConflict, StorageUnavailable


def test_unusable_sqlite_path_is_storage_unavailable(tmp_path: Path) -> None:
    """A SQLite file under a path that is a regular file names the URL and what to check."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    url = f"sqlite:///{blocker / 'x.db'}"
    with pytest.raises(StorageUnavailable, match="LANTERN_DATABASE_URL") as info:
        CampaignEngine.open(url)
    assert info.value.http_status == 503
    assert "a-file" in info.value.message


def test_unreachable_postgresql_hides_the_password() -> None:
    """An unreachable PostgreSQL server is reported without leaking the password."""
    url = "postgresql+psycopg://lantern:s3cret@127.0.0.1:1/none?connect_timeout=2"
    with pytest.raises(StorageUnavailable) as info:
        CampaignEngine.open(url)
    assert "s3cret" not in info.value.message
    assert "127.0.0.1:1" in info.value.message


def test_idempotency_conflict_is_http_409() -> None:
    """The engine declares the same status the API answers for a reused key."""
    assert IdempotencyConflict.http_status == 409
