"""The near-duplicate core: datasketch-compatible signatures, banding, first copies."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from qc.similarity import (
    NearSearch,
    Signer,
    _gauss_legendre,
    band_candidates,
    containment,
    fewest_intact,
    fewest_intact_of_many,
    fewest_intact_of_one,
    first_copies,
    lsh_params,
    permutations,
    shingle_hashes,
)

TEXTS = [
    "改革开放四十年来城市面貌发生了巨大变化",
    "ab",
    "",
    "x",
    "株洲是一座与共和国一同成长的城市" * 40,
]
SEARCH = NearSearch(
    num_perm=128, ngram=3, threshold=0.5, min_similarity=0.9, min_chars=6, max_candidates=32
)


@pytest.mark.parametrize("num_perm", [64, 128])
def test_signatures_equal_datasketch_minhash(num_perm):
    signatures = Signer(num_perm, 3).signatures(TEXTS)
    for text, row in zip(TEXTS, signatures, strict=True):
        reference = MinHash(num_perm=num_perm, seed=1, scheme="affine32", hashfunc=int)
        reference.update_batch([int(h) for h in shingle_hashes(text, 3)])
        assert np.array_equal(reference.hashvalues.astype(np.uint32), row)


def test_signatures_do_not_depend_on_batching():
    together = Signer(128, 3).signatures(TEXTS)
    alone = np.vstack([Signer(128, 3).signatures([t]) for t in TEXTS])
    assert np.array_equal(together, alone)


@pytest.mark.parametrize("num_perm", [16, 64, 100, 128, 256])
def test_lsh_params_are_the_ones_datasketch_chooses(num_perm):
    compared = 0
    for threshold in [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]:
        try:
            lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        except ValueError:  # datasketch refuses a single band; qc would use it
            assert lsh_params(threshold, num_perm)[0] == 1
            continue
        assert lsh_params(threshold, num_perm) == (lsh.b, lsh.r)
        compared += 1
    assert compared >= 4


@pytest.mark.parametrize("num_perm", [1, 64, 128, 300])
def test_permutations_are_the_ones_datasketch_draws(num_perm):
    a, b = permutations(num_perm)
    reference = MinHash(num_perm=num_perm, seed=1, scheme="affine32").permutations
    assert np.array_equal(a, reference[0].astype(np.uint32))
    assert np.array_equal(b, reference[1].astype(np.uint32))


def test_qc_does_not_import_datasketch():
    """datasketch imports scipy (~0.4 s per process); qc only matches its numbers."""
    code = "import sys, qc; qc.check_text('重复的一句话在这里。\\n重复的一句话在这里。'); "
    code += "print('datasketch' in sys.modules, 'scipy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


def test_band_candidates_point_at_the_earliest_identical_band_and_respect_groups():
    signatures = Signer(128, 3).signatures(
        ["一二三四五六七八", "甲乙丙丁戊己庚辛", "一二三四五六七八"]
    )
    candidates = band_candidates(signatures, 16, 8)
    assert (candidates[2] == 0).all() and (candidates[1] == 1).all()
    apart = band_candidates(signatures, 16, 8, np.array([0, 0, 1]))
    assert (apart[2] == 2).all()


def test_first_copies_exact_near_and_chains():
    base = "今年前三季度港口货物吞吐量达到三点二亿吨同比增长百分之八点五"
    near = base.replace("八点五", "八点六")
    texts = [base, "一句完全不同的话用来占位置而已", near, near, base]
    (roots,) = first_copies([texts], SEARCH)
    assert roots == [-1, -1, 0, 0, 0]


def test_groups_are_searched_separately():
    text = "同一句话在两个组里各出现一次不算重复"
    assert first_copies([[text], [text]], SEARCH) == [[-1], [-1]]


def test_short_texts_match_only_exactly():
    roots = first_copies([["短句甲", "短句乙", "短句甲"]], SEARCH)
    assert roots == [[-1, -1, 0]]


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="甲乙丙丁戊己庚辛，。ab", max_size=40),
    st.text(alphabet="甲乙丙丁戊己庚辛，。ab", max_size=120),
    st.sampled_from([0.0, 0.5, 0.85, 0.9, 0.95, 1.0]),
)
def test_containment_with_a_bound_is_the_score_or_zero_below_it(short, long, at_least):
    plain = fuzz.partial_ratio(short, long) / 100.0 if short and long else 0.0
    assert containment(short, long) == plain
    assert containment(short, long, at_least) == (plain if plain >= at_least else 0.0)


@pytest.mark.parametrize("count", [1, 2, 3, 17, 65, 129])
def test_gauss_legendre_nodes_are_numpys_without_lapack(count: int):
    nodes, weights = _gauss_legendre(count)
    want_nodes, want_weights = np.polynomial.legendre.leggauss(count)
    assert np.allclose(nodes, want_nodes, rtol=0, atol=1e-13)
    assert np.allclose(weights, want_weights, rtol=0, atol=1e-13)
    # Exact for polynomials up to degree 2 count - 1: the integral of x^k over [-1, 1].
    for degree in (0, 2 * count - 2, 2 * count - 1):
        assert (
            abs((weights * nodes**degree).sum() - (1 - (-1) ** (degree + 1)) / (degree + 1)) < 1e-12
        )


def test_fewest_intact_of_one_length_equals_the_array_form():
    lengths = np.arange(0, 3000)
    for similar in (0.5, 0.8, 0.85, 0.9, 0.95, 1.0):
        for ngram in (1, 2, 3, 5):
            expected = fewest_intact(lengths, similar, ngram).tolist()
            assert [fewest_intact_of_one(n, similar, ngram) for n in range(3000)] == expected


def test_fewest_intact_of_many_looks_up_what_the_formula_gives():
    # Lengths on both sides of the table's end, unordered, repeated.
    lengths = np.array([0, 1, 2, 4095, 4096, 4097, 9000, 3, 4096, 25_000, 7], dtype=np.int64)
    lengths = np.concatenate((lengths, np.arange(4200)))
    for similar in (0.5, 0.85, 0.9, 1.0):
        for ngram in (1, 3, 5):
            expected = fewest_intact(lengths, similar, ngram)
            got = fewest_intact_of_many(lengths, similar, ngram)
            assert got.dtype == expected.dtype
            assert got.tolist() == expected.tolist()
