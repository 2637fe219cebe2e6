"""The port of Go's math/rand against Go's own published outputs.

Golden values come from Go's source tree: ``src/math/rand/regress_test.go`` (``regressGolden``:
every method of ``rand.New(rand.NewSource(0))``, re-seeded with 0 before each method's 20
calls) and ``src/math/rand/example_test.go`` (example outputs checked by ``go test``).
"""

from __future__ import annotations

import pytest

from lantern.compute._gorand import GoRand, rng_cooked

# regressGolden, seed 0: the first Int63() values (Int() gives the same on 64-bit machines).
_INT63_SEED0 = [
    8717895732742165505,
    2259404117704393152,
    6050128673802995827,
    501233450539197794,
    3390393562759376202,
]
# regressGolden, seed 0: Int31() and Uint32(), the first five of each.
_INT31_SEED0 = [2029793274, 526058514, 1408655353, 116702506, 789387515]
_UINT32_SEED0 = [4059586549, 1052117029, 2817310706, 233405013, 1578775030]
# regressGolden, seed 0: Int31n over the regress test's int32 arguments, cycled for 20 calls.
_INT31N_ARGS = [1, 10, 32, 1 << 20, (1 << 20) + 1, 1_000_000_000, 1 << 30, (1 << 31) - 2]
_INT31N_ARGS += [(1 << 31) - 1]
_INT31N_SEED0 = [0, 4, 25, 310570, 857611, 621654496, 413258767, 1407315077, 1926657288]
_INT31N_SEED0 += [0, 8, 27, 367019, 209005, 307989752, 544722126, 1663557311, 37539650, 0, 4]
# regressGolden, seed 0: Perm over sizes 0, 1, 5, 8, 9, 10, 16, cycled for 20 calls.
_PERM_SIZES = [0, 1, 5, 8, 9, 10, 16]
_PERM_SEED0 = [
    [],
    [0],
    [0, 4, 1, 3, 2],
    [3, 1, 0, 4, 7, 5, 2, 6],
    [5, 0, 3, 6, 7, 4, 2, 1, 8],
    [4, 5, 0, 2, 6, 9, 3, 1, 8, 7],
    [14, 2, 0, 8, 3, 5, 13, 12, 1, 4, 6, 7, 11, 9, 15, 10],
    [],
    [0],
    [3, 0, 1, 2, 4],
    [5, 1, 2, 0, 4, 7, 3, 6],
    [4, 0, 6, 8, 1, 5, 2, 7, 3],
    [8, 6, 1, 7, 5, 4, 3, 2, 9, 0],
    [0, 3, 13, 2, 15, 4, 10, 1, 8, 14, 7, 6, 12, 9, 5, 11],
    [],
    [0],
    [0, 4, 2, 1, 3],
    [2, 1, 7, 0, 6, 3, 4, 5],
    [8, 7, 5, 3, 4, 6, 0, 1, 2],
    [1, 0, 2, 5, 7, 6, 9, 8, 3, 4],
]


def test_cooked_table_is_shipped_whole() -> None:
    """The data file holds Go's 607 seeding words, first and last as in rng.go."""
    cooked = rng_cooked()
    assert len(cooked) == 607
    assert cooked[0] == 5041579894721019882
    assert cooked[-1] == 4152330101494654406
    assert all(0 <= w < 1 << 63 for w in cooked)


def test_int63_int31_uint32_match_go_regress_goldens() -> None:
    """Seed 0: Int63, Int31 and Uint32 give regress_test.go's golden values."""
    r = GoRand(0)
    assert [r.int63() for _ in _INT63_SEED0] == _INT63_SEED0
    r.seed(0)
    assert [r.int31() for _ in _INT31_SEED0] == _INT31_SEED0
    r.seed(0)
    assert [r.uint32() for _ in _UINT32_SEED0] == _UINT32_SEED0


