"""Settings, read once at the edge (CLI, API) from ``LANTERN_*`` environment variables.

Engines never read the environment: the edge builds a :class:`Settings` and passes the
validated values down as plain parameters.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "default_database_url", "get_settings"]


def default_data_dir() -> Path:
    """The per-user data directory (``~/.local/share/lantern`` on Linux)."""
    return Path(user_data_dir("lantern", appauthor=False))


def default_database_url() -> str:
    """The embedded default: a SQLite file in the user's data directory."""
    return f"sqlite:///{default_data_dir() / 'lantern.db'}"


class Settings(BaseSettings):
    """Every setting Lantern reads; each maps to ``LANTERN_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="LANTERN_", extra="ignore", frozen=True)

    database_url: str = Field(default_factory=default_database_url)
    data_dir: Path = Field(default_factory=default_data_dir)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING"
    log_format: Literal["console", "json"] = "console"
    operator_key: SecretStr | None = None
    token_secret: SecretStr | None = None
    rate_limit_per_user_per_s: float = Field(default=20.0, gt=0)
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = Field(default=60.0, gt=0)
    ray_address: str | None = None
    redis_url: str | None = None

    @field_validator("database_url")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            msg = f"LANTERN_DATABASE_URL must be a sqlite:/// or postgresql:// URL, got {value!r}"
            raise ValueError(msg)
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            msg = f"LANTERN_REDIS_URL must be a redis:// or rediss:// URL, got {value!r}"
            raise ValueError(msg)
        return value

    @field_validator("operator_key", "token_secret")
    @classmethod
    def _strong_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            msg = "secrets must be at least 16 characters; generate one with `openssl rand -hex 24`"
            raise ValueError(msg)
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings()
