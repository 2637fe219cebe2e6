"""Per-user bearer tokens and the operator key.

A user token is ``lt1.<user id, base64url>.<expiry, unix seconds>.<HMAC-SHA256, base64url>``,
signed with ``LANTERN_TOKEN_SECRET``. It names exactly one user: every user endpoint acts for
the token's user and never takes a user id from the request, so a user cannot act for
another. Operator endpoints need the ``X-Operator-Key`` header equal to
``LANTERN_OPERATOR_KEY``. Every comparison of secret material is constant-time
(:func:`hmac.compare_digest`).

When a secret is not set, a random one is generated once per data directory and kept in
``<LANTERN_DATA_DIR>/secrets/{token_secret,operator_key}``, created with mode 0600: good for a
developer's machine, never a constant in code. Production sets both variables.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from lantern.api.errors import Unauthorized
from lantern.clock import Clock, SystemClock
from lantern.errors import InvalidInput
from lantern.settings import Settings

__all__ = [
    "TOKEN_TTL_S_DEFAULT",
    "USER_ID_PATTERN",
    "ApiSecrets",
    "TokenSigner",
    "load_or_create_secret",
    "mint_user_token",
    "operator_key_matches",
    "resolve_secrets",
]

TOKEN_TTL_S_DEFAULT = 7 * 24 * 3600
USER_ID_PATTERN = re.compile(r"^[A-Za-z0-9_.:@-]{1,64}$")
_VERSION = "lt1"
_SECRET_BYTES = 32


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class TokenSigner:
    """Mints and verifies user tokens with one HMAC secret."""

    secret: bytes
    clock: Clock = field(default_factory=SystemClock)

    def __post_init__(self) -> None:
        assert len(self.secret) >= 16, "token secret too short"

    def _signature(self, signed: str) -> str:
        return _b64(hmac.digest(self.secret, signed.encode("ascii"), "sha256"))

    def mint(self, user_id: str, *, ttl_s: int = TOKEN_TTL_S_DEFAULT) -> str:
        """A token for ``user_id`` valid for ``ttl_s`` seconds from now."""
        if not USER_ID_PATTERN.match(user_id):
            raise InvalidInput(
                f"user id {user_id!r} must be 1-64 characters of letters, digits and _.:@-"
            )
        if ttl_s <= 0:
            raise InvalidInput(f"token lifetime must be positive, got {ttl_s} s")
        expiry_s = int(self.clock.now().timestamp()) + ttl_s
        signed = f"{_VERSION}.{_b64(user_id.encode())}.{expiry_s}"
        return f"{signed}.{self._signature(signed)}"

    def verify(self, token: str) -> str:
        """The user id a genuine, unexpired token names; :class:`Unauthorized` otherwise."""
        parts = token.split(".")
        if len(parts) != 4 or parts[0] != _VERSION:
            raise Unauthorized("the bearer token is malformed; mint one with mint_user_token")
        signed = ".".join(parts[:3])
        if not hmac.compare_digest(self._signature(signed), parts[3]):
            raise Unauthorized("the bearer token's signature is not valid")
        try:
            user_id = _unb64(parts[1]).decode()
            expiry_s = int(parts[2])
        except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
            raise Unauthorized("the bearer token is malformed") from exc
        if expiry_s <= self.clock.now().timestamp():
            raise Unauthorized("the bearer token has expired; mint a new one")
        return user_id


def load_or_create_secret(path: Path) -> str:
    """The secret kept in ``path``; created (random, mode 0600) if missing."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        value = path.read_text(encoding="ascii").strip()
        if len(value) < 16:
            raise InvalidInput(
                f"{path} holds a secret shorter than 16 characters; delete it to regenerate"
            ) from None
        return value
    value = secrets.token_hex(_SECRET_BYTES)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value + "\n")
    return value


@dataclass(frozen=True)
class ApiSecrets:
    """The token secret and the operator key the API runs with."""

    token_secret: str
    operator_key: str

    def signer(self, clock: Clock | None = None) -> TokenSigner:
        """A token signer over the token secret."""
        return TokenSigner(self.token_secret.encode(), clock or SystemClock())


def resolve_secrets(settings: Settings) -> ApiSecrets:
    """Secrets from the settings, or per-data-dir generated ones (0600 files)."""
    folder = settings.data_dir / "secrets"
    token = settings.token_secret
    operator = settings.operator_key
    return ApiSecrets(
        token_secret=(
            token.get_secret_value()
            if token is not None
            else load_or_create_secret(folder / "token_secret")
        ),
        operator_key=(
            operator.get_secret_value()
            if operator is not None
            else load_or_create_secret(folder / "operator_key")
        ),
    )


def operator_key_matches(given: str | None, expected: str) -> bool:
    """Whether the presented operator key is the configured one (constant-time)."""
    if given is None:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def mint_user_token(
    user_id: str, *, settings: Settings | None = None, ttl_s: int = TOKEN_TTL_S_DEFAULT
) -> str:
    """A bearer token for ``user_id`` under the settings' (or the environment's) secret.

    The drill and the assistant call this to act as a user against a running API::

        from lantern.api import mint_user_token
        headers = {"Authorization": f"Bearer {mint_user_token('u000042')}"}
    """
    from lantern.settings import get_settings

    return resolve_secrets(settings or get_settings()).signer().mint(user_id, ttl_s=ttl_s)
