"""Settings are read from LANTERN_* variables and refuse unsafe values."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from lantern.settings import Settings


def test_default_database_is_sqlite_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """With nothing set, the database is a SQLite file in the user's data directory."""
    monkeypatch.delenv("LANTERN_DATABASE_URL", raising=False)
    assert Settings().database_url.startswith("sqlite:///")


def test_reads_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """LANTERN_DATABASE_URL overrides the default."""
    monkeypatch.setenv("LANTERN_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert Settings().database_url == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize(
    ("name", "value"),
    [("LANTERN_DATABASE_URL", "mysql://x"), ("LANTERN_OPERATOR_KEY", "short")],
)
def test_refuses_unsafe_values(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    """An unknown backend or a weak operator key is refused at start-up."""
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()
