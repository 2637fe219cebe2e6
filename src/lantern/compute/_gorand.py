"""Go's ``math/rand`` (the seeded source and the ``Rand`` methods the FGD simulator uses).

A port of Go's ``rngSource`` (an additive lagged Fibonacci generator, x[n] = x[n-273] +
x[n-607] mod 2^64, seeded through a Lehmer generator and the 607-word ``rngCooked`` table)
and of ``Rand.Int63``, ``Int31``, ``Uint32``, ``Int31n``, ``Intn``, ``Perm`` and
``Shuffle``, so that a replay can draw exactly the numbers the paper's Go simulator draws
for a seed. Ported from Go's ``src/math/rand/rng.go`` and ``rand.go`` (Copyright The Go
Authors, BSD-3-Clause; the licence and the table are in ``lantern/data/compute``, see its
``ATTRIBUTION.md``). Only arguments below 2^31 are supported (Go switches to ``Int63n``
above); they raise ``ValueError``.

>>> r = GoRand(86)
>>> [r.intn(100) for _ in range(3)]   # Go's ExampleIntn: rand.Seed(86)
[42, 76, 30]
"""

from __future__ import annotations

from collections.abc import MutableSequence
from functools import cache
from pathlib import Path
from typing import TypeVar

__all__ = ["GoRand", "rng_cooked"]

_LEN = 607
_TAP = 273
_MASK = (1 << 63) - 1
_A = 48271
_M = (1 << 31) - 1
_Q = 44488
_R = 3399
_MAX_INT31 = (1 << 31) - 1
_COOKED = Path(__file__).resolve().parents[1] / "data" / "compute" / "go_rng_cooked.txt"

T = TypeVar("T")


@cache
def rng_cooked() -> tuple[int, ...]:
    """Go's ``rngCooked`` table (607 words), read from the shipped data file."""
    lines = _COOKED.read_text(encoding="ascii").splitlines()
    words = tuple(int(line) for line in lines if line.strip() and not line.startswith("#"))
    if len(words) != _LEN:
        raise RuntimeError(f"{_COOKED}: expected {_LEN} words, found {len(words)}")
    return words


def _seedrand(x: int) -> int:
    """One step of the seeding Lehmer generator, x * 48271 mod (2^31 - 1) (Schrage's method)."""
    hi, lo = divmod(x, _Q)  # x > 0 here, so floor division equals Go's truncation
    x = _A * lo - _R * hi
    return x + _M if x < 0 else x


class GoRand:
    """``rand.New(rand.NewSource(seed))``: Go's generator and the methods the simulator calls."""

    __slots__ = ("_feed", "_tap", "_vec", "draws")

    def __init__(self, seed: int) -> None:
        self._vec = [0] * _LEN
        self._tap = 0
        self._feed = _LEN - _TAP
        self.draws = 0  # Int63 calls so far
        self.seed(seed)

    def seed(self, seed: int) -> None:
        """Go's ``Seed``: reset the state to the one ``seed`` determines (an int64; a seed
        outside -2^63..2^63-1 raises ``ValueError``, as Go could not be given it)."""
        if not -(1 << 63) <= seed < 1 << 63:
            raise ValueError(f"Go seed {seed} is outside int64 (-2^63..2^63-1)")
        self._tap, self._feed, self.draws = 0, _LEN - _TAP, 0
        seed %= _M  # Python's modulo is already non-negative, as Go's adjusted remainder
        if seed == 0:
            seed = 89482311
        cooked = rng_cooked()
        x = seed
        for i in range(-20, _LEN):
            x = _seedrand(x)
            if i >= 0:
                u = x << 40
                x = _seedrand(x)
                u ^= x << 20
                x = _seedrand(x)
                u ^= x
                u ^= cooked[i]
                self._vec[i] = u & _MASK

    def int63(self) -> int:
        """A uniform integer in [0, 2^63)."""
        self.draws += 1
        self._tap = self._tap - 1 if self._tap else _LEN - 1
        self._feed = self._feed - 1 if self._feed else _LEN - 1
        x = (self._vec[self._feed] + self._vec[self._tap]) & _MASK
        self._vec[self._feed] = x
        return x

    def int31(self) -> int:
        """A uniform integer in [0, 2^31): the top 31 bits of ``int63``."""
        return self.int63() >> 32

    def uint32(self) -> int:
        """A uniform integer in [0, 2^32): the top 32 bits of ``int63``."""
        return self.int63() >> 31

    def int31n(self, n: int) -> int:
        """Go's ``Int31n``: uniform in [0, n) by rejection (``Intn`` for n < 2^31)."""
        _check_n(n)
        if n & (n - 1) == 0:
            return self.int31() & (n - 1)
        top = _MAX_INT31 - (1 << 31) % n
        v = self.int31()
        while v > top:
            v = self.int31()
        return v % n

    def intn(self, n: int) -> int:
        """Go's ``Intn`` for 0 < n < 2^31 (it calls ``Int31n``)."""
        return self.int31n(n)

    def _int31n_lemire(self, n: int) -> int:
        """Go's unexported ``int31n`` (Lemire's multiply-shift), used by ``Shuffle``."""
        prod = self.uint32() * n
        low = prod & 0xFFFFFFFF
        if low < n:
            thresh = ((1 << 32) - n) % n
            while low < thresh:
                prod = self.uint32() * n
                low = prod & 0xFFFFFFFF
        return prod >> 32

    def perm(self, n: int) -> list[int]:
        """Go's ``Perm``: a permutation of range(n) (inside-out Fisher-Yates with ``Intn``)."""
        if n < 0:
            raise ValueError(f"Perm: n must be >= 0, got {n}")
        m = [0] * n
        for i in range(n):
            j = self.intn(i + 1)
            m[i] = m[j]
            m[j] = i
        return m

    def shuffle(self, items: MutableSequence[T]) -> None:
        """Go's ``Shuffle(len(items), swap)``, in place (Fisher-Yates from the end)."""
        _check_n(len(items) + 1)
        for i in range(len(items) - 1, 0, -1):
            j = self._int31n_lemire(i + 1)
            items[i], items[j] = items[j], items[i]


def _check_n(n: int) -> None:
    if not 0 < n <= _MAX_INT31:
        raise ValueError(f"n must be in 1..2^31-1 (Go's Int63n range is not ported), got {n}")