def test_int31n_and_intn_match_go_regress_goldens() -> None:
    """Seed 0: Int31n over 20 cycled arguments, and Intn over the first nine, as in Go."""
    r = GoRand(0)
    got = [r.int31n(_INT31N_ARGS[k % len(_INT31N_ARGS)]) for k in range(20)]
    assert got == _INT31N_SEED0
    r.seed(0)
    assert [r.intn(n) for n in _INT31N_ARGS] == _INT31N_SEED0[:9]


def test_perm_matches_go_regress_goldens() -> None:
    """Seed 0: 20 successive Perm calls over the cycled sizes give Go's permutations."""
    r = GoRand(0)
    got = [r.perm(_PERM_SIZES[k % len(_PERM_SIZES)]) for k in range(20)]
    assert got == _PERM_SEED0


def test_go_examples_seeded_42_intn_perm_and_shuffles() -> None:
    """example_test.go on the global source: Seed(42), Intn(20) is 5 ("As I see it yes"),
    ExamplePerm draws Perm(3), then ExampleShuffle and ExampleShuffle_slicesInUnison print
    their documented outputs."""
    r = GoRand(42)
    assert r.intn(20) == 5
    assert sorted(r.perm(3)) == [0, 1, 2]
    words = ["ink", "runs", "from", "the", "corners", "of", "my", "mouth"]
    r.shuffle(words)
    assert words == ["mouth", "my", "the", "of", "runs", "corners", "from", "ink"]
    pairs = list(zip("ABCDE", "12345", strict=True))
    r.shuffle(pairs)
    assert pairs == [("C", "3"), ("D", "4"), ("A", "1"), ("E", "5"), ("B", "2")]


def test_go_example_intn_seed_86() -> None:
    """ExampleIntn: Seed(86), then Intn(100) three times prints 42, 76, 30."""
    r = GoRand(86)
    assert [r.intn(100) for _ in range(3)] == [42, 76, 30]


def test_int63_seed_1_is_the_unseeded_go_sequence() -> None:
    """Seed 1 (Go's global source before Go 1.20): 5577006791947779410, 8674665223082153551,
    6129484611666145821, the values an unseeded rand.Int() printed."""
    r = GoRand(1)
    assert [r.int63() for _ in range(3)] == [
        5577006791947779410,
        8674665223082153551,
        6129484611666145821,
    ]


def test_seed_is_reduced_modulo_2_31_minus_1() -> None:
    """Go reduces the seed modulo 2^31 - 1 (negative ones too) and maps 0 to 89482311."""
    m = (1 << 31) - 1
    for a, b in ((5, 5 + m), (-1, m - 1), (0, 89482311), (0, m)):
        ra, rb = GoRand(a), GoRand(b)
        assert [ra.int63() for _ in range(3)] == [rb.int63() for _ in range(3)], (a, b)
    assert GoRand(5).int63() != GoRand(6).int63()


def test_shuffle_and_perm_of_tiny_inputs_draw_nothing() -> None:
    """Shuffle of 0 or 1 items and Perm(0) draw no number, as Go's loops do not run;
    Perm(1) draws one (Intn(1))."""
    r = GoRand(3)
    one = [7]
    r.shuffle(one)
    r.shuffle([])
    assert r.perm(0) == []
    assert (one, r.draws) == ([7], 0)
    assert r.perm(1) == [0]
    assert r.draws == 1


def test_out_of_range_arguments_raise() -> None:
    """Intn(0), negative n, n >= 2^31 and Perm(-1) are refused (Go panics or uses Int63n)."""
    r = GoRand(1)
    for n in (0, -3, 1 << 31):
        with pytest.raises(ValueError, match="n must be"):
            r.intn(n)
    with pytest.raises(ValueError, match="Perm"):
        r.perm(-1)


def test_seed_outside_int64_is_refused() -> None:
    """Go's rand.Seed takes an int64: the int64 ends are accepted, one past either is a
    ValueError rather than a silent wrap."""
    GoRand(2**63 - 1)
    GoRand(-(2**63))
    for seed in (2**63, -(2**63) - 1):
        with pytest.raises(ValueError, match="outside int64"):
            GoRand(seed)
