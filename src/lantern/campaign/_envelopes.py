"""Cash envelope amounts: the double-mean (二倍均值) algorithm, deterministic and capped.

With ``n`` envelopes left holding ``r`` fen, the next envelope is drawn uniformly from
``[lo, hi]`` where::

    lo = max(1, r - cap * (n - 1))            # the others can still hold the rest under the cap
    hi = min(cap, r - (n - 1), max(lo, 2 * r // n))   # <= twice the mean; 1 fen for each other

and the last envelope takes exactly what is left. Every amount is a whole number of fen,
at least 1 and at most ``cap``, and a drop's amounts add up exactly to its total. Each draw
has expected value close to the current mean, so early and late claimers are treated alike
(the fairness property of double-mean). The draw is a pure function of (bucket seed, envelope
index, state), so a retried batch or another process computes the same envelope.

A drop is split into ``B`` buckets (shards) with :func:`split_buckets`; each bucket runs its
own double-mean sequence, so concurrent committers on PostgreSQL never share a hot row.
"""

from __future__ import annotations

import hashlib

__all__ = ["bucket_seed", "envelope_amount", "split_buckets", "split_envelopes"]

_MASK = (1 << 64) - 1


def _mix64(x: int) -> int:
    """SplitMix64 finaliser: a well-mixed 64-bit hash of ``x``."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def bucket_seed(seed: int, drop_id: str, bucket: int) -> int:
    """The 64-bit seed of one bucket of one drop."""
    digest = hashlib.blake2b(f"{seed}:{drop_id}:{bucket}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def envelope_amount(
    seed: int, index: int, remaining_fen: int, remaining_count: int, cap_fen: int
) -> int:
    """Amount of envelope number ``index`` when ``remaining_count`` envelopes hold
    ``remaining_fen`` (see the module docstring)."""
    assert 1 <= remaining_count <= remaining_fen <= cap_fen * remaining_count, (
        remaining_fen,
        remaining_count,
        cap_fen,
    )
    if remaining_count == 1:
        return remaining_fen
    rest = remaining_count - 1
    lo = max(1, remaining_fen - cap_fen * rest)
    hi = min(cap_fen, remaining_fen - rest, max(lo, 2 * remaining_fen // remaining_count))
    return lo + _mix64(seed ^ (index * 0xD1B54A32D192ED03 & _MASK)) % (hi - lo + 1)


def split_envelopes(total_fen: int, count: int, cap_fen: int, seed: int) -> list[int]:
    """All envelopes of one bucket, in claim order (for tests and previews)."""
    amounts = []
    remaining, left = total_fen, count
    for index in range(count):
        amount = envelope_amount(seed, index, remaining, left, cap_fen)
        amounts.append(amount)
        remaining -= amount
        left -= 1
    assert remaining == 0
    return amounts


def split_buckets(total_fen: int, count: int, cap_fen: int, buckets: int) -> list[tuple[int, int]]:
    """Split a drop into ``buckets`` shards of (count, total_fen), each feasible:
    count_b <= total_b <= cap * count_b, and the shards add up exactly."""
    assert count <= total_fen <= cap_fen * count
    assert buckets >= 1
    counts = [count // buckets + (1 if b < count % buckets else 0) for b in range(buckets)]
    extra = total_fen - count
    extras = [extra * c // count for c in counts]
    left = extra - sum(extras)
    for b in range(buckets):
        room = (cap_fen - 1) * counts[b] - extras[b]
        take = min(room, left)
        extras[b] += take
        left -= take
    assert left == 0
    shards = [(c, c + e) for c, e in zip(counts, extras, strict=True)]
    assert sum(t for _, t in shards) == total_fen
    return shards
