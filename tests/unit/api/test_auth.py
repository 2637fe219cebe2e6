"""User tokens and secrets: only genuine, unexpired tokens name a user."""

from __future__ import annotations

import stat
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from lantern.api.auth import (
    TokenSigner,
    load_or_create_secret,
    mint_user_token,
    operator_key_matches,
    resolve_secrets,
)
from lantern.api.errors import Unauthorized
from lantern.clock import FakeClock
from lantern.errors import InvalidInput
from lantern.settings import Settings

SECRET = b"0123456789abcdef0123456789abcdef"


def test_token_round_trip() -> None:
    """A minted token verifies to the user it was minted for."""
    signer = TokenSigner(SECRET)
    assert signer.verify(signer.mint("u000042")) == "u000042"


def test_forged_and_foreign_tokens_are_refused() -> None:
    """Changing the user inside a token, or signing with another secret, is detected."""
    signer = TokenSigner(SECRET)
    token = signer.mint("alice")
    version, _, expiry, signature = token.split(".")
    other_user = signer.mint("bob").split(".")[1]
    with pytest.raises(Unauthorized, match="signature"):
        signer.verify(f"{version}.{other_user}.{expiry}.{signature}")
    with pytest.raises(Unauthorized, match="signature"):
        TokenSigner(b"another-secret-of-enough-length").verify(token)
    with pytest.raises(Unauthorized, match="malformed"):
        signer.verify("not-a-token")


def test_expired_token_is_refused() -> None:
    """A token stops working once its lifetime has passed."""
    clock = FakeClock()
    signer = TokenSigner(SECRET, clock)
    token = signer.mint("alice", ttl_s=60)
    clock.advance(timedelta(seconds=61))
    with pytest.raises(Unauthorized, match="expired"):
        signer.verify(token)


@pytest.mark.parametrize("user_id", ["", "a b", "x" * 65, "名字"])
def test_bad_user_ids_are_refused(user_id: str) -> None:
    """A user id outside the documented alphabet cannot get a token."""
    with pytest.raises(InvalidInput, match="user id"):
        TokenSigner(SECRET).mint(user_id)


def test_generated_secrets_are_private_and_stable(tmp_path: Path) -> None:
    """Without LANTERN_* secrets, random ones are written once, mode 0600, and reused."""
    settings = Settings(data_dir=tmp_path)
    first = resolve_secrets(settings)
    second = resolve_secrets(settings)
    assert first == second
    assert first.token_secret != first.operator_key
    for name in ("token_secret", "operator_key"):
        mode = (tmp_path / "secrets" / name).stat().st_mode
        assert stat.S_IMODE(mode) == 0o600


def test_configured_secrets_win(tmp_path: Path) -> None:
    """LANTERN_TOKEN_SECRET and LANTERN_OPERATOR_KEY are used as given, nothing written."""
    settings = Settings(
        data_dir=tmp_path,
        token_secret=SecretStr("t" * 20),
        operator_key=SecretStr("o" * 20),
    )
    secrets = resolve_secrets(settings)
    assert (secrets.token_secret, secrets.operator_key) == ("t" * 20, "o" * 20)
    assert not (tmp_path / "secrets").exists()
    token = mint_user_token("carol", settings=settings)
    assert secrets.signer().verify(token) == "carol"


def test_short_secret_file_is_refused(tmp_path: Path) -> None:
    """A hand-edited secret file that is too short is an error, not silently used."""
    path = tmp_path / "secret"
    path.write_text("short\n")
    with pytest.raises(InvalidInput, match="shorter than 16"):
        load_or_create_secret(path)


def test_operator_key_comparison() -> None:
    """Only the exact operator key matches; a missing header never does."""
    assert operator_key_matches("k" * 20, "k" * 20)
    assert not operator_key_matches("k" * 19, "k" * 20)
    assert not operator_key_matches(None, "k" * 20)
